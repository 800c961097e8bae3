# SPDX-License-Identifier: MIT
"""deploy/build-s3-dist.sh: templates filled in, one importable zip per Lambda
(detector, copilot, steering, regenerate).

Needs an hlspp wheel: HLSPP_WHEEL (any cpXY Linux x86_64 wheel, e.g. the cp311
one scripts/build-wheel.sh makes; the script then sets the templates' Runtime to
pythonX.Y), and a Python of that version: HLSPP_PYTHON, else this interpreter if
it is X.Y, else pythonX.Y / pyenv's. Without HLSPP_WHEEL the tests skip (building
a wheel here would compile the extension for minutes).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "deploy" / "build-s3-dist.sh"
FUNCTIONS = ["detector", "copilot", "steering", "regenerate"]


def _runs(python: str, version: str) -> bool:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30,
        )
    except OSError:
        return False
    return out.returncode == 0 and out.stdout.strip() == version


def _find_python(version: str) -> str | None:
    candidates = [os.environ.get("HLSPP_PYTHON", ""), sys.executable, f"python{version}"]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")))
    return next((c for c in candidates if c and _runs(c, version)), None)


@dataclass(frozen=True)
class Toolchain:
    python: str
    version: str  # Lambda runtime version, python<version>
    wheel: Path


@pytest.fixture(scope="module")
def toolchain() -> Toolchain:
    given = os.environ.get("HLSPP_WHEEL")
    if not given:
        pytest.skip(
            "HLSPP_WHEEL is not set: give an hlspp cpXY Linux wheel (scripts/build-wheel.sh builds a cp311 one; "
            "or pip wheel --no-deps -w build/wheel .) and a Python of that version (HLSPP_PYTHON)"
        )
    wheel = Path(given)
    if not wheel.is_file():
        pytest.fail(f"HLSPP_WHEEL={given}: no such file")
    m = re.search(r"-cp(\d)(\d+)-", wheel.name)
    if not m:
        pytest.fail(f"HLSPP_WHEEL={given} is not a CPython wheel")
    version = f"{m.group(1)}.{m.group(2)}"
    lambda_python = os.environ.get("HLSPP_LAMBDA_PYTHON")
    if lambda_python and lambda_python != version:
        pytest.fail(f"HLSPP_LAMBDA_PYTHON={lambda_python} but HLSPP_WHEEL is a cp{version.replace('.', '')} wheel")
    python = _find_python(version)
    if python is None:
        pytest.skip(f"HLSPP_WHEEL is for Python {version}, which is not installed (set HLSPP_PYTHON)")
    return Toolchain(python, version, wheel.resolve())


def run_script(
    tmp: Path, tc: Toolchain, functions: list[str], *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("HLSPP_")}
    full.update(
        HLSPP_WHEEL=str(tc.wheel),
        HLSPP_PYTHON=tc.python,
        HLSPP_LAMBDA_PYTHON=tc.version,
        HLSPP_DIST_DIR=str(tmp),
        HLSPP_FUNCTIONS=" ".join(functions),
    )
    full.update(env)
    return subprocess.run(
        ["bash", str(SCRIPT), *args], cwd=tmp, env=full, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, toolchain: Toolchain) -> Path:
    tmp = tmp_path_factory.mktemp("dist")
    proc = run_script(
        tmp, toolchain, FUNCTIONS, "hlspp-dist", "cvs-test", "v9.9.9",
        HLSPP_COPILOT_TABLE="mytable",
        HLSPP_COPILOT_TABLE_REGION="eu-west-2",
        HLSPP_COPILOT_FALLBACK_REGIONS="eu-west-1 us-east-1",
        HLSPP_COPILOT_FAIL_MODE="closed",
        HLSPP_COPILOT_AUTO="true",
        HLSPP_COPILOT_VERDICT_MAX_AGE="120",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp


def test_templates_filled_in(built: Path, toolchain: Toolchain) -> None:
    names = sorted(p.name for p in (built / "global-s3-assets").iterdir())
    assert names == [
        "clustered-video-stream-instance.template",
        "clustered-video-stream.template",
        "copilot.template",
        "stale-playlist-detector.template",
    ]
    copilot = (built / "global-s3-assets" / "copilot.template").read_text(encoding="utf-8")
    assert 'S3Bucket: "hlspp-dist-us-east-1"' in copilot
    assert 'S3Key: "cvs-test/v9.9.9/copilot.zip"' in copilot
    for p in (built / "global-s3-assets").iterdir():
        text = p.read_text(encoding="utf-8")
        assert "%%" not in text, p.name
        runtimes = set(re.findall(r"Runtime: (\S+)", text))
        assert runtimes == {f"python{toolchain.version}"}, (p.name, runtimes)


def test_one_zip_per_lambda_with_native_module(built: Path) -> None:
    zips = sorted(p.name for p in (built / "regional-s3-assets").iterdir())
    assert zips == sorted(f"{f}.zip" for f in FUNCTIONS)
    for name in zips:
        with zipfile.ZipFile(built / "regional-s3-assets" / name) as z:
            names = z.namelist()
        fn = name[: -len(".zip")]
        assert "hlspp/__init__.py" in names and f"hlspp/aws/{fn}.py" in names
        assert any(n.startswith("hlspp/_core") and n.endswith(".so") for n in names)
        assert not any(n.split("/")[0] in ("boto3", "botocore") for n in names), "runtime provides boto3"
        assert not any("__pycache__" in n for n in names)


def test_copilot_config_written_into_the_zip(built: Path) -> None:
    with zipfile.ZipFile(built / "regional-s3-assets" / "copilot.zip") as z:
        cfg = json.loads(z.read("hlspp/aws/copilot_config.json"))
    assert cfg == {
        "table": "mytable",
        "table_region": "eu-west-2",
        "fallback_regions": ["eu-west-1", "us-east-1"],
        "fail_mode": "closed",
        "auto": True,
        "cache_seconds": 5.0,
        "timeout_seconds": 1.0,
        "verdict_max_age_seconds": 120.0,
    }
    from hlspp.aws import copilot

    assert copilot.CopilotConfig.from_mapping(cfg).verdict_max_age_seconds == 120.0  # the copilot accepts it


def test_zips_work_alone(built: Path, toolchain: Toolchain, tmp_path: Path) -> None:
    """Unzipped alone, isolated from site-packages: the native core parses, each
    handler imports and answers (up to its configuration) without boto3."""
    checks = {
        "steering": 'print(steering.handler({"requestContext": {"http": {"method": "OPTIONS"}}}, None)["statusCode"])',
        "copilot": "print(copilot.load_config().table)",
        # no environment: each reports its first required variable
        "detector": (
            "try:\n    detector.handler({}, None)\n"
            "except detector.DetectorError as e:\n    print(str(e).split()[0])"
        ),
        "regenerate": (
            "try:\n    regenerate.handler({}, None)\n"
            "except regenerate.RegenerateError as e:\n    print(str(e).split()[0])"
        ),
    }
    expected = {
        "steering": "204",
        "copilot": "mytable",
        "detector": "HLSPP_ORIGIN_URL",
        "regenerate": "HLSPP_REGION_URLS",
    }
    assert sorted(checks) == sorted(FUNCTIONS)
    for fn, check in checks.items():
        with zipfile.ZipFile(built / "regional-s3-assets" / f"{fn}.zip") as z:
            z.extractall(tmp_path / fn)
        code = (
            "import sys\n"
            "sys.path.insert(0, sys.argv[1])\n"
            "import hlspp\n"
            "assert hlspp._core.__file__.startswith(sys.argv[1])\n"
            "pl = hlspp.parse('#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\na.m3u8\\n')\n"
            "assert isinstance(pl, hlspp.MasterPlaylist)\n"
            f"from hlspp.aws import {fn}\n"
            f"assert {fn}.__file__.startswith(sys.argv[1])\n"
            f"{check}\n"
            "assert 'boto3' not in sys.modules\n"
        )
        proc = subprocess.run(
            [toolchain.python, "-S", "-I", "-c", code, str(tmp_path / fn)],
            capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"},
        )
        assert proc.returncode == 0, fn + ": " + proc.stderr
        assert proc.stdout.strip() == expected[fn], fn


def test_bad_arguments_fail_early(tmp_path: Path) -> None:
    for args in ([], ["only", "two"], ["Bad_Bucket", "p", "v1"], ["b-ok", "p", "v/1"]):
        proc = subprocess.run(["bash", str(SCRIPT), *args], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert proc.returncode != 0 and "build-s3-dist:" in proc.stderr, args
    assert not (tmp_path / "global-s3-assets").exists()


def test_unknown_function_is_an_error(tmp_path: Path, toolchain: Toolchain) -> None:
    proc = run_script(tmp_path, toolchain, ["nope"], "hlspp-dist", "cvs", "v1")
    assert proc.returncode != 0
    assert "unknown function: nope" in proc.stderr


def test_script_has_no_bsd_sed() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "sed -i ''" not in text
    assert shutil.which("bash") is not None and sys.platform.startswith("linux")
