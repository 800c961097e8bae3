#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Python peers of hlspp (globocom m3u8, and hlspp's own bindings when importable),
timed like every harness of bench/compare_peers: warm-up calls for budget/5 s (the
fastest call sizes the batches), then batches of ~budget/15 s; reported: the median
over batches of CPU time per call (time.process_time_ns) and of wall time per call.
One JSON object per line.

    python harness.py BUDGET_SECONDS NAME=PATH [NAME=PATH ...]

Operations: parse; parse_access (parse, then read every segment's URI and duration,
media playlists only: the issue's Python target); write (dumps of a parsed
playlist); parse_write. Set PEERS_ONLY=m3u8,hlspp-py to choose.
"""
import gc
import json
import os
import sys
import time


def measure(fn, budget):
    t0 = time.perf_counter()
    calls, per = 0, float("inf")
    while True:
        c0 = time.perf_counter()
        fn()
        now = time.perf_counter()
        per = min(per, now - c0)
        calls += 1
        if calls >= 2 and now - t0 >= budget / 5:
            break
    if per >= budget / 3:
        batch, samples = 1, 3
    else:
        batch, samples = max(1, int(budget / 15 / max(per, 1e-9))), 15
    cpu, wall = [], []
    start = time.perf_counter()
    for _ in range(samples):
        c = time.process_time_ns()
        t = time.perf_counter_ns()
        for _ in range(batch):
            fn()
        wall.append((time.perf_counter_ns() - t) / batch)
        cpu.append((time.process_time_ns() - c) / batch)
        if time.perf_counter() - start > budget * 4 and len(wall) >= 3:
            break
    cpu.sort()
    wall.sort()

    def med(v):
        n = len(v)
        return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2

    return {"median_ns": med(cpu), "wall_median_ns": med(wall), "samples": len(wall), "batch": batch}


def report(impl, workload, op, nbytes, fn, budget):
    rec = {"impl": impl, "workload": workload, "op": op, "bytes": nbytes}
    try:
        rec.update(measure(fn, budget))
    except Exception as e:  # a peer that cannot handle a workload is a result too
        rec["error"] = ("%s: %s" % (type(e).__name__, e))[:300]
    print(json.dumps(rec), flush=True)


def main():
    budget = float(sys.argv[1])
    only = os.environ.get("PEERS_ONLY")
    only = set(only.split(",")) if only else None

    def want(lib):
        return only is None or lib in only

    libs = []
    if want("m3u8"):
        import m3u8

        def m3u8_access(pl):
            n = 0.0
            for s in pl.segments:
                _ = s.uri
                n += s.duration or 0.0
            return n

        libs.append(("m3u8", m3u8.loads, lambda pl: pl.dumps(), m3u8_access))
    if want("hlspp-py"):
        try:
            import hlspp
        except ImportError as e:
            print(json.dumps({"impl": "hlspp-py", "workload": "*", "op": "*", "error": "import: %s" % e}), flush=True)
        else:
            def hlspp_access(pl):
                n = 0.0
                for s in pl.segments:
                    _ = s.uri
                    n += s.duration
                return n

            libs.append(("hlspp-py", hlspp.parse, lambda pl: pl.dumps(), hlspp_access))

    gc.collect()
    for spec in sys.argv[2:]:
        name, _, path = spec.partition("=")
        with open(path, "r", encoding="utf-8", newline="") as f:
            text = f.read()
        nbytes = len(text.encode("utf-8"))
        media = "#EXT-X-STREAM-INF" not in text
        for impl, parse, dumps, access in libs:
            report(impl, name, "parse", nbytes, lambda: parse(text), budget)
            if media:
                report(impl, name, "parse_access", nbytes, lambda: access(parse(text)), budget)
            try:
                pl = parse(text)
            except Exception:
                continue
            report(impl, name, "write", nbytes, lambda: dumps(pl), budget)
            report(impl, name, "parse_write", nbytes, lambda: dumps(parse(text)), budget)


if __name__ == "__main__":
    main()
