# SPDX-License-Identifier: MIT
"""The model from Python: every attribute, edits written back, constructors,
==, repr, to_dict, copy."""

from __future__ import annotations

import copy
import json

import pytest

import hlspp
from support import LL_MEDIA, MASTER, MEDIA


def media(text: str = MEDIA) -> hlspp.MediaPlaylist:
    pl = hlspp.parse(text)
    assert isinstance(pl, hlspp.MediaPlaylist)
    return pl


def master(text: str = MASTER) -> hlspp.MasterPlaylist:
    pl = hlspp.parse(text)
    assert isinstance(pl, hlspp.MasterPlaylist)
    return pl


def test_media_playlist_attributes() -> None:
    pl = media()
    assert pl.version == 7
    assert pl.target_duration == 6
    assert pl.media_sequence == 100
    assert pl.discontinuity_sequence == 2
    assert pl.playlist_type == "VOD"
    assert pl.endlist is True
    assert pl.independent_segments is True
    assert pl.i_frames_only is False
    assert pl.allow_cache is None
    assert pl.start is not None
    assert (pl.start.time_offset, pl.start.precise) == (-12.5, True)
    assert [(d.name, d.value) for d in pl.defines] == [("cdn", "https://cdn.example")]
    assert pl.part_inf is None and pl.server_control is None and pl.skip is None
    assert len(pl.preload_hints) == 0 and len(pl.rendition_reports) == 0
    assert pl.unknown_tags == ["#EXT-X-FOO:bar"]
    assert len(pl.segments) == 4
    assert pl.total_duration() == pytest.approx(6.006 + 5.5 + 6 + 4.004)
    assert [pl.sequence_number(i) for i in range(4)] == [100, 101, 102, 103]
    assert pl.sequence_number(-1) == 103


def test_segment_attributes() -> None:
    pl = media()
    s0, s1, s2, s3 = pl.segments
    assert (s0.uri, s0.duration, s0.title) == ("seg100.ts", 6.006, "first")
    assert s0.key is not None
    assert (s0.key.method, s0.key.uri, s0.key.iv) == (
        "AES-128",
        "https://keys.example/k1",
        "0x00000000000000000000000000000001",
    )
    assert s0.map is not None and (s0.map.uri, s0.map.byterange) == ("init.mp4", (720, 0))
    assert s0.program_date_time == "2024-05-01T12:00:00.000Z"
    assert [e.text for e in s0.extras] == ["# encoded by the test suite"]
    assert s0.extras[0].kind == "comment"
    assert (s1.byterange, s1.bitrate, s1.key, s1.map) == ((1000, 2000), 1500, None, None)
    assert s2.discontinuity and s2.gap and not s1.discontinuity
    [dr] = s2.dateranges
    assert (dr.id, dr.class_name, dr.start_date, dr.duration) == (
        "ad-1",
        "com.example.ad",
        "2024-05-01T12:00:11.506Z",
        30.0,
    )
    assert dr.other == [("X-AD-ID", '"abc"')]
    assert s3.extras[0].kind == "unknown-tag" and s3.extras[0].text == "#EXT-X-FOO:bar"
    assert s3.has_extinf
    # What applies, not only what is written before the segment:
    assert [k.uri for k in pl.effective_keys(3)] == ["https://keys.example/k1"]
    em = pl.effective_map(2)
    assert em is not None and em.uri == "init.mp4"


def test_low_latency_attributes() -> None:
    pl = media(LL_MEDIA)
    assert pl.server_control is not None
    sc = pl.server_control
    assert (sc.can_block_reload, sc.can_skip_until, sc.part_hold_back, sc.hold_back) == (True, 24.0, 3.0, None)
    assert pl.part_inf is not None and pl.part_inf.part_target == 1.0
    assert [(p.uri, p.duration, p.independent) for p in pl.segments[1].parts] == [
        ("filePart267.0.mp4", 1.0, True),
        ("filePart267.1.mp4", 1.0, None),
    ]
    # Tags after the last URI line belong to the open (trailing) segment.
    assert pl.trailing.uri == ""
    assert [p.uri for p in pl.trailing.parts] == ["filePart268.0.mp4"]
    [hint] = pl.preload_hints
    assert (hint.type, hint.uri) == ("PART", "filePart268.1.mp4")
    [report] = pl.rendition_reports
    assert (report.uri, report.last_msn, report.last_part) == ("../1M/waitForMSN.php", 267, 1)


def test_master_playlist_attributes() -> None:
    pl = master()
    assert pl.version == 6 and pl.independent_segments
    v720, v360 = pl.variants
    assert v720.uri == "video/720p.m3u8"
    assert (v720.bandwidth, v720.average_bandwidth) == (4285600, 4000000)
    assert v720.resolution == (1280, 720)
    assert v720.frame_rate == 30.0
    assert v720.codecs == "avc1.4D401F,mp4a.40.2"
    assert (v720.audio, v720.video, v720.subtitles, v720.closed_captions) == ("aac", None, "subs", "cc")
    assert (v720.pathway_id, v720.stable_variant_id) == ("CDN-A", "v720")
    assert v360.closed_captions == "NONE"
    assert v360.other == [("X-CUSTOM", '"kept"')]
    assert v360.average_bandwidth is None and v360.frame_rate is None
    [iframe] = pl.iframe_variants
    assert (iframe.uri, iframe.bandwidth, iframe.resolution) == ("video/720p-iframes.m3u8", 190000, (1280, 720))
    en, de, subs, cc = pl.renditions
    assert (en.type, en.group_id, en.name, en.language, en.uri) == ("AUDIO", "aac", "English", "en", "audio/en.m3u8")
    assert (en.default, en.autoselect, en.channels) == (True, True, "2")
    assert (de.default, de.language) == (False, "de")
    assert (subs.type, subs.forced) == ("SUBTITLES", False)
    assert (cc.type, cc.instream_id, cc.uri) == ("CLOSED-CAPTIONS", "CC1", None)
    [sd] = pl.session_data
    assert (sd.data_id, sd.value, sd.language) == ("com.example.title", "Example", "en")
    [sk] = pl.session_keys
    assert (sk.method, sk.uri, sk.keyformat, sk.keyformatversions) == (
        "SAMPLE-AES",
        "skd://key1",
        "com.apple.streamingkeydelivery",
        "1",
    )
    assert pl.content_steering is not None
    assert (pl.content_steering.server_uri, pl.content_steering.pathway_id) == ("https://steer.example/v1", "CDN-A")
    assert [e.text for e in v720.extras] == ["# the ladder"]
    assert pl.start is None and len(pl.defines) == 0


def test_editing_a_segment_uri_is_written() -> None:
    pl = media()
    pl.segments[1].uri = "https://cdn.example/seg101.ts"
    out = pl.dumps()
    assert out == MEDIA.replace("\nseg101.ts\n", "\nhttps://cdn.example/seg101.ts\n")


def test_editing_every_kind_of_field() -> None:
    pl = media()
    seg = pl.segments[0]
    seg.duration = 5.0
    seg.title = ""
    seg.byterange = (500, None)
    seg.bitrate = 800
    seg.discontinuity = True
    seg.program_date_time = "2024-05-01T13:00:00Z"
    assert seg.key is not None
    seg.key.iv = None
    assert seg.map is not None
    seg.map.byterange = None
    pl.target_duration = 7
    pl.media_sequence = 5
    pl.playlist_type = None
    out = pl.dumps()
    again = media(out)
    assert again == pl
    s = again.segments[0]
    assert (s.duration, s.title, s.byterange, s.bitrate, s.discontinuity) == (5.0, "", (500, None), 800, True)
    assert s.program_date_time == "2024-05-01T13:00:00Z"
    assert s.key is not None and s.key.iv is None
    assert s.map is not None and s.map.byterange is None
    assert (again.target_duration, again.media_sequence, again.playlist_type) == (7, 5, None)
    # Lines nobody touched keep their bytes.
    assert "#EXT-X-DEFINE:NAME=\"cdn\",VALUE=\"https://cdn.example\"\n" in out
    assert "\n# encoded by the test suite\n" in out


def test_master_edits() -> None:
    pl = master()
    v = pl.variants[1]
    v.uri = "https://cdn.example/360p.m3u8"
    v.resolution = (768, 432)
    v.bandwidth = 1500000
    pl.renditions[1].default = True
    pl.renditions[0].default = False
    pl.content_steering = None
    again = master(pl.dumps())
    assert again == pl
    assert again.variants[1].resolution == (768, 432)
    assert again.content_steering is None
    assert [r.default for r in again.renditions[:2]] == [False, True]


def test_building_from_scratch() -> None:
    pl = hlspp.MediaPlaylist(
        version=3,
        target_duration=4,
        endlist=True,
        segments=[hlspp.Segment(uri="a.ts", duration=4.0), hlspp.Segment(uri="b.ts", duration=3.5)],
    )
    pl.segments.append(hlspp.Segment(uri="c.ts", duration=2.0, discontinuity=True))
    text = pl.dumps()
    assert text == (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n#EXTINF:3.5,\nb.ts\n"
        "#EXT-X-DISCONTINUITY\n#EXTINF:2,\nc.ts\n#EXT-X-ENDLIST\n"
    )
    assert hlspp.parse(text) == pl
    m = hlspp.MasterPlaylist(
        variants=[hlspp.Variant(uri="v.m3u8", bandwidth=1000, resolution=(640, 360), codecs="avc1.4d401e")],
        renditions=[hlspp.Rendition(type="AUDIO", group_id="a", name="en", default=True)],
    )
    assert hlspp.parse(m.dumps()) == m
    k = hlspp.Key(method="AES-128", uri="k.bin")
    seg = hlspp.Segment(uri="x.ts", duration=1.0, key=k)
    assert seg.keys == [k] and seg.key == k
    seg.key = None
    assert len(seg.keys) == 0


def test_unknown_keyword_and_bad_values() -> None:
    with pytest.raises(TypeError, match="unexpected keyword"):
        hlspp.Segment(url="a.ts")  # type: ignore[call-arg]
    seg = hlspp.Segment(uri="a.ts", duration=1.0)
    with pytest.raises(TypeError):
        seg.uri = 5  # type: ignore[assignment]
    with pytest.raises(TypeError):
        seg.duration = "6"  # type: ignore[assignment]
    with pytest.raises(ValueError):
        seg.duration = float("nan")
    with pytest.raises(ValueError):
        seg.bitrate = -1
    with pytest.raises(ValueError):
        seg.bitrate = 2**64
    with pytest.raises(TypeError):
        seg.gap = 1  # type: ignore[assignment]
    with pytest.raises(TypeError):
        seg.byterange = "100@0"  # type: ignore[assignment]
    with pytest.raises(TypeError):
        seg.map = hlspp.Key()  # type: ignore[assignment]
    with pytest.raises(TypeError):
        seg.keys = [hlspp.InitSection()]  # type: ignore[list-item]
    with pytest.raises(ValueError):
        hlspp.ExtraLine(kind="note", text="# x")  # type: ignore[arg-type]
    seg.duration = 7  # an int is a fine duration
    assert seg.duration == 7.0
    seg.bitrate = 2**64 - 1
    assert seg.bitrate == 2**64 - 1


def test_other_attributes_and_extras_are_editable() -> None:
    pl = master()
    v = pl.variants[1]
    v.other = [("X-CUSTOM", '"changed"'), ("X-MORE", "1")]
    v.extras = [hlspp.ExtraLine(kind="comment", text="# 360p")]
    out = pl.dumps()
    assert 'X-CUSTOM="changed",X-MORE=1' in out
    assert "# 360p\n" in out
    again = master(out)
    assert again.variants[1].other == [("X-CUSTOM", '"changed"'), ("X-MORE", "1")]
    canonical = pl.dumps(canonical=True)
    assert '# 360p\n#EXT-X-STREAM-INF:BANDWIDTH=1425600' in canonical


def test_unsafe_values_are_refused() -> None:
    pl = media()
    pl.segments[0].uri = "#not-a-uri"
    with pytest.raises(hlspp.SerializeError) as info:
        pl.dumps()
    assert info.value.code == "unsafe-value"
    assert isinstance(info.value, ValueError)
    pl.segments[0].uri = "ok.ts"
    pl.dumps()
    key = pl.segments[0].key
    assert key is not None
    key.uri = 'a"b'
    with pytest.raises(hlspp.SerializeError):
        pl.dumps(canonical=True)
    with pytest.raises(hlspp.SerializeError):
        str(pl)
    m = master()
    m.variants[0].uri = "line\nbreak.m3u8"
    with pytest.raises(hlspp.SerializeError, match="unsafe-value"):
        m.to_bytes()


def test_equality_repr_to_dict_and_copy() -> None:
    a, b = media(), media()
    assert a == b and not (a != b)
    assert a.segments == b.segments
    assert a.segments[0] == b.segments[0]
    assert a.segments[0] != a.segments[1]
    assert a != master()
    assert a.segments[0] != "seg100.ts"
    b.segments[0].title = "changed"
    assert a != b
    assert "Segment(uri='seg100.ts'" in repr(a.segments[0])
    assert repr(a).startswith("<MediaPlaylist segments=4")
    assert repr(master()).startswith("<MasterPlaylist variants=2")
    assert "SegmentList([" in repr(a.segments)
    for pl in (media(), media(LL_MEDIA), master()):
        d = pl.to_dict()
        assert d == json.loads(json.dumps(d))
    d = media().to_dict()
    assert d["segments"][1]["byterange"] == {"length": 1000, "offset": 2000}
    assert d["segments"][0]["keys"][0]["method"] == "AES-128"
    assert master().to_dict()["variants"][0]["resolution"] == {"width": 1280, "height": 720}
    assert media().segments[0].to_dict()["uri"] == "seg100.ts"
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(TypeError):
        hash(a.segments[0])
    c = copy.copy(a)
    dc = copy.deepcopy(a)
    assert c == a and dc == a and c is not a
    c.segments[0].uri = "changed.ts"
    assert a.segments[0].uri == "seg100.ts"
    seg = a.segments[2].copy()
    seg.uri = "copy.ts"
    assert a.segments[2].uri == "seg102.ts"
    assert copy.deepcopy(a.segments[2]) == a.segments[2]
    assert c.dumps() == MEDIA.replace("\nseg100.ts\n", "\nchanged.ts\n")
