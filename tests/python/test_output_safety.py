# SPDX-License-Identifier: MIT
"""Output safety from Python: no value written into any string field of any element
can make a playlist that means something else. Every writable str field of every
element is set to each injection payload; the writers must then either refuse
(SerializeError, code unsafe-value) or write text that reads back to the same model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import hlspp

MEDIA = """#EXTM3U
#EXT-X-VERSION:10
#EXT-X-TARGETDURATION:4
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=3.0
#EXT-X-PART-INF:PART-TARGET=1.0
#EXT-X-START:TIME-OFFSET=-8
#EXT-X-DEFINE:NAME="host",VALUE="example.com"
#EXT-X-MEDIA-SEQUENCE:10
#EXT-X-PROGRAM-DATE-TIME:2026-11-24T06:00:00.000Z
#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=0x00000000000000000000000000000001
#EXT-X-MAP:URI="init.mp4"
#EXT-X-DATERANGE:ID="ad1",CLASS="com.example.ad",START-DATE="2026-11-24T06:00:00.000Z",DURATION=4.0,X-ASSET-URI="https://ads.example/a.m3u8"
# a comment
#EXTINF:4.0,first
a.m4s
#EXT-X-PART:DURATION=1.0,URI="b.0.m4s",INDEPENDENT=YES
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="b.1.m4s"
#EXT-X-RENDITION-REPORT:URI="../other/index.m3u8",LAST-MSN=10,LAST-PART=0
"""

MASTER = """#EXTM3U
#EXT-X-VERSION:12
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-CONTENT-STEERING:SERVER-URI="https://steer.example/s.json",PATHWAY-ID="a"
#EXT-X-SESSION-DATA:DATA-ID="com.example.title",VALUE="Live",LANGUAGE="en"
#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="skd://key",KEYFORMAT="com.apple.streamingkeydelivery"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/en.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="aac",PATHWAY-ID="a",STABLE-VARIANT-ID="v1"
hd/index.m3u8
#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=200000,CODECS="avc1.64001f",URI="hd/iframes.m3u8"
"""

PAYLOADS = [
    "x\n#EXT-X-ENDLIST",
    "x\r\n#EXT-X-GAP",
    "x\r#EXT-X-GAP",
    'a",URI="https://evil.example/',
    "a,X-EVIL=1",
    "#EXT-X-ENDLIST",
    "",
    " padded ",
]


def elements(pl: hlspp.MediaPlaylist | hlspp.MasterPlaylist) -> Iterator[tuple[str, Any]]:
    """Every element of the playlist that has fields, with a name for messages."""
    yield type(pl).__name__, pl
    if isinstance(pl, hlspp.MediaPlaylist):
        seg = pl.segments[0]
        yield "segment", seg
        for name in ("key", "map"):
            value = getattr(seg, name)
            assert value is not None, name
            yield f"segment.{name}", value
        yield "daterange", seg.dateranges[0]
        yield "extra", seg.extras[0]
        yield "part", pl.trailing.parts[0]
        yield "preload_hint", pl.preload_hints[0]
        yield "rendition_report", pl.rendition_reports[0]
        yield "define", pl.defines[0]
        assert pl.start is not None and pl.server_control is not None
        yield "start", pl.start
        yield "server_control", pl.server_control
    else:
        yield "variant", pl.variants[0]
        yield "iframe_variant", pl.iframe_variants[0]
        yield "rendition", pl.renditions[0]
        yield "session_data", pl.session_data[0]
        yield "session_key", pl.session_keys[0]
        assert pl.content_steering is not None
        yield "content_steering", pl.content_steering


def string_fields(obj: Any) -> list[str]:
    """The writable properties of obj that take a str."""
    names = []
    for name in dir(type(obj)):
        attr = getattr(type(obj), name, None)
        if name.startswith("_") or not isinstance(attr, property) or attr.fset is None:
            continue
        before = getattr(obj, name)
        if before is not None and not isinstance(before, str):
            continue
        try:
            setattr(obj, name, "probe")
        except (TypeError, ValueError):
            continue
        setattr(obj, name, before)
        names.append(name)
    return names


def check_written_safely(pl: hlspp.MediaPlaylist | hlspp.MasterPlaylist, where: str) -> None:
    for canonical in (False, True):
        try:
            text = pl.dumps(canonical=canonical)
        except hlspp.SerializeError as e:
            assert e.code == "unsafe-value", where
            assert isinstance(e, ValueError)
            continue
        again = hlspp.parse(text, strictness="lenient")
        assert again == pl, f"{where}: written as\n{text}"


@pytest.mark.parametrize("source", [MEDIA, MASTER], ids=["media", "master"])
def test_no_string_field_can_inject_a_line_tag_or_attribute(source: str) -> None:
    tried = 0
    fields_seen: set[str] = set()
    base = hlspp.parse(source, strictness="strict")
    for element_name, _ in list(elements(base)):
        for payload in PAYLOADS:
            pl = hlspp.parse(source)
            element = dict(elements(pl))[element_name]
            for field in string_fields(element):
                fields_seen.add(f"{element_name}.{field}")
                original = getattr(element, field)
                setattr(element, field, payload)
                check_written_safely(pl, f"{element_name}.{field} = {payload!r}")
                tried += 1
                setattr(element, field, original)
    # Every element type contributed fields (a binding that stops exposing a field as a
    # str would silently shrink this test otherwise).
    elements_with_fields = {f.rsplit(".", 1)[0] for f in fields_seen}
    # START and SERVER-CONTROL hold no strings.
    assert elements_with_fields == {name for name, _ in elements(base)} - {"server_control", "start"}
    assert tried > 100
