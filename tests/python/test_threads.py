# SPDX-License-Identifier: MIT
"""Parsing and writing release the GIL for large inputs: results stay correct
when threads parse, write and edit at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import hlspp
from support import big_media


def test_parse_in_threads() -> None:
    texts = [big_media(5000 + i) for i in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(hlspp.parse, texts * 2))
    for text, pl in zip(texts * 2, results):
        assert isinstance(pl, hlspp.MediaPlaylist)
        assert pl.dumps() == text
        assert len(pl.segments) == text.count("#EXTINF")


def test_dumps_in_threads() -> None:
    text = big_media(20000)
    pl = hlspp.parse(text)
    with ThreadPoolExecutor(max_workers=4) as pool:
        outs = list(pool.map(lambda _: pl.dumps(), range(16)))
    assert all(out == text for out in outs)


def test_writing_while_another_thread_edits() -> None:
    pl = hlspp.parse(big_media(3000))
    assert isinstance(pl, hlspp.MediaPlaylist)
    stop = threading.Event()
    errors: list[BaseException] = []
    written: list[str] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                written.append(pl.dumps())
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        held = pl.segments[10]
        for i in range(300):
            pl.segments.insert(0, hlspp.Segment(uri=f"front{i}.ts", duration=6.0))
            del pl.segments[-1]
            pl.segments[5].uri = f"edited{i}.ts"
            assert held.uri.endswith("000010.ts")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors
    assert written
    for text in written[:: max(1, len(written) // 20)]:
        again = hlspp.parse(text)
        assert isinstance(again, hlspp.MediaPlaylist)
        assert len(again.segments) in (3000, 3001)  # between an insert and a delete, or not
    assert hlspp.parse(pl.dumps()) == pl


def test_views_made_while_another_thread_writes() -> None:
    # seg.keys, seg.parts, ... of a parsed segment take no memory until first viewed
    # (C++ compact_vector); making that memory is a change of the model, done under the
    # same guard as edits, so writers that read the model without the GIL never see it
    # half made. The text written meanwhile must stay exactly the parsed one.
    text = big_media(4000)
    pl = hlspp.parse(text)
    assert isinstance(pl, hlspp.MediaPlaylist)
    stop = threading.Event()
    errors: list[BaseException] = []
    written: list[str] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                written.append(pl.dumps())
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        views = 0
        for seg in pl.segments:
            views += len(seg.keys) + len(seg.parts) + len(seg.dateranges) + len(seg.extras) + 1
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors
    assert views >= len(pl.segments)
    assert written
    assert all(out == text for out in written)
