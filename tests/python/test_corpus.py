# SPDX-License-Identifier: MIT
"""Every playlist of the shared corpus from Python: lossless round trip
(byte-exact, from str and from bytes), canonical idempotence, pickle, to_dict."""

from __future__ import annotations

import json
import pickle

import pytest

import hlspp
from support import corpus_dir


def corpus_entries() -> list[tuple[str, str, str]]:
    index = corpus_dir() / "index.tsv"
    if not index.is_file():
        return []
    rows = index.read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for row in rows:
        cols = row.split("\t")
        if len(cols) >= 4:
            out.append((cols[0], cols[1], cols[3]))
    return out


ENTRIES = corpus_entries()


def test_corpus_is_present() -> None:
    assert (corpus_dir() / "index.tsv").is_file(), (
        f"corpus not found at {corpus_dir()} (set HLSPP_CORPUS_DIR)"
    )
    assert len(ENTRIES) >= 800


@pytest.mark.parametrize(("path", "kind", "valid"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_corpus_file(path: str, kind: str, valid: str) -> None:
    raw = (corpus_dir() / path).read_bytes()
    text = raw.decode("utf-8")

    pl = hlspp.parse(text, strictness="lenient")
    assert pl.dumps() == text  # byte-exact (the text is UTF-8)
    assert str(pl) == text
    assert hlspp.parse(raw, strictness="lenient").to_bytes() == raw
    if kind in ("media", "master"):
        assert pl.kind == kind

    canonical = pl.dumps(canonical=True)
    assert "\r" not in canonical
    assert hlspp.parse(canonical, strictness="lenient").dumps(canonical=True) == canonical

    again = pickle.loads(pickle.dumps(pl))
    assert again == pl
    assert again.dumps() == text

    d = pl.to_dict()
    assert d == json.loads(json.dumps(d))

    if valid == "yes":
        # Default mode parses it (any error it finds is reported, with a position).
        try:
            parsed = hlspp.parse(text)
        except hlspp.ParseError as e:
            assert e.line > 0 or e.code in ("empty-input",)
        else:
            assert parsed == pl


@pytest.mark.parametrize(
    ("path", "kind", "valid"),
    [e for e in ENTRIES if e[1] == "media"][:300],
    ids=[e[0] for e in ENTRIES if e[1] == "media"][:300],
)
def test_corpus_edited_media_pickles_equal(path: str, kind: str, valid: str) -> None:
    pl = hlspp.parse((corpus_dir() / path).read_bytes(), strictness="lenient")
    assert isinstance(pl, hlspp.MediaPlaylist)
    if len(pl.segments) == 0:
        pl.segments.append(hlspp.Segment(uri="only.ts", duration=1.0))
    pl.segments[0].uri = "https://edited.example/first.ts"
    pl.segments[-1].duration = 0.1 + 0.2
    pl.segments.insert(1, pl.segments[0].copy())
    del pl.segments[-1]
    again = pickle.loads(pickle.dumps(pl))
    assert again == pl
