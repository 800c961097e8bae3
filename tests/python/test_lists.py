# SPDX-License-Identifier: MIT
"""The live sequences (pl.segments, seg.keys, ...): every MutableSequence
operation, and references to elements staying valid whatever happens to the
list they came from."""

from __future__ import annotations

import gc
import random
from collections.abc import MutableSequence

import pytest

import hlspp
from support import MEDIA, big_media


def playlist(n: int) -> hlspp.MediaPlaylist:
    pl = hlspp.parse(big_media(n))
    assert isinstance(pl, hlspp.MediaPlaylist)
    return pl


def uris(pl: hlspp.MediaPlaylist) -> list[str]:
    return [s.uri for s in pl.segments]


def seg(uri: str) -> hlspp.Segment:
    return hlspp.Segment(uri=uri, duration=6.0)


def test_is_a_mutable_sequence() -> None:
    pl = playlist(3)
    assert isinstance(pl.segments, MutableSequence)
    assert isinstance(pl.segments[0].keys, MutableSequence)
    assert len(pl.segments) == 3
    assert pl.segments[-1].uri.endswith("000002.ts")
    with pytest.raises(IndexError):
        pl.segments[3]
    with pytest.raises(IndexError):
        pl.segments[-4]
    with pytest.raises(TypeError):
        pl.segments["0"]  # type: ignore[call-overload]


def test_same_element_same_object() -> None:
    pl = playlist(3)
    a = pl.segments[1]
    assert a is pl.segments[1]
    assert a is pl.segments[-2]
    assert a is list(pl.segments)[1]


def test_mutations_follow_list_semantics() -> None:
    pl = playlist(6)
    model = uris(pl)

    def check() -> None:
        assert uris(pl) == model
        assert len(pl.segments) == len(model)

    pl.segments.append(seg("app.ts"))
    model.append("app.ts")
    check()
    pl.segments.insert(0, seg("ins0.ts"))
    model.insert(0, "ins0.ts")
    check()
    pl.segments.insert(-1, seg("ins-1.ts"))
    model.insert(-1, "ins-1.ts")
    check()
    pl.segments.insert(100, seg("end.ts"))
    model.insert(100, "end.ts")
    check()
    del pl.segments[2]
    del model[2]
    check()
    del pl.segments[1:3]
    del model[1:3]
    check()
    del pl.segments[::2]
    del model[::2]
    check()
    pl.segments[0] = seg("set0.ts")
    model[0] = "set0.ts"
    check()
    pl.segments[1:2] = [seg("s1.ts"), seg("s2.ts"), seg("s3.ts")]
    model[1:2] = ["s1.ts", "s2.ts", "s3.ts"]
    check()
    pl.segments[::2] = [seg(f"even{i}.ts") for i in range(len(model[::2]))]
    model[::2] = [f"even{i}.ts" for i in range(len(model[::2]))]
    check()
    with pytest.raises(ValueError):
        pl.segments[::2] = [seg("x.ts")] * (len(model[::2]) + 1)
    check()
    pl.segments.extend([seg("e1.ts"), seg("e2.ts")])
    model.extend(["e1.ts", "e2.ts"])
    check()
    segments = pl.segments
    segments += [seg("iadd.ts")]
    model += ["iadd.ts"]
    check()
    popped = pl.segments.pop()
    assert popped.uri == model.pop()
    popped = pl.segments.pop(0)
    assert popped.uri == model.pop(0)
    check()
    pl.segments.reverse()
    model.reverse()
    check()
    assert [s.uri for s in reversed(pl.segments)] == list(reversed(model))
    assert [s.uri for s in pl.segments[1:4]] == model[1:4]
    assert [s.uri for s in pl.segments[::-1]] == model[::-1]
    target = pl.segments[2]
    assert target in pl.segments
    assert pl.segments.index(target) == model.index(target.uri)
    assert pl.segments.count(target) == 1
    pl.segments.remove(target)
    model.remove(target.uri)
    check()
    assert target not in pl.segments
    with pytest.raises(ValueError):
        pl.segments.remove(target)
    with pytest.raises(ValueError):
        pl.segments.index(target)
    assert "a string" not in pl.segments
    pl.segments.clear()
    model.clear()
    check()
    with pytest.raises(IndexError):
        pl.segments.pop()
    assert pl.segments == []


def test_items_are_copied_in() -> None:
    pl = playlist(2)
    s = seg("new.ts")
    pl.segments.append(s)
    s.uri = "changed-after.ts"
    assert pl.segments[-1].uri == "new.ts"
    # Appending an element of the same list appends a copy.
    pl.segments.append(pl.segments[0])
    assert pl.segments[-1] == pl.segments[0] and pl.segments[-1] is not pl.segments[0]
    # Assigning a list to itself (or a slice of itself) is fine.
    before = uris(pl)
    pl.segments = pl.segments
    pl.segments[:] = pl.segments
    pl.segments.extend(pl.segments)
    assert uris(pl) == before * 2
    with pytest.raises(TypeError):
        pl.segments.append("x.ts")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pl.segments = "abc"  # type: ignore[assignment]
    with pytest.raises(TypeError):
        pl.segments.extend([seg("ok.ts"), 5])  # type: ignore[list-item]
    assert uris(pl) == before * 2


def test_references_survive_insertions_and_reallocation() -> None:
    pl = playlist(4)
    held = list(pl.segments)
    names = [s.uri for s in held]
    for i in range(200):  # many reallocations
        pl.segments.insert(0, seg(f"front{i}.ts"))
    assert [s.uri for s in held] == names
    assert held[0] is pl.segments[200]
    held[0].uri = "edited.ts"
    assert pl.segments[200].uri == "edited.ts"


def test_removed_elements_stay_alive_and_detached() -> None:
    pl = hlspp.parse(MEDIA)
    assert isinstance(pl, hlspp.MediaPlaylist)
    first = pl.segments[0]
    key = first.key
    keys = first.keys
    init = first.map
    assert key is not None and init is not None
    del pl.segments[0]
    gc.collect()
    assert first.uri == "seg100.ts"
    assert key.uri == "https://keys.example/k1"
    assert init.uri == "init.mp4"
    assert keys[0] is key
    # It no longer belongs to the playlist: editing it changes nothing there.
    first.uri = "gone.ts"
    key.uri = "https://keys.example/gone"
    assert "gone" not in pl.dumps()
    assert first not in pl.segments
    # Clearing or replacing the whole list detaches every element too.
    second = pl.segments[0]
    pl.segments = []
    assert second.uri == "seg101.ts" and second.byterange == (1000, 2000)


def test_replaced_sub_objects_stay_alive() -> None:
    pl = hlspp.parse(MEDIA)
    assert isinstance(pl, hlspp.MediaPlaylist)
    s0 = pl.segments[0]
    old_map = s0.map
    assert old_map is not None
    s0.map = hlspp.InitSection(uri="other-init.mp4")
    assert old_map.uri == "init.mp4"
    new_map = s0.map
    assert new_map is not None and new_map.uri == "other-init.mp4"
    s0.map = None
    assert new_map.uri == "other-init.mp4"
    start = pl.start
    assert start is not None
    pl.start = None
    assert start.time_offset == -12.5
    trailing = pl.trailing
    pl.trailing = hlspp.Segment()
    assert trailing.uri == ""
    old_keys = s0.keys
    old_key = old_keys[0]
    s0.keys = [hlspp.Key(method="NONE")]
    assert old_key.method == "AES-128"
    assert old_keys[0].method == "NONE"  # the view shows the segment's current keys


def test_views_follow_their_owner() -> None:
    pl = playlist(3)
    pl.segments[1].keys = [hlspp.Key(method="AES-128", uri="k1")]
    keys = pl.segments[1].keys  # view of segment 1's keys
    for i in range(50):
        pl.segments.insert(0, seg(f"p{i}.ts"))
    assert keys[0].uri == "k1"
    keys.append(hlspp.Key(method="AES-128", uri="k2", keyformat="x"))
    assert [k.uri for k in pl.segments[51].keys] == ["k1", "k2"]


def test_playlist_outlives_nothing() -> None:
    s = playlist(3).segments[2]
    gc.collect()
    assert s.uri.endswith("000002.ts")
    keys = hlspp.parse(MEDIA).segments[0].keys  # type: ignore[union-attr]
    gc.collect()
    assert keys[0].method == "AES-128"


def test_iteration_while_mutating_is_safe() -> None:
    pl = playlist(10)
    seen = []
    for s in pl.segments:
        seen.append(s.uri)
        if len(pl.segments) < 15:
            pl.segments.append(seg(f"more{len(pl.segments)}.ts"))
    assert len(seen) == 15
    count = 0
    for s in pl.segments:
        count += 1
        del pl.segments[0]
    assert count == 8 and len(pl.segments) == 7


def test_random_operations_against_a_python_list() -> None:
    """Differential test: random edits on pl.segments and on a list of names,
    holding references to random elements, which must always read right."""
    rng = random.Random(20240501)
    pl = playlist(20)
    model = uris(pl)
    held: list[tuple[hlspp.Segment, str]] = []
    counter = 0
    for step in range(3000):
        op = rng.randrange(10)
        n = len(model)
        counter += 1
        name = f"r{counter}.ts"
        if op == 0:
            pl.segments.append(seg(name))
            model.append(name)
        elif op == 1:
            i = rng.randrange(-n - 2, n + 3)
            pl.segments.insert(i, seg(name))
            model.insert(i, name)
        elif op == 2 and n:
            i = rng.randrange(n)
            gone = pl.segments[i]
            del pl.segments[i]
            assert gone.uri == model.pop(i)
        elif op == 3 and n:
            a = rng.randrange(n)
            b = rng.randrange(a, n + 1)
            new = [f"{name}-{k}" for k in range(rng.randrange(4))]
            pl.segments[a:b] = [seg(u) for u in new]
            model[a:b] = new
        elif op == 4 and n:
            i = rng.randrange(n)
            s = pl.segments[i]
            held.append((s, model[i]))
        elif op == 5 and n:
            i = rng.randrange(n)
            pl.segments[i].uri = name
            model[i] = name
            held = [(s, name if s is pl.segments[i] else u) for s, u in held]
        elif op == 6:
            pl.segments.reverse()
            model.reverse()
        elif op == 7 and n:
            i = rng.randrange(n)
            popped = pl.segments.pop(i)
            assert popped.uri == model.pop(i)
        elif op == 8 and held:
            s, u = held.pop(rng.randrange(len(held)))
            assert s.uri == u
        elif op == 9 and rng.random() < 0.05:
            pl.segments.clear()
            model.clear()
        if step % 100 == 0:
            assert uris(pl) == model
            for s, u in held:
                assert s.uri == u
    assert uris(pl) == model
    for s, u in held:
        assert s.uri == u
    text = pl.dumps()
    again = hlspp.parse(text)
    assert again == pl


def test_assigning_a_view_to_itself_keeps_references() -> None:
    pl = playlist(3)
    held = pl.segments[1]
    pl.segments = pl.segments
    segments = pl.segments
    segments += [seg("x.ts")]
    pl.segments += [seg("y.ts")]
    assert held is pl.segments[1]
    held.uri = "still-live.ts"
    assert pl.segments[1].uri == "still-live.ts"
    assert uris(pl)[-2:] == ["x.ts", "y.ts"]
    s0 = pl.segments[0]
    s0.map = hlspp.InitSection(uri="init.mp4")
    m = s0.map
    s0.map = m
    assert m is s0.map
    t = pl.trailing
    pl.trailing = t
    assert t is pl.trailing


def test_members_that_start_empty_fill_and_follow_their_segment() -> None:
    # keys, dateranges, parts, extras and map take no room in a segment until used
    # (C++ compact_vector / boxed_optional): the views and references must not care.
    pl = playlist(4)
    s2 = pl.segments[2]
    assert len(s2.keys) == 0 and s2.map is None and len(s2.extras) == 0
    keys = s2.keys
    keys.append(hlspp.Key(method="AES-128", uri="k.bin"))
    s2.dateranges.append(hlspp.DateRange(id="ad", start_date="2024-05-01T12:00:00Z"))
    s2.map = hlspp.InitSection(uri="init.mp4")
    key, daterange, init = keys[0], s2.dateranges[0], s2.map
    text = pl.dumps()
    assert '#EXT-X-KEY:METHOD=AES-128,URI="k.bin"' in text
    assert '#EXT-X-MAP:URI="init.mp4"' in text
    assert '#EXT-X-DATERANGE:ID="ad"' in text
    pl.segments.reverse()
    pl.segments.insert(0, seg("first.ts"))
    assert pl.segments[2].keys[0] is key
    del pl.segments[2]  # the segment leaves the playlist; what was taken from it stays
    gc.collect()
    assert key.uri == "k.bin" and daterange.id == "ad" and init is not None and init.uri == "init.mp4"
    assert s2.keys[0] is key and s2.map is init
    keys.clear()
    assert len(s2.keys) == 0 and key.uri == "k.bin"
    s2.map = None
    assert s2.map is None and init.uri == "init.mp4"
    assert '#EXT-X-KEY' not in pl.dumps()
