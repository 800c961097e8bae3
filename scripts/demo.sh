#!/usr/bin/env bash
# The README's first command (no test dependencies, no cloud account): builds the
# examples and runs the main job on the bundled example — the seed's two regions'
# master playlists merged into one clustered master playlist — then shows hlscat:
#   0. hlsmerge: the seed's merge, compared byte for byte with the seed's result,
#   1. a lossless round trip of a region master playlist (byte for byte),
#   2. the canonical form of a live media playlist,
#   3. a check that reports a real problem with line, column and code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=build/demo
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DHLSPP_BUILD_TESTS=OFF -DHLSPP_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" --target hlscat hlsmerge -j2 >/dev/null
hlscat="$build/examples/hlscat"
hlsmerge="$build/examples/hlsmerge"

one=https://d1q747mcnm9q46.cloudfront.net/out/v1/f53b2dd7810e43f4a05bffec4aa5c7a1/index.m3u8
two=https://d3623mp9gw7c0l.cloudfront.net/out/v1/3889cc3066c34b11ad01a1be071fb09a/index.m3u8
echo "== 0. hlsmerge: the seed's two regions into one clustered master playlist"
"$hlsmerge" -o "$build/merged.m3u8" "tests/data/seed/region-one.m3u8=$one" "tests/data/seed/region-two.m3u8=$two"
cat "$build/merged.m3u8"
if cmp -s "$build/merged.m3u8" tests/data/seed/merged.m3u8; then
  echo "-> identical to the seed's hand-made merged playlist"
else
  echo "-> differs from the seed's merged playlist" >&2
  exit 1
fi
echo

echo "== 1. lossless round trip of examples/data/region-one.m3u8"
"$hlscat" examples/data/region-one.m3u8 > "$build/region-one.out"
if cmp -s examples/data/region-one.m3u8 "$build/region-one.out"; then
  echo "identical, byte for byte ($(wc -c < "$build/region-one.out") bytes)"
else
  echo "round trip differs" >&2
  exit 1
fi

echo
echo "== 2. canonical form of examples/data/live-window.m3u8"
"$hlscat" --canonical --lenient examples/data/live-window.m3u8 2>/dev/null || true

echo
echo "== 3. hlscat --check examples/data/live-window.m3u8 (it repeats EXT-X-TARGETDURATION)"
set +e
"$hlscat" --check examples/data/live-window.m3u8
status=$?
set -e
echo "exit status $status (1 = an error-severity diagnostic was found)"
[ "$status" -eq 1 ]
