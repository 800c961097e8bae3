#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Command-line tests for examples/hlscat.
#
#   tests/cli/test_hlscat.sh HLSCAT_BINARY [CORPUS_DIR]
#
# Prints one PASS/FAIL/SKIP line per check and a final "N passed, M failed" line;
# exits non-zero if any check failed. Fixtures live in tests/cli/data/ (kept
# byte-exact by its .gitattributes: CRLF and a missing final newline matter).
# Written for bash 3.2+ (macOS) as well as newer bash; needs only cmp, mktemp, wc, tr.
set -u

if (($# < 1 || $# > 2)); then
    echo "usage: $0 HLSCAT_BINARY [CORPUS_DIR]" >&2
    exit 2
fi
hlscat="$1"
corpus="${2:-}"
data="$(cd "$(dirname "${BASH_SOURCE[0]}")/data" && pwd)"
if [[ ! -x "$hlscat" ]]; then
    echo "hlscat binary '$hlscat' is not executable" >&2
    exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/hlscat-test.XXXXXX")" || exit 2
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

pass() {
    passed=$((passed + 1))
    printf 'PASS  %s\n' "$1"
}
# fail NAME DETAIL...: the details explain what differed.
fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$1"
    shift
    local line
    for line in "$@"; do
        printf '      %s\n' "$line"
    done
}

# run ARGS...: runs hlscat with stdout/stderr captured in $work/out and
# $work/err, exit status in $rc. Stdin comes from /dev/null unless redirected.
rc=0
run() {
    rc=0
    "$hlscat" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
}
# run_stdin FILE ARGS...: like run, with FILE on stdin.
run_stdin() {
    local input="$1"
    shift
    rc=0
    "$hlscat" "$@" >"$work/out" 2>"$work/err" <"$input" || rc=$?
}

# Shows what hlscat printed, for failure details.
show() {
    echo "exit status $rc; stderr: $(head -c 600 "$work/err" | tr '\n' '|')"
}

# has_line_with_prefix FILE PREFIX: some line of FILE starts with PREFIX (literally).
has_line_with_prefix() {
    local line
    while IFS= read -r line || [[ -n "$line" ]]; do
        case "$line" in
            "$2"*) return 0 ;;
        esac
    done <"$1"
    return 1
}
# count_lines_with_prefix FILE PREFIX: prints how many lines start with PREFIX.
count_lines_with_prefix() {
    local line n=0
    while IFS= read -r line || [[ -n "$line" ]]; do
        case "$line" in
            "$2"*) n=$((n + 1)) ;;
        esac
    done <"$1"
    echo "$n"
}
line_count() {
    wc -l <"$1" | tr -d ' '
}
# Every diagnostic line reads SOURCE:LINE:COLUMN: SEVERITY: CODE: message.
diagnostic_format_ok() {
    local file="$1" source="$2" line rest
    local pattern='^[0-9]+:[0-9]+: (info|warning|error): [a-z0-9]+(-[a-z0-9]+)*: .+$'
    while IFS= read -r line || [[ -n "$line" ]]; do
        case "$line" in
            "$source:"*) rest="${line#"$source:"}" ;;
            *) return 1 ;;
        esac
        [[ "$rest" =~ $pattern ]] || return 1
    done <"$file"
    return 0
}

# ---- fixtures are intact (a checkout that converted line endings breaks the rest) ----
if [[ "$(tr -cd '\r' <"$data/crlf.m3u8" | wc -c | tr -d ' ')" -gt 0 ]]; then
    pass "fixture crlf.m3u8 has CRLF line endings"
else
    fail "fixture crlf.m3u8 has CRLF line endings" "no CR found: was the file converted on checkout?"
fi
if [[ -n "$(tail -c 1 "$data/master_no_newline.m3u8")" ]]; then
    pass "fixture master_no_newline.m3u8 has no final newline"
else
    fail "fixture master_no_newline.m3u8 has no final newline" "it ends with a newline"
fi

# ---- lossless round trip, byte for byte ---------------------------------------------
for name in media.m3u8 crlf.m3u8 master_no_newline.m3u8 messy.m3u8 duplicate_targetduration.m3u8; do
    run "$data/$name"
    if [[ -s "$work/out" ]] && cmp -s "$data/$name" "$work/out"; then
        pass "lossless round trip of $name is byte-exact"
    else
        fail "lossless round trip of $name is byte-exact" "$(cmp "$data/$name" "$work/out" 2>&1)" "$(show)"
    fi
done

# ---- stdin ------------------------------------------------------------------------
run_stdin "$data/crlf.m3u8" -
if ((rc == 0)) && cmp -s "$data/crlf.m3u8" "$work/out"; then
    pass "'-' reads stdin (CRLF round trip, exit 0)"
else
    fail "'-' reads stdin (CRLF round trip, exit 0)" "$(cmp "$data/crlf.m3u8" "$work/out" 2>&1)" "$(show)"
fi
run_stdin "$data/master_no_newline.m3u8"
if ((rc == 0)) && cmp -s "$data/master_no_newline.m3u8" "$work/out"; then
    pass "no FILE reads stdin (no-final-newline round trip, exit 0)"
else
    fail "no FILE reads stdin (no-final-newline round trip, exit 0)" \
        "$(cmp "$data/master_no_newline.m3u8" "$work/out" 2>&1)" "$(show)"
fi
run_stdin "$data/duplicate_targetduration.m3u8" --check -
prefix='<stdin>:3:1: error: duplicate-tag: '
if ((rc == 1)) && has_line_with_prefix "$work/err" "$prefix"; then
    pass "stdin diagnostics are named <stdin>"
else
    fail "stdin diagnostics are named <stdin>" "expected a line starting '$prefix'" "$(show)"
fi

# ---- --canonical --------------------------------------------------------------------
run --canonical "$data/messy.m3u8"
cp "$work/out" "$work/canonical1"
if cmp -s "$data/messy.canonical.m3u8" "$work/canonical1"; then
    pass "--canonical output of messy.m3u8 matches messy.canonical.m3u8"
else
    fail "--canonical output of messy.m3u8 matches messy.canonical.m3u8" \
        "$(cmp "$data/messy.canonical.m3u8" "$work/canonical1" 2>&1)" "$(show)"
fi
run --canonical "$work/canonical1"
if ((rc == 0)) && [[ -s "$work/canonical1" ]] && cmp -s "$work/canonical1" "$work/out"; then
    pass "--canonical is idempotent (and its output has no errors)"
else
    fail "--canonical is idempotent (and its output has no errors)" "$(cmp "$work/canonical1" "$work/out" 2>&1)" "$(show)"
fi
run --canonical "$data/crlf.m3u8"
if ((rc == 0)) && [[ -s "$work/out" ]] && [[ "$(tr -cd '\r' <"$work/out" | wc -c | tr -d ' ')" -eq 0 ]]; then
    pass "--canonical writes LF line endings for CRLF input"
else
    fail "--canonical writes LF line endings for CRLF input" "$(show)"
fi

# ---- --check and the diagnostic format ----------------------------------------------
run --check "$data/media.m3u8"
if ((rc == 0)) && [[ ! -s "$work/out" && ! -s "$work/err" ]]; then
    pass "--check on a valid file: exit 0, no output"
else
    fail "--check on a valid file: exit 0, no output" "stdout bytes: $(wc -c <"$work/out" | tr -d ' ')" "$(show)"
fi
source_name="$data/duplicate_targetduration.m3u8"
run --check "$source_name"
prefix="$source_name:3:1: error: duplicate-tag: "
if ((rc == 1)) && [[ ! -s "$work/out" ]] && has_line_with_prefix "$work/err" "$prefix"; then
    pass "--check reports duplicate EXT-X-TARGETDURATION as 'SOURCE:3:1: error: duplicate-tag: ...', exit 1"
else
    fail "--check reports duplicate EXT-X-TARGETDURATION with exit 1" "expected a line starting '$prefix'" "$(show)"
fi
if [[ -s "$work/err" ]] && diagnostic_format_ok "$work/err" "$source_name"; then
    pass "every diagnostic line reads SOURCE:LINE:COLUMN: SEVERITY: CODE: message"
else
    fail "every diagnostic line reads SOURCE:LINE:COLUMN: SEVERITY: CODE: message" "$(show)"
fi
# Diagnostics of every severity are printed, warnings included.
if has_line_with_prefix "$work/err" "$source_name:4:1: warning: version-missing: "; then
    pass "warning-severity diagnostics are printed too"
else
    fail "warning-severity diagnostics are printed too" "expected a version-missing warning at 4:1" "$(show)"
fi
# Without --check the same file is written out and still exits 1 (an error diagnostic).
run "$source_name"
if ((rc == 1)) && cmp -s "$source_name" "$work/out" && has_line_with_prefix "$work/err" "$prefix"; then
    pass "without --check: playlist on stdout, diagnostics on stderr, exit 1"
else
    fail "without --check: playlist on stdout, diagnostics on stderr, exit 1" "$(show)"
fi

# ---- exit status 2: usage and I/O errors ---------------------------------------------
# check_usage_error NAME ARGS...: exit 2, nothing on stdout, exactly one line on stderr.
check_usage_error() {
    local name="$1"
    shift
    run "$@"
    if ((rc == 2)) && [[ ! -s "$work/out" ]] && [[ "$(line_count "$work/err")" -eq 1 ]]; then
        pass "$name: exit 2 with a one-line message"
    else
        fail "$name: exit 2 with a one-line message" "$(show)"
    fi
}
check_usage_error "missing file" "$data/does-not-exist.m3u8"
check_usage_error "directory as FILE" "$data"
check_usage_error "unknown option" --no-such-option "$data/media.m3u8"
check_usage_error "--strict with --lenient" --strict --lenient "$data/media.m3u8"
check_usage_error "--lenient with --strict" --lenient --strict "$data/media.m3u8"
check_usage_error "two files" "$data/media.m3u8" "$data/crlf.m3u8"

run --help
if ((rc == 0)) && has_line_with_prefix "$work/out" "usage: hlscat" && [[ ! -s "$work/err" ]]; then
    pass "--help prints usage on stdout, exit 0"
else
    fail "--help prints usage on stdout, exit 0" "stdout: $(head -c 200 "$work/out")" "$(show)"
fi

# ---- strictness ------------------------------------------------------------------
# version_too_low.m3u8 uses EXT-X-BYTERANGE with EXT-X-VERSION:3: an error-severity
# diagnostic that the default level reports but parses through.
source_name="$data/version_too_low.m3u8"
run "$source_name"
if ((rc == 1)) && cmp -s "$source_name" "$work/out" && has_line_with_prefix "$work/err" "$source_name:5:1: error: version-too-low: "; then
    pass "default level parses a version-too-low file (output written, exit 1)"
else
    fail "default level parses a version-too-low file (output written, exit 1)" "$(show)"
fi
run --strict "$source_name"
n="$(count_lines_with_prefix "$work/err" "$source_name:5:1: error: version-too-low: ")"
if ((rc == 1)) && [[ ! -s "$work/out" ]] && [[ "$n" -eq 1 ]]; then
    pass "--strict fails on version-too-low (no output, error printed once, exit 1)"
else
    fail "--strict fails on version-too-low (no output, error printed once, exit 1)" "error lines: $n" "$(show)"
fi
run --strict "$data/media.m3u8"
if ((rc == 0)) && cmp -s "$data/media.m3u8" "$work/out"; then
    pass "--strict accepts a valid file (exit 0)"
else
    fail "--strict accepts a valid file (exit 0)" "$(show)"
fi

source_name="$data/no_extm3u.m3u8"
prefix="$source_name:1:1: error: missing-extm3u: "
run "$source_name"
n="$(count_lines_with_prefix "$work/err" "$prefix")"
if ((rc == 1)) && [[ ! -s "$work/out" ]] && [[ "$n" -eq 1 ]]; then
    pass "default level fails without #EXTM3U (missing-extm3u printed once, no output, exit 1)"
else
    fail "default level fails without #EXTM3U (missing-extm3u printed once, no output, exit 1)" \
        "missing-extm3u lines: $n" "$(show)"
fi
run --lenient "$source_name"
if cmp -s "$source_name" "$work/out" && has_line_with_prefix "$work/err" "$prefix"; then
    pass "--lenient parses a file without #EXTM3U and writes it back unchanged"
else
    fail "--lenient parses a file without #EXTM3U and writes it back unchanged" "$(show)"
fi

# ---- empty input -------------------------------------------------------------------
# (Only the code is checked: where an empty input is positioned is the library's call.)
: >"$work/empty.m3u8"
run "$work/empty.m3u8"
if ((rc == 1)) && [[ ! -s "$work/out" ]] && [[ "$(line_count "$work/err")" -eq 1 ]] &&
    [[ "$(cat "$work/err")" == "$work/empty.m3u8:"*": error: empty-input: "* ]]; then
    pass "empty input: one empty-input error, no output, exit 1"
else
    fail "empty input: one empty-input error, no output, exit 1" "$(show)"
fi

# ---- shared corpus ---------------------------------------------------------------------
# Every corpus file round-trips byte for byte (lenient, so broken files count too), and
# --canonical is idempotent for every file the default level finds no error in.
if [[ -n "$corpus" && -d "$corpus" ]]; then
    total=0
    lossless_bad=()
    canonical_bad=()
    canonical_total=0
    while IFS= read -r file; do
        total=$((total + 1))
        run --lenient "$file"
        if ((rc > 1)) || ! cmp -s "$file" "$work/out"; then
            lossless_bad+=("${file#"$corpus"/} (exit $rc)")
        fi
        run --check "$file"
        if ((rc == 0)); then
            canonical_total=$((canonical_total + 1))
            run --canonical "$file"
            cp "$work/out" "$work/canonical1"
            first_rc=$rc
            run --canonical "$work/canonical1"
            if ((first_rc != 0 || rc != 0)) || ! cmp -s "$work/canonical1" "$work/out"; then
                canonical_bad+=("${file#"$corpus"/} (exit $first_rc then $rc)")
            fi
        elif ((rc > 1)); then
            canonical_bad+=("${file#"$corpus"/} (--check exit $rc)")
        fi
    done < <(find "$corpus" -type f \( -name '*.m3u8' -o -name '*.m3u' \) | LC_ALL=C sort)
    if ((total == 0)); then
        fail "corpus: lossless round trip" "no *.m3u8 files under $corpus"
    elif ((${#lossless_bad[@]} == 0)); then
        pass "corpus: lossless round trip is byte-exact for all $total files"
    else
        fail "corpus: lossless round trip is byte-exact for all $total files" \
            "${#lossless_bad[@]} differ, e.g.:" "${lossless_bad[@]:0:10}"
    fi
    if ((canonical_total == 0)); then
        fail "corpus: --canonical is idempotent" "no corpus file is free of errors"
    elif ((${#canonical_bad[@]} == 0)); then
        pass "corpus: --canonical is idempotent for all $canonical_total error-free files"
    else
        fail "corpus: --canonical is idempotent for all $canonical_total error-free files" \
            "${#canonical_bad[@]} not idempotent, e.g.:" "${canonical_bad[@]:0:10}"
    fi
else
    printf 'SKIP  corpus checks (no corpus directory%s)\n' "${corpus:+ at $corpus}"
fi

echo "$passed passed, $failed failed"
((failed == 0))
