#!/usr/bin/env bash
# Command-line tests of the hlsmerge example: the seed's procedure end to end.
#   test_hlsmerge.sh HLSMERGE TEST_DATA_DIR
set -u
hlsmerge="$1"
data="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name="$1"
  shift
  if "$@"; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    failed=$((failed + 1))
  fi
}
one=https://d1q747mcnm9q46.cloudfront.net/out/v1/f53b2dd7810e43f4a05bffec4aa5c7a1/index.m3u8
two=https://d3623mp9gw7c0l.cloudfront.net/out/v1/3889cc3066c34b11ad01a1be071fb09a/index.m3u8

"$hlsmerge" "$data/seed/region-one.m3u8=$one" "$data/seed/region-two.m3u8=$two" > "$work/merged.m3u8"
check "seed merge exits 0" test $? -eq 0
check "seed merge is the seed's merged playlist byte for byte" cmp -s "$work/merged.m3u8" "$data/seed/merged.m3u8"

"$hlsmerge" -o "$work/out.m3u8" "$data/seed/region-one.m3u8=$one" "$data/seed/region-two.m3u8=$two"
check "-o writes the same bytes" cmp -s "$work/out.m3u8" "$data/seed/merged.m3u8"

"$hlsmerge" --steering https://steer.example/m.json "east:$data/seed/region-one.m3u8=$one" \
  "west:$data/seed/region-two.m3u8=$two" > "$work/steer.m3u8"
check "steering merge exits 0" test $? -eq 0
check "steering tag names the default pathway" \
  grep -qx '#EXT-X-CONTENT-STEERING:SERVER-URI="https://steer.example/m.json",PATHWAY-ID="east"' "$work/steer.m3u8"
check "every variant carries a pathway" test "$(grep -c 'PATHWAY-ID="west"' "$work/steer.m3u8")" -eq 4

# A ladder that differs: exit 1 with a ladder-mismatch diagnostic naming the variant.
sed 's/BANDWIDTH=1425600,AVERAGE/BANDWIDTH=1500000,AVERAGE/' "$data/seed/region-two.m3u8" > "$work/other.m3u8"
"$hlsmerge" "$data/seed/region-one.m3u8=$one" "$work/other.m3u8=$two" > /dev/null 2> "$work/err.txt"
status=$?
check "mismatched ladders exit 1" test $status -eq 1
check "mismatch diagnostic names the variant" grep -q 'error: ladder-mismatch: variant BANDWIDTH=1425600' "$work/err.txt"
"$hlsmerge" --allow-partial "$data/seed/region-one.m3u8=$one" "$work/other.m3u8=$two" > /dev/null 2> "$work/err.txt"
check "--allow-partial merges with a warning" grep -q 'warning: ladder-mismatch' "$work/err.txt"

"$hlsmerge" "$data/seed/region-one.m3u8=$one" > /dev/null 2>&1
check "one origin is a usage error (2)" test $? -eq 2
"$hlsmerge" "$work/missing.m3u8=$one" "$data/seed/region-two.m3u8=$two" > /dev/null 2>&1
check "unreadable file is an I/O error (2)" test $? -eq 2
"$hlsmerge" "$data/seed/region-one.m3u8=relative/path" "$data/seed/region-two.m3u8=$two" > /dev/null 2>&1
check "a relative base URL is refused (1)" test $? -eq 1

echo "$passed passed, $failed failed"
test "$failed" -eq 0
