# SPDX-License-Identifier: MIT
"""Parsing and writing release the GIL for large inputs: results stay correct
when threads parse, write and edit at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import hlspp
from support import big_media


@contextmanager
def writers_running(pl: hlspp.MediaPlaylist, errors: list[BaseException]) -> Iterator[list[str]]:
    """Two threads write `pl` (pl.dumps(), the GIL released) in a loop while the body
    runs; yields the list of what they wrote and records their exceptions in `errors`."""
    stop = threading.Event()
    written: list[str] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                written.append(pl.dumps())
        except BaseException as e:  # pragma: no cover - reported by the caller
            errors.append(e)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        yield written
    finally:
        stop.set()
        for t in threads:
            t.join()


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
    errors: list[BaseException] = []
    with writers_running(pl, errors) as written:
        held = pl.segments[10]
        for i in range(300):
            pl.segments.insert(0, hlspp.Segment(uri=f"front{i}.ts", duration=6.0))
            del pl.segments[-1]
            pl.segments[5].uri = f"edited{i}.ts"
            assert held.uri.endswith("000010.ts")
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
    errors: list[BaseException] = []
    views = 0
    with writers_running(pl, errors) as written:
        for seg in pl.segments:
            views += len(seg.keys) + len(seg.parts) + len(seg.dateranges) + len(seg.extras) + 1
    assert not errors
    assert views >= len(pl.segments)
    assert written
    assert all(out == text for out in written)
