#!/usr/bin/env bash
# The README's first command: builds the `hlscat` example (no test dependencies,
# no cloud account) and runs it on the bundled example playlists:
#   1. a lossless round trip of the seed's region master playlist (byte for byte),
#   2. the canonical form of a live media playlist,
#   3. a check that reports a real problem with line, column and code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=build/demo
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DHLSPP_BUILD_TESTS=OFF -DHLSPP_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" --target hlscat -j2 >/dev/null
hlscat="$build/examples/hlscat"

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
