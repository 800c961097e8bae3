# SPDX-License-Identifier: MIT
"""Live analysis from Python: diff() of snapshots, lag() of a CDN copy, align()
of two regions."""

from __future__ import annotations

import json

import pytest

import hlspp


def window(first: int, count: int, *, endlist: bool = False, duration: float = 6.0) -> hlspp.MediaPlaylist:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:6", f"#EXT-X-MEDIA-SEQUENCE:{first}"]
    for msn in range(first, first + count):
        lines += [f"#EXTINF:{duration:g},", f"seg{msn}.ts"]
    if endlist:
        lines.append("#EXT-X-ENDLIST")
    pl = hlspp.parse("\n".join(lines) + "\n")
    assert isinstance(pl, hlspp.MediaPlaylist)
    return pl


def test_diff_advanced() -> None:
    d = hlspp.diff(window(100, 5), window(101, 5), elapsed=6.0)
    assert isinstance(d, hlspp.LiveDiff)
    assert d.status == "advanced"
    assert (d.media_sequence_delta, d.segments_added, d.segments_removed) == (1, 1, 1)
    assert d.seconds_added == 6.0 and d.seconds_since_change == 0.0
    assert d.violations == []
    assert json.loads(json.dumps(d.to_dict()))["status"] == "advanced"
    assert "status='advanced'" in repr(d)


@pytest.mark.parametrize(
    ("elapsed", "status"), [(3.0, "unchanged"), (10.0, "stale"), (30.0, "stuck")]
)
def test_diff_freshness(elapsed: float, status: str) -> None:
    d = hlspp.diff(window(100, 5), window(100, 5), elapsed=elapsed)
    assert d.status == status
    assert d.seconds_since_change == elapsed


def test_diff_ended_and_invalid_update() -> None:
    assert hlspp.diff(window(100, 5), window(100, 6, endlist=True), elapsed=6.0).status == "ended"
    previous = window(100, 5)
    current = window(100, 6)
    current.segments[2].uri = "replaced.ts"  # an update must not change a listed segment
    d = hlspp.diff(previous, current, elapsed=6.0)
    assert d.status == "invalid-update"
    assert d.violations and all(v.line > 0 for v in d.violations if v.severity == "error")


def test_diff_argument_checks() -> None:
    master = hlspp.parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n")
    with pytest.raises(TypeError):
        hlspp.diff(master, window(1, 1), elapsed=1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        hlspp.diff(window(1, 1), window(1, 1), elapsed=-1.0)


def test_lag() -> None:
    r = hlspp.lag(window(100, 10), window(100, 8))
    assert isinstance(r, hlspp.LagResult)
    assert (r.segments_behind, r.seconds_behind) == (2, 12.0)
    assert r.stale_edge and not r.player_stall
    same = hlspp.lag(window(100, 10), window(100, 10))
    assert (same.segments_behind, same.seconds_behind, same.stale_edge) == (0, 0.0, False)
    assert json.loads(json.dumps(r.to_dict()))["segments_behind"] == 2


def test_align() -> None:
    a = hlspp.align(window(100, 5), window(100, 5))
    assert isinstance(a, hlspp.AlignResult)
    assert a.aligned and a.offset_seconds == 0.0 and a.media_sequence_offset == 0
    b = window(100, 5)
    b.target_duration = 10
    r = hlspp.align(window(100, 5), b)
    assert not r.aligned
    assert any(d.severity == "error" for d in r.diagnostics)
    assert r.to_dict()["aligned"] is False
