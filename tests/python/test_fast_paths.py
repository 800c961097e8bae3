# SPDX-License-Identifier: MIT
"""The C-level fast paths of the bindings (SegmentList iteration and int indexing,
Segment.uri / Segment.duration; bindings/register_media.cpp) behave like the generic
ones they replace: same objects, same errors, edits written back."""

from __future__ import annotations

import gc

import pytest

import hlspp

TEXT = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:5.5,\na.ts\n#EXTINF:6,\nb.ts\n#EXTINF:4,\nc.ts\n#EXT-X-ENDLIST\n"


def parse() -> hlspp.MediaPlaylist:
    pl = hlspp.parse(TEXT)
    assert isinstance(pl, hlspp.MediaPlaylist)
    return pl


def test_iteration_and_indexing_give_the_same_live_objects() -> None:
    pl = parse()
    first = pl.segments[0]
    items = list(pl.segments)
    assert items[0] is first
    assert [s.uri for s in items] == ["a.ts", "b.ts", "c.ts"]
    assert pl.segments[-1] is items[2]
    assert all(isinstance(s, hlspp.Segment) for s in items)
    assert [s.uri for s in pl.segments[::-1]] == ["c.ts", "b.ts", "a.ts"]
    assert [s.uri for s in reversed(pl.segments)] == ["c.ts", "b.ts", "a.ts"]


def test_index_errors() -> None:
    pl = parse()
    with pytest.raises(IndexError, match="SegmentList index out of range"):
        pl.segments[3]
    with pytest.raises(IndexError):
        pl.segments[-4]
    with pytest.raises(TypeError):
        pl.segments["0"]  # type: ignore[call-overload]
    assert pl.segments[True].uri == "b.ts"  # an int like any other, as for list


def test_iterator_protocol() -> None:
    pl = parse()
    it = iter(pl.segments)
    assert iter(it) is it
    assert next(it).uri == "a.ts"
    del pl  # the iterator keeps the playlist alive
    gc.collect()
    assert [s.uri for s in it] == ["b.ts", "c.ts"]
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


def test_iteration_sees_changes_made_while_iterating() -> None:
    pl = parse()
    seen = []
    for s in pl.segments:
        seen.append(s.uri)
        if s.uri == "a.ts":
            pl.segments.append(hlspp.Segment(uri="d.ts", duration=1.0))
            del pl.segments[1]
    assert seen == ["a.ts", "c.ts", "d.ts"]


def test_uri_and_duration_write_back() -> None:
    pl = parse()
    s = pl.segments[1]
    s.uri = "x.ts"
    s.duration = 2
    assert isinstance(s.duration, float) and s.duration == 2.0
    assert "#EXTINF:2" in pl.dumps() and "\nx.ts\n" in pl.dumps()
    seg = hlspp.Segment(uri="n.ts", has_extinf=False)
    assert not seg.has_extinf
    seg.duration = 1.5
    assert seg.has_extinf


def test_removed_segment_stays_readable() -> None:
    pl = parse()
    s = pl.segments[0]
    del pl.segments[0]
    assert s.uri == "a.ts" and s.duration == 5.5
    s.uri = "moved.ts"
    assert "moved.ts" not in pl.dumps()


def test_attribute_errors() -> None:
    s = parse().segments[0]
    with pytest.raises(TypeError, match="Segment.uri must be str"):
        s.uri = 1  # type: ignore[assignment]
    with pytest.raises(TypeError, match="Segment.duration must be float"):
        s.duration = "1"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="finite"):
        s.duration = float("nan")
    with pytest.raises(AttributeError):
        del s.uri
    with pytest.raises(AttributeError):
        del s.duration
    assert s.uri == "a.ts" and s.duration == 5.5
    with pytest.raises(TypeError):
        hlspp.Segment.uri.__get__(hlspp.Key(), hlspp.Key)  # type: ignore[attr-defined]


def test_subclass_uses_the_generic_path() -> None:
    class Mine(hlspp.Segment):
        pass

    m = Mine(uri="m.ts", duration=3.0)
    assert m.uri == "m.ts" and m.duration == 3.0
    m.uri = "n.ts"
    assert m.uri == "n.ts"
    pl = parse()
    pl.segments.append(m)
    assert pl.segments[-1].uri == "n.ts"


def test_iterated_segments_are_full_segment_objects() -> None:
    pl = parse()
    s = next(iter(pl.segments))
    assert type(s) is hlspp.Segment
    assert s == hlspp.Segment(uri="a.ts", duration=5.5) and s != pl.segments[1]
    assert s.to_dict()["uri"] == "a.ts" and "uri='a.ts'" in repr(s)
    c = s.copy()
    c.uri = "c.ts"
    assert s.uri == "a.ts" and pl.segments[0] is s
    s.title = "t"
    assert pl.segments[0].title == "t"
    assert getattr(s, "uri") == "a.ts" and getattr(s, "duration") == 5.5
    with pytest.raises(AttributeError):
        s.no_such_attribute  # type: ignore[attr-defined]


def test_weak_references_to_iterated_segments() -> None:
    import weakref

    pl = parse()
    s = next(iter(pl.segments))
    w = weakref.ref(s)
    assert w() is s
    del s
    gc.collect()
    assert w() is None
    assert pl.segments[0].uri == "a.ts"


def test_many_live_segments_keep_their_identity() -> None:
    text = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n" + "".join("#EXTINF:1,\ns%d.ts\n" % i for i in range(3000))
    pl = hlspp.parse(text)
    assert isinstance(pl, hlspp.MediaPlaylist)
    held = list(pl.segments)
    assert all(pl.segments[i] is held[i] for i in range(0, 3000, 7))
    del pl
    gc.collect()
    assert [s.uri for s in held[:2]] == ["s0.ts", "s1.ts"] and held[-1].uri == "s2999.ts"
    del held
    pl2 = parse()
    assert [s.uri for s in pl2.segments] == ["a.ts", "b.ts", "c.ts"]


def test_segments_freed_while_an_exception_is_handled() -> None:
    pl = parse()
    try:
        raise KeyError("kept")
    except KeyError as e:
        for s in pl.segments:
            s.uri
        del s
        del pl
        gc.collect()
        import sys

        assert sys.exc_info()[1] is e


def test_class_level_changes_to_uri_and_duration_are_seen() -> None:
    pl = parse()
    s = pl.segments[0]
    assert s.uri == "a.ts"
    original = hlspp.Segment.__dict__["uri"]
    try:
        setattr(hlspp.Segment, "uri", property(lambda self: "patched"))
        assert s.uri == "patched" and pl.segments[1].uri == "patched"
    finally:
        setattr(hlspp.Segment, "uri", original)
    assert s.uri == "a.ts" and s.duration == 5.5
