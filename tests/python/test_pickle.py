# SPDX-License-Identifier: MIT
"""copy and pickle of playlists, edited or not."""

from __future__ import annotations

import copy
import pickle

import pytest

import hlspp
from support import LL_MEDIA, MASTER, MEDIA


@pytest.mark.parametrize("text", [MEDIA, LL_MEDIA, MASTER], ids=["media", "ll-media", "master"])
def test_pickle_round_trip(text: str) -> None:
    pl = hlspp.parse(text, base_uri="https://origin.example/a/b.m3u8")
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(pl, protocol=protocol))
        assert type(again) is type(pl)
        assert again == pl
        assert again.dumps() == text
        assert again.base_uri == "https://origin.example/a/b.m3u8"
        assert again.diagnostics == pl.diagnostics


def test_pickle_keeps_diagnostics() -> None:
    text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-TARGETDURATION:10\n#EXTINF:5,\na.ts\n"
    pl = hlspp.parse(text)
    again = pickle.loads(pickle.dumps(pl))
    assert [str(d) for d in again.diagnostics] == [str(d) for d in pl.diagnostics]
    assert again.diagnostics[0].code == "duplicate-tag"


def test_edited_playlist_pickles_equal() -> None:
    pl = hlspp.parse(MEDIA)
    assert isinstance(pl, hlspp.MediaPlaylist)
    pl.segments[0].uri = "https://cdn.example/edited.ts"
    pl.segments[1].duration = 1 / 3
    pl.segments.append(hlspp.Segment(uri="new.ts", duration=2.5, title="added"))
    del pl.segments[2]
    pl.segments[0].dateranges.append(hlspp.DateRange(id="x", start_date="2024-05-01T12:00:00Z", duration=1.5))
    pl.server_control = hlspp.ServerControl(can_block_reload=True, hold_back=18.0)
    again = pickle.loads(pickle.dumps(pl))
    assert again == pl
    assert again.dumps() == pl.dumps()
    m = hlspp.parse(MASTER)
    assert isinstance(m, hlspp.MasterPlaylist)
    m.variants.append(hlspp.Variant(uri="v4k.m3u8", bandwidth=20_000_000, resolution=(3840, 2160)))
    m.renditions[0].name = "English (US)"
    assert pickle.loads(pickle.dumps(m)) == m


def test_fresh_playlists_pickle_with_their_kind() -> None:
    for pl in (hlspp.MediaPlaylist(), hlspp.MasterPlaylist(), hlspp.MediaPlaylist(base_uri="file:///x.m3u8")):
        again = pickle.loads(pickle.dumps(pl))
        assert type(again) is type(pl)
        assert again == pl
        assert again.base_uri == pl.base_uri


def test_unsafe_playlist_does_not_pickle() -> None:
    pl = hlspp.parse(MEDIA)
    assert isinstance(pl, hlspp.MediaPlaylist)
    pl.segments[0].uri = "bad\nuri"
    with pytest.raises(hlspp.SerializeError):
        pickle.dumps(pl)
    # copy does not need the text
    assert copy.deepcopy(pl).segments[0].uri == "bad\nuri"


def test_copies_are_independent() -> None:
    pl = hlspp.parse(MASTER)
    assert isinstance(pl, hlspp.MasterPlaylist)
    for c in (copy.copy(pl), copy.deepcopy(pl), pl.copy()):
        assert c == pl and c.base_uri == pl.base_uri
        c.variants[0].bandwidth = 1
        c.variants.clear()
        assert len(pl.variants) == 2 and pl.variants[0].bandwidth == 4285600
    assert pl.dumps() == MASTER
