# SPDX-License-Identifier: MIT
"""The rest of the public API: names, version, URI helpers, variable substitution."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import hlspp
from support import REPO_ROOT


def test_public_names() -> None:
    for name in hlspp.__all__:
        assert hasattr(hlspp, name), name
    for name in ("parse", "load", "ParseError", "FetchError", "SerializeError", "Diagnostic",
                 "MediaPlaylist", "MasterPlaylist", "Segment", "Variant", "Rendition"):
        assert name in hlspp.__all__
    assert issubclass(hlspp.ParseError, ValueError)
    assert issubclass(hlspp.SerializeError, ValueError)
    assert issubclass(hlspp.FetchError, OSError)
    assert hlspp.MediaPlaylist.__module__ == "hlspp._core"


def test_import_loads_only_what_parsing_needs() -> None:
    # `import hlspp` is on every Lambda cold start (target < 30 ms, bench/python_targets.py):
    # typing, pathlib, re and urllib cost as much as the C++ core and are imported on
    # first use only. Checked by what a fresh interpreter has loaded, not by a timing.
    code = (
        "import sys; before = set(sys.modules); import hlspp; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())
    assert {"hlspp", "hlspp._core", "hlspp._errors", "hlspp._fetch"} <= loaded
    heavy = {"typing", "pathlib", "re", "urllib.parse", "urllib.request", "http.client", "socket", "ipaddress"}
    assert not loaded & heavy, sorted(loaded & heavy)


def test_type_aliases_are_made_on_first_use() -> None:
    from typing import Literal, Union

    assert hlspp.Playlist == Union[hlspp.MasterPlaylist, hlspp.MediaPlaylist]
    assert hlspp.Strictness == Literal["lenient", "default", "strict"]
    assert hlspp.Playlist is hlspp.Playlist  # made once
    namespace: dict[str, object] = {}
    exec("from hlspp import *", namespace)
    assert namespace["Playlist"] == hlspp.Playlist
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        getattr(hlspp, "no_such_name")


def test_version_matches_version_hpp() -> None:
    header = (REPO_ROOT / "include" / "hlspp" / "version.hpp").read_text(encoding="utf-8")
    parts = [re.search(rf"version_{p}\s*=\s*(\d+)", header) for p in ("major", "minor", "patch")]
    assert all(parts)
    expected = ".".join(m.group(1) for m in parts if m)
    assert hlspp.__version__ == expected
    from importlib.metadata import version

    assert version("hlspp") == expected


def test_package_is_typed() -> None:
    package = Path(hlspp.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "_core.pyi").is_file()


def test_uri_helpers() -> None:
    base = "https://origin.example/out/v1/abc/index.m3u8"
    assert hlspp.resolve_uri(base, "index_1.m3u8") == "https://origin.example/out/v1/abc/index_1.m3u8"
    assert hlspp.resolve_uri(base, "../x/y.ts") == "https://origin.example/out/v1/x/y.ts"
    assert hlspp.resolve_uri(base, "https://cdn.example/z.ts") == "https://cdn.example/z.ts"
    assert hlspp.relativize_uri(base, "https://origin.example/out/v1/abc/seg/1.ts") == "seg/1.ts"
    assert hlspp.relativize_uri(base, "https://other.example/a.ts") is None
    assert hlspp.is_absolute_uri("skd://key") and not hlspp.is_absolute_uri("a/b.ts")


def test_substitute_variables() -> None:
    master = hlspp.parse(
        '#EXTM3U\n#EXT-X-DEFINE:NAME="host",VALUE="cdn.example"\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=1000\nhttps://{$host}/v.m3u8\n'
    )
    assert isinstance(master, hlspp.MasterPlaylist)
    result = hlspp.substitute_variables(master)
    assert result.ok and result.variables == [("host", "cdn.example")]
    assert master.variants[0].uri == "https://cdn.example/v.m3u8"
    media = hlspp.parse(
        '#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-DEFINE:IMPORT="host"\n#EXT-X-DEFINE:QUERYPARAM="token"\n'
        "#EXTINF:4,\nhttps://{$host}/a.ts?t={$token}\n",
        base_uri="https://origin.example/m.m3u8?token=abc",
    )
    assert isinstance(media, hlspp.MediaPlaylist)
    r = hlspp.substitute_variables(media, parent=result.variables)
    assert r.ok, [str(d) for d in r.diagnostics]
    assert media.segments[0].uri == "https://cdn.example/a.ts?t=abc"
    undefined = hlspp.parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n{$nope}.ts\n")
    r = hlspp.substitute_variables(undefined)
    assert not r.ok and r.diagnostics[0].code == "undefined-variable"
    with pytest.raises(TypeError):
        hlspp.substitute_variables("not a playlist")  # type: ignore[arg-type]
