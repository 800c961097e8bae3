#!/usr/bin/env bash
# Runs one libFuzzer target of fuzz/ (or all of them) for a bounded time.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   scripts/fuzz.sh all 45                       # every target, 45 s each (the CI leg)
#   scripts/fuzz.sh parse 3600 -fork=4           # a release run: an hour, 4 processes
#   scripts/fuzz.sh --no-build merge 60          # reuse build/fuzz as it is
#
# TARGET: parse attributes rebase merge variables (and diff once include/hlspp/live.hpp
# has its target), or "all".
# Builds build/fuzz with clang++ (-fsanitize=fuzzer,address,undefined), seeds
# build/fuzz/corpus/TARGET from $HLSPP_CORPUS_DIR (default ../shared/corpus; only
# read, never written) with fuzz/seed_corpus.sh, and runs with the dictionary
# fuzz/hls.dict. The corpus directory keeps what the fuzzer learns between runs.
# A crash, leak, timeout (-timeout, default 10 s per input) or out-of-memory
# (-rss_limit_mb, default 2048) stops the run: the input is saved under
# build/fuzz/artifacts/TARGET/ and the script exits non-zero. Minimize it with
#   build/fuzz/fuzz/fuzz_TARGET -minimize_crash=1 -runs=100000 ARTIFACT
# and save it under tests/data/fuzz_regressions/TARGET/ (see docs/reliability.md).
#
# Environment: HLSPP_FUZZ_BUILD_DIR (default build/fuzz), HLSPP_FUZZ_MAX_LEN
# (default 16384), HLSPP_JOBS (build parallelism, default 2), CXX (default clang++).
# The last line of each run is "fuzz TARGET: N executions in S s, ..." for reports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=1
if [[ "${1:-}" == "--no-build" ]]; then
    build=0
    shift
fi
if (($# < 2)); then
    sed -n '2,27p' "$0" >&2
    exit 2
fi
target="$1"
seconds="$2"
shift 2

build_dir="${HLSPP_FUZZ_BUILD_DIR:-build/fuzz}"
corpus_src="${HLSPP_CORPUS_DIR:-../shared/corpus}"
max_len="${HLSPP_FUZZ_MAX_LEN:-16384}"
jobs="${HLSPP_JOBS:-2}"
all_targets=(parse attributes rebase merge variables)
if [[ -f include/hlspp/live.hpp && -f fuzz/fuzz_diff.cpp ]]; then
    all_targets+=(diff)
fi

if [[ "$target" == all ]]; then
    targets=("${all_targets[@]}")
else
    targets=("$target")
fi

if ((build)); then
    generator=()
    if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
    cmake -S . -B "$build_dir" "${generator[@]}" \
        -DCMAKE_CXX_COMPILER="${CXX:-clang++}" \
        -DHLSPP_BUILD_FUZZERS=ON -DHLSPP_BUILD_TESTS=OFF -DHLSPP_BUILD_EXAMPLES=OFF \
        -DHLSPP_INSTALL=OFF >/dev/null
    build_targets=()
    for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
    cmake --build "$build_dir" --parallel "$jobs" "${build_targets[@]}"
fi

status=0
for t in "${targets[@]}"; do
    bin="$build_dir/fuzz/fuzz_$t"
    if [[ ! -x "$bin" ]]; then
        echo "fuzz $t: no binary $bin (is clang's libFuzzer installed?)" >&2
        status=1
        continue
    fi
    corpus="$build_dir/corpus/$t"
    artifacts="$build_dir/artifacts/$t"
    log="$build_dir/logs/$t.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    fuzz/seed_corpus.sh "$t" "$corpus_src" "$corpus" "$max_len"
    echo "fuzz $t: ${seconds}s"
    rc=0
    start=$(date +%s)
    "$bin" "$corpus" \
        -dict=fuzz/hls.dict \
        -max_total_time="$seconds" \
        -max_len="$max_len" \
        -timeout=10 \
        -rss_limit_mb=2048 \
        -detect_leaks=1 \
        -print_final_stats=1 \
        -artifact_prefix="$artifacts/" \
        "$@" >"$log" 2>&1 || rc=$?
    took=$(($(date +%s) - start))
    execs="$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{s += $2} END {print s + 0}' || true)"
    cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | awk '{print $2}' || true)"
    units="$(find "$corpus" -type f | wc -l)"
    if ((rc != 0)); then
        status=1
        echo "---- fuzz $t: FAILED (exit $rc); the end of $log:"
        grep -E 'ERROR|invariant violated|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20 || true
        tail -n 40 "$log"
    fi
    echo "fuzz $t: $execs executions in ${took}s, coverage ${cov:-?}, corpus $units, $( ((rc == 0)) && echo ok || echo "FAILED (exit $rc)")"
done
exit "$status"
