# SPDX-License-Identifier: MIT
"""The built wheel and sdist (issue 5: the wheel must run on AWS Lambda, Amazon
Linux 2023 with glibc 2.34, so its platform tag must be manylinux_2_28 or older).

Runs on artefacts built by scripts/build-wheel.sh, named by the environment:

  HLSPP_WHEEL            the wheel (pip wheel .), before auditwheel repair
  HLSPP_SDIST            the sdist (python -m build --sdist)
  HLSPP_SDIST_INSTALL=1  also pip-install the sdist into a fresh venv (compiles the
                         extension from scratch: minutes on 2 cores, so opt-in)

Without them every test here is skipped. scripts/test.sh's python leg sets them
(step python-wheel).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WHEEL = os.environ.get("HLSPP_WHEEL", "")
SDIST = os.environ.get("HLSPP_SDIST", "")

needs_wheel = pytest.mark.skipif(
    not WHEEL, reason="HLSPP_WHEEL is not set (build one with scripts/build-wheel.sh; scripts/test.sh python does)"
)
needs_sdist = pytest.mark.skipif(
    not SDIST, reason="HLSPP_SDIST is not set (build one with scripts/build-wheel.sh; scripts/test.sh python does)"
)

# Everything the extension may load: glibc only (no libstdc++, no libgcc_s).
ALLOWED_NEEDED = {"libc.so.6", "libm.so.6", "libpthread.so.0", "ld-linux-x86-64.so.2"}
MAX_GLIBC = (2, 28)

SMOKE = r"""
import threading, hlspp
text = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:5.5,\na.ts\n#EXTINF:6,\nb.ts\n#EXT-X-ENDLIST\n"
pl = hlspp.parse(text)
assert [s.uri for s in pl.segments] == ["a.ts", "b.ts"], pl.segments
assert pl.segments[0].duration == 5.5
pl.segments[1].uri = "c.ts"
assert "c.ts" in pl.dumps()
# C++ exceptions inside the extension (the statically linked unwinder) become Python ones
try:
    hlspp.parse("not a playlist")
except hlspp.ParseError as e:
    assert isinstance(e.code, str) and e.line >= 0
else:
    raise AssertionError("no ParseError")
# the GIL is released while large playlists are parsed and written
big = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n" + "#EXTINF:6,\nx.ts\n" * 5000
out = []
ts = [threading.Thread(target=lambda: out.append(len(hlspp.parse(big).dumps()))) for _ in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
assert len(set(out)) == 1 and len(out) == 4, out
print("ok", hlspp.__version__)
"""


def _extension(tmp_path: Path) -> Path:
    with zipfile.ZipFile(WHEEL) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"hlspp/_core\..*\.so", n)]
        assert len(names) == 1, names
        return Path(z.extract(names[0], tmp_path))


def _fresh_venv(where: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    return where / "bin" / "python"


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    assert r.returncode == 0, f"{' '.join(cmd)} failed:\n{r.stdout}\n{r.stderr}"
    return r


@needs_wheel
def test_manylinux_tag_at_most_2_28() -> None:
    r = subprocess.run([sys.executable, "-m", "auditwheel", "show", WHEEL], capture_output=True, text=True)
    assert r.returncode == 0, f"auditwheel show failed (pip install auditwheel):\n{r.stdout}\n{r.stderr}"
    text = " ".join(r.stdout.split())
    m = re.search(r'following platform tag: "manylinux_(\d+)_(\d+)_x86_64"', text)
    assert m, f"no manylinux tag in auditwheel show:\n{r.stdout}"
    assert (int(m.group(1)), int(m.group(2))) <= MAX_GLIBC, r.stdout


@needs_wheel
def test_no_glibc_symbol_newer_than_2_28(tmp_path: Path) -> None:
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.skip("objdump (binutils) is not installed")
    out = _run([objdump, "-T", str(_extension(tmp_path))], tmp_path).stdout
    newer = sorted(
        {
            f"{line.split()[-1]}@GLIBC_{major}.{minor}"
            for line in out.splitlines()
            for major, minor in re.findall(r"\(?GLIBC_(\d+)\.(\d+)", line)
            if (int(major), int(minor)) > MAX_GLIBC
        }
    )
    assert not newer, f"symbols needing glibc > 2.28: {newer}"


@needs_wheel
def test_extension_needs_only_glibc(tmp_path: Path) -> None:
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("readelf (binutils) is not installed")
    out = _run([readelf, "-d", str(_extension(tmp_path))], tmp_path).stdout
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))
    assert needed, out
    assert needed <= ALLOWED_NEEDED, f"unexpected dynamic dependencies: {sorted(needed - ALLOWED_NEEDED)}"


@needs_wheel
def test_no_runtime_dependency() -> None:
    with zipfile.ZipFile(WHEEL) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        text = z.read(meta).decode("utf-8")
    requires = [line for line in text.splitlines() if line.startswith("Requires-Dist:")]
    unconditional = [r for r in requires if "extra ==" not in r]
    assert not unconditional, f"runtime dependencies outside extras: {unconditional}"


@needs_wheel
def test_wheel_contents_and_size() -> None:
    with zipfile.ZipFile(WHEEL) as z:
        names = set(z.namelist())
    for required in ("hlspp/__init__.py", "hlspp/_core.pyi", "hlspp/py.typed", "hlspp/cli.py"):
        assert required in names, f"{required} missing from the wheel"
    assert not [n for n in names if n.startswith(("tests/", "bench/", "include/"))]
    size = os.path.getsize(WHEEL)  # also in scripts/build-wheel.sh's summary.env (WHEEL_BYTES)
    print(f"wheel {Path(WHEEL).name}: {size} bytes")
    # stripped, static runtime included: ~1 MB; a debug build or a second copy would show here
    assert size < 4 * 1024 * 1024, size


@needs_wheel
def test_installs_into_fresh_venv_and_parses(tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "venv")
    # --no-index: installing must need nothing but the wheel
    _run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-index", "--quiet", WHEEL], tmp_path)
    r = _run([str(python), "-c", SMOKE], tmp_path)  # cwd outside the source tree
    assert r.stdout.startswith("ok "), r.stdout
    origin = _run([str(python), "-c", "import hlspp, sys; print(hlspp.__file__)"], tmp_path).stdout
    assert str(tmp_path / "venv") in origin, origin


@needs_sdist
def test_sdist_has_every_source_file() -> None:
    with tarfile.open(SDIST) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    expected = {"pyproject.toml", "CMakeLists.txt", "README.md", "python/hlspp/_core.pyi", "python/hlspp/py.typed"}
    for folder, pattern in (("include/hlspp", "**/*.hpp"), ("bindings", "*"), ("python/hlspp", "**/*.py"), ("cmake", "*")):
        expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).glob(pattern) if p.is_file()}
    missing = sorted(expected - names)
    assert not missing, f"missing from the sdist: {missing}"
    assert not [n for n in names if n.startswith(("build/", "tests/data/", "bench/", "fuzz/"))]


@needs_sdist
@pytest.mark.skipif(
    os.environ.get("HLSPP_SDIST_INSTALL") != "1",
    reason="set HLSPP_SDIST_INSTALL=1 to build the sdist in a fresh venv (compiles everything: minutes on 2 cores)",
)
def test_sdist_installs_into_fresh_venv(tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "venv")
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2"))
    r = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", SDIST],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    assert r.returncode == 0, f"pip install {SDIST} failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    out = _run([str(python), "-c", SMOKE], tmp_path).stdout
    assert out.startswith("ok "), out
