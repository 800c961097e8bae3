# SPDX-License-Identifier: MIT
"""hlspp.parse(): kinds, strictness, inputs, ParseError and diagnostics."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest

import hlspp
from support import LL_MEDIA, MASTER, MEDIA


def test_parse_media_and_master_kinds() -> None:
    media = hlspp.parse(MEDIA)
    master = hlspp.parse(MASTER)
    assert isinstance(media, hlspp.MediaPlaylist)
    assert isinstance(master, hlspp.MasterPlaylist)
    assert media.kind == "media"
    assert master.kind == "master"


def test_parse_is_lossless() -> None:
    for text in (MEDIA, LL_MEDIA, MASTER):
        pl = hlspp.parse(text)
        assert pl.dumps() == text
        assert str(pl) == text
        assert pl.to_bytes() == text.encode()


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t,
        lambda t: t.encode(),
        lambda t: bytearray(t.encode()),
        lambda t: memoryview(t.encode()),
    ],
    ids=["str", "bytes", "bytearray", "memoryview"],
)
def test_parse_accepts_str_and_bytes_like(
    make: Callable[[str], str | bytes | bytearray | memoryview],
) -> None:
    pl = hlspp.parse(make(MEDIA))
    assert pl.dumps() == MEDIA


def test_parse_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        hlspp.parse(42)  # type: ignore[arg-type]


def test_base_uri_is_kept() -> None:
    pl = hlspp.parse(MEDIA, base_uri="https://origin.example/live/index.m3u8")
    assert pl.base_uri == "https://origin.example/live/index.m3u8"
    assert hlspp.parse(MEDIA).base_uri is None
    pl.base_uri = "https://other.example/x.m3u8"
    assert pl.base_uri == "https://other.example/x.m3u8"
    pl.base_uri = None
    assert pl.base_uri is None


def test_crlf_bom_and_missing_final_newline_round_trip() -> None:
    text = "\ufeff#EXTM3U\r\n#EXT-X-TARGETDURATION:10\r\n#EXTINF:9.009,\r\nfirst.ts\r\n#EXTINF:9,\r\nlast.ts"
    pl = hlspp.parse(text, strictness="lenient")
    assert pl.dumps() == text
    raw = text.encode()
    assert hlspp.parse(raw, strictness="lenient").to_bytes() == raw


def test_invalid_utf8_bytes_round_trip_leniently() -> None:
    raw = b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:5,\nseg-\xff.ts\n"
    pl = hlspp.parse(raw, strictness="lenient")
    assert isinstance(pl, hlspp.MediaPlaylist)
    assert pl.to_bytes() == raw
    # Not UTF-8: the str forms use surrogateescape, so nothing is lost.
    assert pl.segments[0].uri == "seg-\udcff.ts"
    assert pl.dumps().encode("utf-8", "surrogateescape") == raw
    assert any(d.code == "invalid-utf8" for d in pl.diagnostics)


@pytest.mark.parametrize(
    ("text", "strictness", "line", "column", "code"),
    [
        ("", "default", 1, 1, "empty-input"),
        ("hello\n", "default", 1, 1, "missing-extm3u"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:abc,\na.ts\n", "strict", 3, 9, "invalid-attribute-value"),
        (
            "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-TARGETDURATION:10\n#EXTINF:5,\na.ts\n",
            "strict",
            3,
            1,
            "duplicate-tag",
        ),
        (
            "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:5,\na.ts\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n",
            "default",
            5,
            1,
            "mixed-playlist",
        ),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:12,\na.ts\n", "strict", 3, 1, "extinf-exceeds-target-duration"),
    ],
)
def test_parse_error_carries_position_and_code(
    text: str, strictness: hlspp.Strictness, line: int, column: int, code: str
) -> None:
    with pytest.raises(hlspp.ParseError) as info:
        hlspp.parse(text, strictness=strictness)
    e = info.value
    assert isinstance(e, ValueError)
    assert isinstance(e, hlspp.Error)
    assert (e.line, e.column, e.code) == (line, column, code)
    assert e.severity == "error"
    assert str(e) == f"{line}:{column}: error: {code}: {e.message}"
    assert e.message
    assert e.diagnostic is not None and e.diagnostic.code == code
    assert any(d.code == code for d in e.diagnostics)


def test_lenient_never_fails_and_reports() -> None:
    pl = hlspp.parse("hello\n", strictness="lenient")
    assert isinstance(pl, hlspp.MediaPlaylist)
    assert pl.dumps() == "hello\n"
    codes = [d.code for d in pl.diagnostics]
    assert "missing-extm3u" in codes
    first = pl.diagnostics[0]
    assert (first.line, first.column, first.severity) == (1, 1, "error")


def test_default_keeps_errors_as_diagnostics_strict_fails() -> None:
    text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-TARGETDURATION:10\n#EXTINF:5,\na.ts\n"
    pl = hlspp.parse(text)
    [d] = pl.diagnostics
    assert (d.line, d.column, d.code, d.severity) == (3, 1, "duplicate-tag", "error")
    assert str(d) == f"3:1: error: duplicate-tag: {d.message}"
    with pytest.raises(hlspp.ParseError):
        hlspp.parse(text, strictness="strict")


def test_warnings_do_not_fail_strict() -> None:
    text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-FOO:1\n#EXTINF:5,\na.ts\n"
    pl = hlspp.parse(text, strictness="strict")
    [d] = pl.diagnostics
    assert (d.code, d.severity, d.line) == ("unknown-tag", "warning", 3)
    assert pl.unknown_tags == ["#EXT-X-FOO:1"]


def test_invalid_strictness() -> None:
    with pytest.raises(ValueError, match="strictness"):
        hlspp.parse(MEDIA, strictness="normal")  # type: ignore[arg-type]


def test_parse_error_pickles() -> None:
    with pytest.raises(hlspp.ParseError) as info:
        hlspp.parse("nope\n")
    again = pickle.loads(pickle.dumps(info.value))
    assert isinstance(again, hlspp.ParseError)
    assert (again.line, again.column, again.code, str(again)) == (
        info.value.line,
        info.value.column,
        info.value.code,
        str(info.value),
    )


def test_diagnostic_value_type() -> None:
    d = hlspp.Diagnostic(code="duplicate-tag", severity="warning", line=3, column=1, message="twice")
    assert (d.code, d.severity, d.line, d.column, d.message) == ("duplicate-tag", "warning", 3, 1, "twice")
    assert str(d) == "3:1: warning: duplicate-tag: twice"
    assert d == hlspp.Diagnostic(code="duplicate-tag", severity="warning", line=3, column=1, message="twice")
    assert d != hlspp.Diagnostic(code="duplicate-tag", line=3, column=1, message="twice")
    assert hash(d) == hash(pickle.loads(pickle.dumps(d)))
    assert pickle.loads(pickle.dumps(d)) == d
    assert d.to_dict() == {
        "line": 3,
        "column": 1,
        "severity": "warning",
        "code": "duplicate-tag",
        "message": "twice",
    }
    assert "duplicate-tag" in repr(d)
    with pytest.raises(ValueError):
        hlspp.Diagnostic(code="no-such-code")
    with pytest.raises(ValueError):
        hlspp.Diagnostic(code="duplicate-tag", severity="fatal")  # type: ignore[arg-type]
