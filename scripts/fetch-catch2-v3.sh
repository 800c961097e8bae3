#!/usr/bin/env bash
# Fetches a prebuilt Catch2 v3 (Debian bookworm-backports' libcatch2-dev) into
# build/deps/catch2-v3 WITHOUT touching the system: it uses a private apt state
# directory and just unpacks the .deb. The system's Catch2 v2 (package catch2)
# stays in place, so scripts/test.sh can build the tests against both versions.
#
# Usage: scripts/fetch-catch2-v3.sh        (idempotent; prints the prefix)
# Then:  cmake ... -DCMAKE_PREFIX_PATH="$PWD/build/deps/catch2-v3/usr"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dest="build/deps/catch2-v3"
prefix="$dest/usr"
if [[ -f "$prefix/lib/cmake/Catch2/Catch2Config.cmake" ]]; then
    echo "Catch2 v3 already present: $PWD/$prefix"
    exit 0
fi

# shellcheck disable=SC1091
. /etc/os-release
if [[ "${ID:-}" != debian || "${VERSION_CODENAME:-}" != bookworm ]]; then
    echo "fetch-catch2-v3: only implemented for Debian 12 (bookworm); found ${PRETTY_NAME:-unknown}" >&2
    exit 1
fi

work="build/deps/apt"
rm -rf "$work" "$dest"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/download" "$dest"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main" \
    > "$work/sources.list"
apt_opts=(
    -o "Dir::Etc::SourceList=$PWD/$work/sources.list"
    -o "Dir::Etc::SourceParts=/nonexistent"
    -o "Dir::State::Lists=$PWD/$work/lists"
    -o "Dir::Cache=$PWD/$work/cache"
    -o "APT::Sandbox::User=root"
    -o "Debug::NoLocking=1"
)
apt-get "${apt_opts[@]}" -qq update
version="$(apt-cache "${apt_opts[@]}" policy libcatch2-dev | awk '/Candidate:/ {print $2}')"
if [[ "$version" != 3.* ]]; then
    echo "fetch-catch2-v3: bookworm-backports offers libcatch2-dev '$version', not 3.x" >&2
    exit 1
fi
(cd "$work/download" && apt-get "${apt_opts[@]}" -qq download "libcatch2-dev=$version")
dpkg-deb -x "$work/download/"libcatch2-dev_*.deb "$dest"
rm -rf "$work"
echo "Catch2 $version unpacked: $PWD/$prefix"
