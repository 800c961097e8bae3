# SPDX-License-Identifier: MIT
"""Property tests (hypothesis): playlists generated from a grammar of the spec's tags
round-trip through the bindings, and arbitrary text never crashes the parser.

Properties, for every generated playlist:
- the lossless write is the input, byte for byte;
- the canonical write re-parses to an equal model and is a fixed point;
- pickling and copying keep the model;
- to_dict() of the re-parsed canonical text equals to_dict() of the original.
And for arbitrary text (including CR, NUL, BOM and invalid UTF-8 as bytes): parse()
returns a playlist or raises ParseError with a line, a column and a code, at every
strictness; a playlist it returns writes back losslessly.
"""

from __future__ import annotations

import copy
import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hlspp

# Enough examples to explore the grammar in a few seconds each; the libFuzzer and
# atheris targets (fuzz/) run for longer.
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

uri_chars = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_./%~", min_size=1, max_size=24)
segment_uri = st.builds(lambda s, ext: s.lstrip("/") + ext, uri_chars, st.sampled_from([".ts", ".m4s", ".aac"])).filter(
    lambda u: not u.startswith("#") and u.strip() == u
)
absolute_uri = st.builds(lambda host, path: f"https://{host}.example/{path}", st.sampled_from(["a", "cdn", "o-1"]), segment_uri)
any_uri = st.one_of(segment_uri, absolute_uri)
# Titles: any text but line breaks (the writer refuses those).
title = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n"), max_size=16
)
duration_text = st.builds(
    lambda whole, frac: f"{whole}.{frac}" if frac else str(whole),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(["", "0", "5", "001", "04", "96", "123456"]),
)
quoted_safe = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 -_.:/", min_size=1, max_size=12)


@st.composite
def media_playlists(draw: st.DrawFn) -> str:
    target = draw(st.integers(min_value=10, max_value=12))
    version = draw(st.sampled_from([None, 3, 4, 6, 7]))
    lines = ["#EXTM3U"]
    if version is not None:
        lines.append(f"#EXT-X-VERSION:{version}")
    lines.append(f"#EXT-X-TARGETDURATION:{target}")
    if draw(st.booleans()):
        lines.append(f"#EXT-X-MEDIA-SEQUENCE:{draw(st.integers(min_value=0, max_value=2**63))}")
    if draw(st.booleans()):
        lines.append(f"#EXT-X-DISCONTINUITY-SEQUENCE:{draw(st.integers(min_value=0, max_value=10**6))}")
    playlist_type = draw(st.sampled_from([None, "VOD", "EVENT"]))
    if playlist_type:
        lines.append(f"#EXT-X-PLAYLIST-TYPE:{playlist_type}")
    if draw(st.booleans()):
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
    byteranges = version is not None and version >= 4
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            lines.append("#EXT-X-DISCONTINUITY")
        if draw(st.integers(min_value=0, max_value=6)) == 0:
            lines.append(f'#EXT-X-KEY:METHOD=AES-128,URI="{draw(any_uri)}"')
        if draw(st.integers(min_value=0, max_value=6)) == 0:
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:2026-11-24T06:{draw(st.integers(0, 59)):02d}:00.000Z")
        if draw(st.integers(min_value=0, max_value=8)) == 0:
            lines.append(f"# {draw(quoted_safe)}")
        if draw(st.integers(min_value=0, max_value=8)) == 0:
            lines.append(f"#EXT-X-UNKNOWN-{draw(st.integers(0, 9))}:{draw(quoted_safe)}")
        lines.append(f"#EXTINF:{draw(duration_text)},{draw(title)}")
        if byteranges and draw(st.integers(min_value=0, max_value=4)) == 0:
            lines.append(f"#EXT-X-BYTERANGE:{draw(st.integers(1, 10**9))}@{draw(st.integers(0, 10**9))}")
        lines.append(draw(any_uri))
    if playlist_type == "VOD" or draw(st.booleans()):
        lines.append("#EXT-X-ENDLIST")
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return eol.join(lines) + (eol if draw(st.booleans()) else "")


@st.composite
def master_playlists(draw: st.DrawFn) -> str:
    lines = ["#EXTM3U"]
    if draw(st.booleans()):
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
    groups = draw(st.lists(st.sampled_from(["aac", "ec3", "stereo"]), max_size=2, unique=True))
    for group in groups:
        for i, lang in enumerate(draw(st.lists(st.sampled_from(["en", "de", "fr", "no"]), min_size=1, max_size=3, unique=True))):
            default = "YES" if i == 0 else "NO"
            lines.append(
                f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="{group}",NAME="{lang}-{group}",LANGUAGE="{lang}",'
                f'DEFAULT={default},AUTOSELECT=YES,URI="{draw(any_uri)}"'
            )
    if draw(st.booleans()):
        lines.append(f'#EXT-X-SESSION-DATA:DATA-ID="com.example.{draw(st.sampled_from(["a", "b"]))}",VALUE="{draw(quoted_safe)}"')
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        attrs = [f"BANDWIDTH={draw(st.integers(1, 2**63))}"]
        if draw(st.booleans()):
            attrs.append(f"AVERAGE-BANDWIDTH={draw(st.integers(1, 10**8))}")
        if draw(st.booleans()):
            attrs.append(f"RESOLUTION={draw(st.integers(16, 7680))}x{draw(st.integers(16, 4320))}")
        if draw(st.booleans()):
            attrs.append(f"FRAME-RATE={draw(st.sampled_from(['25', '29.970', '50.000', '59.940']))}")
        if draw(st.booleans()):
            attrs.append(f'CODECS="{draw(st.sampled_from(["avc1.64001f,mp4a.40.2", "hvc1.2.4.L123.B0", "avc1.4d401e"]))}"')
        if groups:
            attrs.append(f'AUDIO="{draw(st.sampled_from(groups))}"')
        if draw(st.integers(0, 5)) == 0:
            attrs.append(f"X-EXTRA={draw(st.integers(0, 99))}")
        draw(st.randoms()).shuffle(attrs)
        lines.append("#EXT-X-STREAM-INF:" + ",".join(attrs))
        lines.append(draw(any_uri).replace(".ts", ".m3u8"))
    if draw(st.booleans()):
        lines.append(f'#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH={draw(st.integers(1, 10**7))},URI="{draw(any_uri)}"')
    return "\n".join(lines) + "\n"


def check_round_trip(text: str) -> None:
    pl = hlspp.parse(text)
    assert pl.dumps() == text
    assert pl.to_bytes() == text.encode()
    canonical = pl.dumps(canonical=True)
    again = hlspp.parse(canonical)
    assert again == pl
    assert again.to_dict() == pl.to_dict()
    assert again.dumps(canonical=True) == canonical
    assert pickle.loads(pickle.dumps(pl)) == pl
    assert copy.deepcopy(pl).dumps() == text


@PROPERTY_SETTINGS
@given(media_playlists())
def test_generated_media_playlists_round_trip(text: str) -> None:
    check_round_trip(text)


@PROPERTY_SETTINGS
@given(master_playlists())
def test_generated_master_playlists_round_trip(text: str) -> None:
    check_round_trip(text)


@PROPERTY_SETTINGS
@given(media_playlists(), st.lists(any_uri, min_size=1, max_size=8))
def test_edited_segment_uris_are_written_and_read_back(text: str, uris: list[str]) -> None:
    pl = hlspp.parse(text)
    assert isinstance(pl, hlspp.MediaPlaylist)
    for segment, uri in zip(pl.segments, uris):
        segment.uri = uri
    written = pl.dumps()
    again = hlspp.parse(written)
    assert isinstance(again, hlspp.MediaPlaylist)
    assert [s.uri for s in again.segments] == [s.uri for s in pl.segments]
    assert again == pl


# Arbitrary input: mostly playlist-shaped fragments, with hostile bytes mixed in.
fragments = st.sampled_from(
    [
        "#EXTM3U", "#EXTINF:", "#EXT-X-TARGETDURATION:", "#EXT-X-STREAM-INF:", "#EXT-X-MEDIA:", "#EXT-X-KEY:",
        "#EXT-X-DEFINE:", "#EXT-X-SKIP:", "#EXT-X-PART:", "BANDWIDTH=", "URI=", "NAME=", "{$v}", '"', ",", "=",
        "\n", "\r\n", "\r", "\x00", "\ufeff", "a.ts", "10", "-1", "1e3", "18446744073709551616", " ", "\t", "é",
    ]
)
arbitrary_text = st.lists(
    st.one_of(fragments, st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=6)), max_size=40
).map("".join)


def check_never_crashes(data: str | bytes) -> None:
    for strictness in ("lenient", "default", "strict"):
        try:
            pl = hlspp.parse(data, strictness=strictness)
        except hlspp.ParseError as e:
            assert isinstance(e, ValueError)
            assert isinstance(e.line, int) and e.line >= 0
            assert isinstance(e.column, int) and e.column >= 0
            assert isinstance(e.code, str) and e.code
            continue
        raw = data if isinstance(data, bytes) else data.encode()
        assert pl.to_bytes() == raw
        for d in pl.diagnostics:
            assert d.severity in ("error", "warning", "info")
            assert d.code


@settings(max_examples=500, deadline=None)
@given(arbitrary_text)
def test_arbitrary_text_never_crashes(text: str) -> None:
    check_never_crashes(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(fragments.map(lambda f: f.encode()), st.binary(max_size=6)), max_size=40).map(b"".join))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    check_never_crashes(data)
