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
#   (python        appended later, see the marked section below)
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

# ---- Python test suite -------------------------------------------------------
# PLACEHOLDER: the pytest suite goes here, as a leg_python function and an entry
# in all_legs below. Build/install the package into a venv under build/, run
# pytest on tests/python, then call `record_counts python <passed> <failed>`
# (or `record_failure python <step>` when it cannot run). Treat pytest's exit
# code 5 ("no tests collected") as a failure to report, not a crash.
# ------------------------------------------------------------------------------

all_legs=(gcc-release clang-asan gcc-catch2v3)
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
