#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that parse and write cost is linear in the number of segments.

Runs the scaling series of hlspp_bench_parse (synthetic media playlists of 1k, 10k,
100k and 1M segments, see bench/inputs.hpp) and prints the CPU time per segment of
each size and the ratio of the largest to the 1k case; the target is <= 1.2.

    python3 bench/check_scaling.py [--bench build/bench/bench/hlspp_bench_parse]
                                   [--max-scale 1000000] [--repetitions 3] [--enforce]

parse_recycling, write_lossless_into and write_canonical_into are the same operations
in storage kept from one call to the next (hlspp::parse_recycling, serialize_into):
no fresh memory, so what is left is the code's own scaling.

Without --enforce it only reports (timings on a shared machine are noisy); with it,
the exit status is 1 when a ratio is above the target.

--keep-heap runs the benchmark with glibc's malloc told never to hand memory back to
the kernel (GLIBC_TUNABLES mmap_threshold and trim_threshold at their maximum): the
difference from a normal run is the cost of page faults on freshly mapped memory,
which large vectors and strings pay on every call (see docs/performance.md).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET = 1.2
OPS = ("floor", "model_floor", "write_floor", "parse", "parse_recycling", "write_lossless", "write_canonical",
       "write_lossless_into", "write_canonical_into")
FLOORS = ("floor", "model_floor", "write_floor")  # reference rows, not targets
# What each operation must at least do to memory (bench/bench_parse.cpp).
FLOOR_OF = {"parse": "model_floor", "write_lossless": "write_floor", "write_canonical": "write_floor"}


def find_bench(explicit):
    if explicit:
        return explicit
    for d in ("build/bench", "build/peers/cpp", "build/gcc-release"):
        p = os.path.join(ROOT, d, "bench", "hlspp_bench_parse")
        if os.path.exists(p):
            return p
    sys.exit("check_scaling: no hlspp_bench_parse found; build with -DHLSPP_BUILD_BENCHMARKS=ON "
             "-DCMAKE_BUILD_TYPE=Release (e.g. in build/bench) or pass --bench")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", help="path to hlspp_bench_parse")
    ap.add_argument("--max-scale", type=int, default=1_000_000)
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--min-time", type=float, default=0.3, help="seconds per repetition")
    ap.add_argument("--enforce", action="store_true", help="exit 1 when a ratio is above %.1f" % TARGET)
    ap.add_argument("--keep-heap", action="store_true",
                    help="glibc malloc never returns memory to the kernel (isolates page-fault cost)")
    args = ap.parse_args()

    bench = find_bench(args.bench)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "scaling.json")
        cmd = [bench, "--max-scale=%d" % args.max_scale,
               "--benchmark_filter=^(%s)/scale_" % "|".join(OPS),
               "--benchmark_repetitions=%d" % args.repetitions,
               "--benchmark_min_time=%g" % args.min_time,
               "--benchmark_report_aggregates_only=true",
               "--benchmark_out=" + out, "--benchmark_out_format=json"]
        env = dict(os.environ)
        if args.keep_heap:
            env["GLIBC_TUNABLES"] = "glibc.malloc.mmap_threshold=4294967295:glibc.malloc.trim_threshold=4294967295"
        print("running:", ("GLIBC_TUNABLES=%s " % env["GLIBC_TUNABLES"] if args.keep_heap else "") + " ".join(cmd),
              flush=True)
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            sys.exit("check_scaling: the benchmark failed (exit %d)" % p.returncode)
        with open(out) as f:
            data = json.load(f)

    # per (op, size): median CPU ns per segment
    per_seg = {}
    # With one repetition Google Benchmark writes no aggregates: use the runs themselves.
    want = "median" if any(b.get("aggregate_name") == "median" for b in data["benchmarks"]) else None
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != want or b.get("error_occurred"):
            continue
        name = b["run_name"]
        op, _, wl = name.partition("/")
        n = int(wl.split("_")[1])
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        per_seg[(op, n)] = b["cpu_time"] * scale / n

    sizes = sorted({n for _, n in per_seg})
    print("\nCPU ns per segment (median of %d repetitions)" % args.repetitions)
    print("%-22s" % "op" + "".join("%12s" % ("%dk" % (n // 1000) if n < 1_000_000 else "%dM" % (n // 1_000_000))
                                  for n in sizes) + "%14s" % "largest/1k")
    worst = 0.0
    failed = []
    for op in OPS:
        row = [per_seg.get((op, n)) for n in sizes]
        if row[0] is None:
            continue
        ratio = row[-1] / row[0] if row[-1] is not None else float("nan")
        if op not in FLOORS:
            worst = max(worst, ratio)
            if ratio > TARGET:
                failed.append(op)
        print("%-22s" % op + "".join("%12.1f" % v if v is not None else "%12s" % "-" for v in row)
              + "%13.2fx" % ratio)
    # What parse costs beyond the model's memory floor (copying the text, making and
    # freeing one media_segment per segment): the part the parser's code decides.
    beyond = [per_seg[("parse", n)] - per_seg[("model_floor", n)]
              if ("parse", n) in per_seg and ("model_floor", n) in per_seg else None for n in sizes]
    if beyond[0] is not None and beyond[-1] is not None:
        print("%-22s" % "parse-model_floor" + "".join("%12.1f" % v if v is not None else "%12s" % "-"
                                                      for v in beyond) + "%13.2fx" % (beyond[-1] / beyond[0]))
    # The least ratio each operation can show with this model on this machine: at the
    # largest size it cannot take less than its memory floor (a part of its work) alone.
    bounds = []
    for op, floor in FLOOR_OF.items():
        own, f = per_seg.get((op, sizes[0])), per_seg.get((floor, sizes[-1]))
        if own and f:
            bounds.append("%s %.2fx" % (op, f / own))
    if bounds:
        print("\nleast largest/1k possible with this model's memory: " + ", ".join(bounds))
    verdict = "met" if not failed else "NOT met (%s)" % ", ".join(failed)
    print("\ntarget: largest/1k <= %.1fx for parse and both writers, into fresh and reused storage: %s"
          % (TARGET, verdict))
    return 1 if (args.enforce and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
