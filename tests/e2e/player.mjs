// SPDX-License-Identifier: MIT
// Drives the test page in Debian's Chromium (headless) through playwright-core.
//
//   node player.mjs PAGE_URL MAX_SECONDS
//
// Prints one JSON line per 250 ms: {"t":..., "ct":..., "bufEnd":..., "events": n}
// (progress, read by the test to decide when to close a region), and, when a
// line "stop" arrives on stdin or MAX_SECONDS have passed, a last line
// {"final": {...window.e2e...}}. Exit 0 after the final line; 3 when the browser
// cannot play H.264/AAC through MSE (a Chromium without proprietary codecs).
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const [pageUrl, maxSecondsArg] = process.argv.slice(2);
const maxSeconds = Number(maxSecondsArg || 120);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

let stopRequested = false;
readline.createInterface({ input: process.stdin }).on('line', (l) => { if (l.trim() === 'stop') stopRequested = true; });
process.stdin.on('end', () => { stopRequested = true; });

const browser = await chromium.launch({
  executablePath: process.env.HLSPP_E2E_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  timeout: 60000,
  args: ['--autoplay-policy=no-user-gesture-required', '--mute-audio', '--no-sandbox',
         '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
let code = 0;
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out({ console: m.text() }); });
  page.on('pageerror', (e) => out({ pageerror: String(e) }));
  await page.goto('about:blank');
  const codecs = await page.evaluate(() => ({
    mse: typeof MediaSource !== 'undefined',
    h264aac: typeof MediaSource !== 'undefined' &&
      MediaSource.isTypeSupported('video/mp4; codecs="avc1.42c01e,mp4a.40.2"'),
  }));
  if (!codecs.h264aac) {
    out({ setupError: `this Chromium cannot play H.264/AAC through MSE (${JSON.stringify(codecs)}); ` +
      'Debian\'s chromium package can, a build without proprietary codecs cannot' });
    code = 3;
  } else {
    await page.goto(pageUrl, { timeout: 30000 });
    const started = Date.now();
    while (!stopRequested && Date.now() - started < maxSeconds * 1000) {
      await new Promise((r) => setTimeout(r, 250));
      const s = await page.evaluate(() => {
        const r = window.e2e; const last = r.samples[r.samples.length - 1] || {};
        return { t: Date.now(), ct: last.ct ?? 0, bufEnd: last.bufEnd ?? 0, events: r.events.length,
                 fatal: r.events.some((e) => e.e === 'error' && e.fatal) };
      });
      out(s);
    }
    out({ final: await page.evaluate(() => window.e2e) });
  }
} catch (e) {
  out({ setupError: String(e && e.stack || e) });
  code = 4;
} finally {
  await browser.close().catch(() => {});
}
process.exit(code);
