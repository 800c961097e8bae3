#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the deployment assets of the hlspp clustered video stream (GNU/Linux, bash).
#
#   deploy/build-s3-dist.sh <base-bucket-name> <project> <version>
#
# global-s3-assets/    the four CloudFormation templates, %%BUCKET_NAME%%,
#                      %%SOLUTION_NAME%% and %%VERSION%% filled in (*.template)
# regional-s3-assets/  one zip per Lambda: detector, copilot, steering, regenerate;
#                      each holds the hlspp package with its native module (from
#                      a wheel) and is checked by importing its handler with only
#                      the unzipped dir on sys.path. boto3 is not packaged: the
#                      Lambda Python runtimes (Lambda@Edge included) provide it.
#
# Environment:
#   HLSPP_WHEEL            an hlspp wheel to use (else: pip wheel of this tree)
#   HLSPP_LAMBDA_PYTHON    Lambda runtime version, default 3.12; the built templates'
#                          Runtime is set to python$HLSPP_LAMBDA_PYTHON to match the wheel
#   HLSPP_PYTHON           interpreter of that version, default python$HLSPP_LAMBDA_PYTHON
#   HLSPP_DIST_DIR         where the two asset dirs go, default: this script's dir
#   HLSPP_FUNCTIONS        zips to build, default "detector copilot steering regenerate"
#   HLSPP_RUNTIME_SITE     dir holding boto3 for the import check (default: the one
#                          HLSPP_PYTHON imports, if any); only boto3 and its deps are
#                          taken from it, as from the Lambda runtime
#   copilot_config.json (Lambda@Edge has no environment variables):
#   HLSPP_COPILOT_TABLE (default cvs = the templates' ClusteredVideoStreamName),
#   HLSPP_COPILOT_TABLE_REGION (default eu-west-1 = RegionOne),
#   HLSPP_COPILOT_FALLBACK_REGIONS (replicas tried next, space separated, default none),
#   HLSPP_COPILOT_FAIL_MODE (open|closed, default open), HLSPP_COPILOT_AUTO
#   (true|false, default false), HLSPP_COPILOT_CACHE_SECONDS (default 5),
#   HLSPP_COPILOT_TIMEOUT (seconds, default 1), HLSPP_COPILOT_VERDICT_MAX_AGE (seconds
#   after which auto mode stops acting on a playlist_fresh=false the detector has not
#   rewritten, default 300; 0: any age)
set -euo pipefail

die() { echo "build-s3-dist: $*" >&2; exit 1; }

[[ $# -eq 3 ]] || die "usage: $0 <base-bucket-name> <project> <version>"
bucket=$1 project=$2 version=$3
# Checked so that they need no escaping in sed and are valid in S3 names/keys.
[[ $bucket =~ ^[a-z0-9][a-z0-9.-]{1,45}$ ]] || die "bad base bucket name: $bucket"
[[ $project =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "bad project name: $project"
[[ $version =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "bad version: $version"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
dist=${HLSPP_DIST_DIR:-$here}
pyver=${HLSPP_LAMBDA_PYTHON:-3.12}
[[ $pyver =~ ^3\.(9|1[0-9])$ ]] || die "bad HLSPP_LAMBDA_PYTHON: $pyver"
py=${HLSPP_PYTHON:-python$pyver}
functions=${HLSPP_FUNCTIONS:-detector copilot steering regenerate}

# The real interpreter (not a shim): the import check runs it with an empty environment.
py=$("$py" -c 'import sys; print(sys.executable)' 2>/dev/null) \
  || die "${HLSPP_PYTHON:-python$pyver} does not run (set HLSPP_PYTHON to a Python $pyver)"
[[ $("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])') == "$pyver" ]] \
  || die "$py is not Python $pyver"

global="$dist/global-s3-assets"
regional="$dist/regional-s3-assets"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$global" "$regional"
mkdir -p "$global" "$regional"

# --- templates -----------------------------------------------------------------
for name in stale-playlist-detector copilot clustered-video-stream-instance clustered-video-stream; do
  sed -e "s/%%BUCKET_NAME%%/$bucket/g" -e "s/%%SOLUTION_NAME%%/$project/g" -e "s/%%VERSION%%/$version/g" \
    -e "s/^\( *Runtime: \)python3\.12\$/\1python$pyver/" \
    "$here/$name.yaml" > "$global/$name.template"
  if grep -n '%%' "$global/$name.template"; then die "placeholder left in $name.template"; fi
done

# --- the hlspp wheel -------------------------------------------------------------
wheel=${HLSPP_WHEEL:-}
if [[ -z $wheel ]]; then
  echo "build-s3-dist: building the hlspp wheel with $py (takes minutes)"
  "$py" -m pip wheel --no-deps -q -w "$work/wheel" "$root"
  wheel=$(ls "$work"/wheel/hlspp-*.whl)
fi
[[ -f $wheel ]] || die "wheel not found: $wheel"
tag=cp${pyver/./}
case $(basename "$wheel") in
  *-"$tag"-*linux*x86_64.whl) ;;
  *) die "$(basename "$wheel") is not a $tag Linux x86_64 wheel (Lambda python$pyver, x86_64)" ;;
esac

"$py" -m zipfile -e "$wheel" "$work/wheelroot"
[[ -d $work/wheelroot/hlspp ]] || die "no hlspp package in $wheel"
so=$(find "$work/wheelroot/hlspp" -maxdepth 1 -name "_core*.so" | head -n1)
[[ -n $so ]] || die "no native module hlspp/_core*.so in $wheel"
# The pure-Python files come from this tree, so that a cached wheel does not
# ship stale handlers (the native module must still match them: checked below).
(cd "$root/python" && find hlspp -name '*.py' -print0 | while IFS= read -r -d '' f; do
  mkdir -p "$work/wheelroot/$(dirname "$f")"; cp "$f" "$work/wheelroot/$f"; done)

# Lambda python3.12 runs on Amazon Linux 2023 (glibc 2.34, libstdc++ of GCC 11).
"$py" - "$so" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
def newest(prefix):
    found = {tuple(int(x) for x in m.split(b".")) for m in re.findall(prefix + rb"([0-9]+(?:\.[0-9]+)+)", data)}
    return max(found) if found else None
glibc, cxx = newest(rb"GLIBC_"), newest(rb"GLIBCXX_")
fmt = lambda v: ".".join(map(str, v)) if v else "none"
print(f"build-s3-dist: native module needs GLIBC {fmt(glibc)}, GLIBCXX {fmt(cxx)}")
if (glibc and glibc > (2, 34)) or (cxx and cxx > (3, 4, 29)):
    print("build-s3-dist: WARNING: newer than Amazon Linux 2023 (GLIBC 2.34, GLIBCXX 3.4.29);"
          " build the wheel in a manylinux_2_28 (or older) image for Lambda", file=sys.stderr)
EOF

runtime_site=${HLSPP_RUNTIME_SITE:-$("$py" -c 'import os, boto3; print(os.path.dirname(os.path.dirname(boto3.__file__)))' 2>/dev/null || true)}

copilot_config() {
  HLSPP_COPILOT_TABLE=${HLSPP_COPILOT_TABLE:-cvs} \
  HLSPP_COPILOT_TABLE_REGION=${HLSPP_COPILOT_TABLE_REGION:-eu-west-1} \
  HLSPP_COPILOT_FALLBACK_REGIONS=${HLSPP_COPILOT_FALLBACK_REGIONS:-} \
  HLSPP_COPILOT_FAIL_MODE=${HLSPP_COPILOT_FAIL_MODE:-open} \
  HLSPP_COPILOT_AUTO=${HLSPP_COPILOT_AUTO:-false} \
  HLSPP_COPILOT_CACHE_SECONDS=${HLSPP_COPILOT_CACHE_SECONDS:-5} \
  HLSPP_COPILOT_TIMEOUT=${HLSPP_COPILOT_TIMEOUT:-1} \
  HLSPP_COPILOT_VERDICT_MAX_AGE=${HLSPP_COPILOT_VERDICT_MAX_AGE:-300} \
  "$py" - "$1" <<'EOF'
import json, os, sys
e = os.environ
auto = e["HLSPP_COPILOT_AUTO"].lower()
if auto not in ("true", "false"):
    sys.exit("build-s3-dist: HLSPP_COPILOT_AUTO must be true or false")
cfg = {
    "table": e["HLSPP_COPILOT_TABLE"],
    "table_region": e["HLSPP_COPILOT_TABLE_REGION"],
    "fallback_regions": e["HLSPP_COPILOT_FALLBACK_REGIONS"].replace(",", " ").split(),
    "fail_mode": e["HLSPP_COPILOT_FAIL_MODE"],
    "auto": auto == "true",
    "cache_seconds": float(e["HLSPP_COPILOT_CACHE_SECONDS"]),
    "timeout_seconds": float(e["HLSPP_COPILOT_TIMEOUT"]),
    "verdict_max_age_seconds": float(e["HLSPP_COPILOT_VERDICT_MAX_AGE"]),
}
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(cfg, f, indent=2)
    f.write("\n")
EOF
}

# Imports the handler from a clean dir: isolated mode, no site-packages; only boto3
# and its dependencies may come from the runtime dir (as Lambda provides them).
check_zip() { # zip module
  local check="$work/check-$2"
  rm -rf "$check"
  "$py" -m zipfile -e "$1" "$check"
  (cd "$check" && env -i PATH=/usr/bin:/bin HOME="$check" "$py" -S -I - "$check" "$2" "$runtime_site" <<'EOF'
import importlib, importlib.machinery, sys
zipdir, module, runtime = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path[:] = [zipdir] + [p for p in sys.path if "site-packages" not in p and "dist-packages" not in p]
RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"}
class Runtime:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if runtime and name.split(".")[0] in RUNTIME and path is None:
            return importlib.machinery.PathFinder.find_spec(name, [runtime])
        return None
sys.meta_path.append(Runtime)
mod = importlib.import_module(module)
assert callable(mod.handler), module + ".handler is not callable"
core = sys.modules["hlspp._core"].__file__
assert core.startswith(zipdir), "hlspp._core loaded from outside the zip: " + core
if module == "hlspp.aws.copilot":
    print("  copilot config:", mod.load_config())
print("  import", module + ".handler: ok")
EOF
  ) || die "$(basename "$1"): cannot import $2.handler from the zip alone"
}

make_zip() { # src-dir zip
  "$py" - "$1" "$2" <<'EOF'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for base, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(base, name)
            info = zipfile.ZipInfo(os.path.relpath(path, src), date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
EOF
}

# --- one zip per Lambda ------------------------------------------------------------
for fn in $functions; do
  case $fn in detector|copilot|steering|regenerate) ;; *) die "unknown function: $fn" ;; esac
  module=hlspp.aws.$fn
  [[ -f $work/wheelroot/hlspp/aws/$fn.py ]] || die "$module is missing (hlspp/aws/$fn.py not in the wheel or the tree)"
  stage="$work/stage-$fn"
  rm -rf "$stage"
  mkdir -p "$stage"
  cp -r "$work/wheelroot/hlspp" "$stage/"
  find "$stage" -name '__pycache__' -prune -exec rm -rf {} +
  if [[ $fn == copilot ]]; then
    copilot_config "$stage/hlspp/aws/copilot_config.json"
  fi
  make_zip "$stage" "$regional/$fn.zip"
  echo "build-s3-dist: $fn.zip ($(du -k "$regional/$fn.zip" | cut -f1) KiB)"
  check_zip "$regional/$fn.zip" "$module"
done

echo "build-s3-dist: done: $global, $regional"
