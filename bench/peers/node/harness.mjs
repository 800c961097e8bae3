// SPDX-License-Identifier: MIT
// JavaScript peers of hlspp (hls-parser, m3u8-parser), timed like every harness of
// bench/compare_peers: warm-up calls for budget/5 s, then batches sized to ~budget/15 each;
// reported: the median over batches of CPU time per call (process.cpuUsage: this
// process, V8's GC and compiler threads included) and of wall time per call.
//
//   node harness.mjs BUDGET_SECONDS NAME=PATH [NAME=PATH ...]
// (bench/compare_peers copies this file next to the node_modules it installs.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const HLS = require('hls-parser');
const m3u8Parser = require('m3u8-parser');

let sink = 0;
const keep = (x) => { if (x) sink ^= 1; };

function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function measure(fn, budget) {
  // Warm-up (and JIT): calls for budget/5 seconds, at least two; the fastest call
  // sizes the batches.
  const t0 = process.hrtime.bigint();
  let calls = 0, per = Infinity;
  for (;;) {
    const c0 = process.hrtime.bigint();
    fn();
    const now = process.hrtime.bigint();
    per = Math.min(per, Number(now - c0) / 1e9);
    if (++calls >= 2 && Number(now - t0) / 1e9 >= budget / 5) break;
  }
  let batch = 1, samples = 3;
  if (per < budget / 3) {
    batch = Math.max(1, Math.floor(budget / 15 / Math.max(per, 1e-9)));
    samples = 15;
  }
  const cpu = [], wall = [];
  const start = process.hrtime.bigint();
  for (let s = 0; s < samples; s++) {
    const c = cpuNs();
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    wall.push(Number(process.hrtime.bigint() - t) / batch);
    cpu.push((cpuNs() - c) / batch);
    if (Number(process.hrtime.bigint() - start) / 1e9 > budget * 4 && wall.length >= 3) break;
  }
  return { median_ns: median(cpu), wall_median_ns: median(wall), samples: wall.length, batch };
}

function report(impl, workload, op, bytes, fn, budget) {
  let rec;
  try {
    rec = { impl, workload, op, bytes, ...measure(fn, budget) };
  } catch (e) {
    rec = { impl, workload, op, bytes, error: String(e && e.message ? e.message : e).slice(0, 300) };
  }
  console.log(JSON.stringify(rec));
}

const budget = Number(process.argv[2]);
const only = process.env.PEERS_ONLY ? process.env.PEERS_ONLY.split(',') : null;
const want = (lib) => !only || only.includes(lib);

function m3u8ParserParse(text) {
  const p = new m3u8Parser.Parser();
  p.push(text);
  p.end();
  return p.manifest;
}

for (const spec of process.argv.slice(3)) {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, eq);
  const text = readFileSync(spec.slice(eq + 1), 'utf8');
  const bytes = Buffer.byteLength(text);

  if (want('hls-parser')) {
    report('hls-parser', name, 'parse', bytes, () => keep(HLS.parse(text)), budget);
    let parsed = null;
    try { parsed = HLS.parse(text); } catch (e) { /* reported above */ }
    if (parsed) {
      report('hls-parser', name, 'write', bytes, () => keep(HLS.stringify(parsed)), budget);
      report('hls-parser', name, 'parse_write', bytes, () => keep(HLS.stringify(HLS.parse(text))), budget);
    }
  }
  if (want('m3u8-parser')) {
    report('m3u8-parser', name, 'parse', bytes, () => keep(m3u8ParserParse(text)), budget);
  }
}
if (sink === 42) console.error('');
