#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python targets of issue 7, measured in one run:

  1. vod_10k: hlspp.parse(text), then every segment's .uri and .duration, against
     m3u8.loads(text) and the same loop (target: m3u8 / hlspp >= 50x);
  2. live_window: hlspp.parse(text) (target: < 10 us);
  3. `import hlspp` in a fresh interpreter (target: < 30 ms).

Also reported, to show where the time goes: hlspp.parse alone, the access loop
alone on an already parsed playlist, and m3u8.loads alone.

    python bench/python_targets.py [--workloads DIR] [--reps N] [--json]

Workloads come from /work/shared/bench/gen_workloads.py (or $HLSPP_GEN_WORKLOADS),
written into a temporary directory unless --workloads names one that has them.
Times: the median over N rounds of CPU time per call (time.process_time_ns; the
machine is shared, so CPU time is steadier than wall time); every round runs one
batch (~20 ms, one call for m3u8) of every measurement, so load changes hit all of
them alike. Wall medians and CPU minima are printed beside them. m3u8 comes from
PyPI (`pip install m3u8`); without it only the hlspp numbers are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List

GEN = os.environ.get("HLSPP_GEN_WORKLOADS", "/work/shared/bench/gen_workloads.py")


def measure_all(fns: Dict[str, Callable[[], Any]], reps: int, target_s: float = 0.02) -> Dict[str, Dict[str, float]]:
    """Median CPU and wall time per call (ns) of each function over `reps` rounds. The
    rounds are interleaved (each round runs one batch of every function), so a change of
    load on the shared machine hits every function alike; a batch lasts ~target_s."""
    batch: Dict[str, int] = {}
    for name, fn in fns.items():
        fn()  # warm up
        t = time.perf_counter()
        fn()
        batch[name] = max(1, int(target_s / max(time.perf_counter() - t, 1e-7)))
    cpu: Dict[str, List[float]] = {name: [] for name in fns}
    wall: Dict[str, List[float]] = {name: [] for name in fns}
    for _ in range(reps):
        for name, fn in fns.items():
            n = batch[name]
            c = time.process_time_ns()
            w = time.perf_counter_ns()
            for _ in range(n):
                fn()
            wall[name].append((time.perf_counter_ns() - w) / n)
            cpu[name].append((time.process_time_ns() - c) / n)
    return {
        name: {"cpu_ns": statistics.median(cpu[name]), "cpu_min_ns": min(cpu[name]),
               "wall_ns": statistics.median(wall[name]), "batch": batch[name], "reps": reps}
        for name in fns
    }


def import_time(reps: int) -> Dict[str, float]:
    """`import hlspp` in fresh interpreters: -X importtime's cumulative figure for
    hlspp, and the wall time of `python -c "import hlspp"` minus `python -c pass`."""
    cumulative: List[float] = []
    for _ in range(reps):
        r = subprocess.run([sys.executable, "-X", "importtime", "-c", "import hlspp"],
                           capture_output=True, text=True, check=True)
        for line in r.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "hlspp":
                cumulative.append(int(parts[1]) / 1000.0)

    def wall(code: str) -> float:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return (time.perf_counter() - t) * 1000.0

    with_import = [wall("import hlspp") for _ in range(reps)]
    bare = [wall("pass") for _ in range(reps)]
    return {
        "importtime_ms": statistics.median(cumulative),
        "wall_import_ms": statistics.median(with_import),
        "wall_bare_ms": statistics.median(bare),
        "wall_delta_ms": statistics.median(with_import) - statistics.median(bare),
        "reps": reps,
    }


def fmt(ns: float) -> str:
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    return "%.1f us" % (ns / 1e3)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workloads", help="directory holding vod_10k.m3u8 and live_window.m3u8")
    ap.add_argument("--reps", type=int, default=11, help="repetitions (median taken), default 11")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args()

    tmp = None
    wdir = args.workloads
    if not wdir or not os.path.exists(os.path.join(wdir, "vod_10k.m3u8")):
        tmp = tempfile.TemporaryDirectory()
        wdir = wdir or tmp.name
        subprocess.run([sys.executable, GEN, wdir], check=True, stdout=subprocess.DEVNULL)

    def read(name: str) -> str:
        with open(os.path.join(wdir, name), encoding="utf-8", newline="") as f:
            return f.read()

    vod, live = read("vod_10k.m3u8"), read("live_window.m3u8")

    import hlspp

    def hlspp_access(pl: Any) -> float:
        n = 0.0
        for s in pl.segments:
            _ = s.uri
            n += s.duration
        return n

    results: Dict[str, Any] = {"python": sys.version.split()[0], "hlspp": hlspp.__version__}
    parsed = hlspp.parse(vod)
    fns: Dict[str, Callable[[], Any]] = {
        "vod_parse": lambda: hlspp.parse(vod),
        "vod_access_only": lambda: hlspp_access(parsed),
        "vod_parse_access": lambda: hlspp_access(hlspp.parse(vod)),
        "live_parse": lambda: hlspp.parse(live),
    }

    try:
        import m3u8  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        m3u8 = None
    if m3u8 is not None:

        def m3u8_access(pl: Any) -> float:
            n = 0.0
            for s in pl.segments:
                _ = s.uri
                n += s.duration or 0.0
            return n

        results["m3u8_version"] = getattr(m3u8, "__version__", "?")
        fns["m3u8_vod_parse_access"] = lambda: m3u8_access(m3u8.loads(vod))
        fns["m3u8_vod_parse"] = lambda: m3u8.loads(vod)
    results.update(measure_all(fns, args.reps))
    if m3u8 is not None:
        results["ratio_parse_access"] = (results["m3u8_vod_parse_access"]["cpu_ns"]
                                         / results["vod_parse_access"]["cpu_ns"])
        results["ratio_parse"] = results["m3u8_vod_parse"]["cpu_ns"] / results["vod_parse"]["cpu_ns"]
        # the best ratio reachable with access free: m3u8 parse+access over hlspp parse alone
        results["ratio_ceiling"] = (results["m3u8_vod_parse_access"]["cpu_ns"]
                                    / results["vod_parse"]["cpu_ns"])
    results["import"] = import_time(max(5, args.reps))
    if tmp is not None:
        tmp.cleanup()

    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print("python %s, hlspp %s, medians of %d repetitions (CPU time; wall in brackets)"
          % (results["python"], results["hlspp"], args.reps))
    for key, label in (("vod_parse", "hlspp vod_10k parse"),
                       ("vod_access_only", "hlspp vod_10k every seg uri+duration (parsed)"),
                       ("vod_parse_access", "hlspp vod_10k parse + every seg uri+duration"),
                       ("m3u8_vod_parse", "m3u8  vod_10k parse"),
                       ("m3u8_vod_parse_access", "m3u8  vod_10k parse + every seg uri+duration"),
                       ("live_parse", "hlspp live_window parse")):
        if key in results:
            r = results[key]
            print("  %-48s %10s  [%s]  (min %s)" % (label, fmt(r["cpu_ns"]), fmt(r["wall_ns"]), fmt(r["cpu_min_ns"])))
    if "ratio_parse_access" in results:
        print("  ratio m3u8/hlspp, parse + access: %.1fx (target >= 50x)" % results["ratio_parse_access"])
        print("  ratio m3u8/hlspp, parse alone:    %.1fx" % results["ratio_parse"])
        print("  ceiling (m3u8 parse+access / hlspp parse alone): %.1fx" % results["ratio_ceiling"])
    imp = results["import"]
    print("  import hlspp: -X importtime %.1f ms; wall %.1f ms - bare interpreter %.1f ms = %.1f ms (median of %d)"
          % (imp["importtime_ms"], imp["wall_import_ms"], imp["wall_bare_ms"], imp["wall_delta_ms"], imp["reps"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
