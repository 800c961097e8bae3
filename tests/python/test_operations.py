# SPDX-License-Identifier: MIT
"""rebase(), relativize(), validate() and merge() from Python; the seed's
two-region merge end to end through HTTP."""

from __future__ import annotations

import pytest

import hlspp
from support import LL_MEDIA, MASTER, MEDIA, REPO_ROOT, PlaylistServer

SEED = REPO_ROOT / "tests" / "data" / "seed"
REGION_ONE = "https://d1q747mcnm9q46.cloudfront.net/out/v1/f53b2dd7810e43f4a05bffec4aa5c7a1/index.m3u8"
REGION_TWO = "https://d3623mp9gw7c0l.cloudfront.net/out/v1/3889cc3066c34b11ad01a1be071fb09a/index.m3u8"


def seed_master(name: str, base_uri: str | None = None) -> hlspp.MasterPlaylist:
    pl = hlspp.parse((SEED / name).read_bytes(), base_uri=base_uri)
    assert isinstance(pl, hlspp.MasterPlaylist)
    return pl


def test_rebase_and_relativize_media() -> None:
    base = "https://origin.example/live/stream/index.m3u8"
    pl = hlspp.parse(MEDIA, base_uri=base)
    assert isinstance(pl, hlspp.MediaPlaylist)
    result = hlspp.rebase(pl)
    assert result.rewritten >= 5  # 4 segments + map (the key is absolute already)
    assert pl.segments[0].uri == "https://origin.example/live/stream/seg100.ts"
    assert pl.segments[0].map is not None and pl.segments[0].map.uri == "https://origin.example/live/stream/init.mp4"
    assert pl.segments[0].key is not None and pl.segments[0].key.uri == "https://keys.example/k1"
    assert pl.base_uri == base
    back = hlspp.relativize(pl, base)
    assert back.rewritten == result.rewritten
    assert pl.dumps() == MEDIA
    # relativize() to a new place moves the base URI there.
    pl2 = hlspp.parse(MEDIA, base_uri=base)
    hlspp.rebase(pl2)
    hlspp.relativize(pl2, "https://origin.example/live/other/index.m3u8")
    assert pl2.base_uri == "https://origin.example/live/other/index.m3u8"
    assert isinstance(pl2, hlspp.MediaPlaylist)
    assert pl2.segments[0].uri == "../stream/seg100.ts"


def test_rebase_master_with_explicit_base_and_references_kept() -> None:
    pl = hlspp.parse(MASTER)
    assert isinstance(pl, hlspp.MasterPlaylist)
    v = pl.variants[0]
    r = hlspp.rebase(pl, "https://cdn.example/a/master.m3u8")
    assert isinstance(r, hlspp.RebaseResult) and r.rewritten > 0
    assert v.uri == "https://cdn.example/a/video/720p.m3u8"
    assert pl.renditions[0].uri == "https://cdn.example/a/audio/en.m3u8"
    assert pl.iframe_variants[0].uri == "https://cdn.example/a/video/720p-iframes.m3u8"
    assert pl.session_keys[0].uri == "skd://key1"
    assert pl.base_uri is None
    assert "RebaseResult" in repr(r)


def test_rebase_errors_and_warnings() -> None:
    with pytest.raises(ValueError, match="base_uri"):
        hlspp.rebase(hlspp.parse(MEDIA))
    pl = hlspp.parse(MEDIA)
    with pytest.raises(hlspp.RebaseError) as info:
        hlspp.rebase(pl, "relative/path.m3u8")
    assert info.value.code == "invalid-base-uri"
    assert pl.dumps() == MEDIA  # unchanged
    with pytest.raises(TypeError):
        hlspp.rebase("x", "https://a/")  # type: ignore[arg-type]
    var = hlspp.parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n{$cdn}/a.ts\n#EXTINF:4,\nb.ts\n")
    r = hlspp.rebase(var, "https://o.example/x/p.m3u8")
    assert r.rewritten == 1
    assert [d.code for d in r.diagnostics] == ["undefined-variable"]


def test_validate() -> None:
    assert [d for d in hlspp.validate(seed_master("region-one.m3u8")) if d.severity == "error"] == []
    found = hlspp.validate(hlspp.parse(MASTER))
    mixed = [d for d in found if d.code == "closed-captions-none-mixed"]
    assert mixed and (mixed[0].line, mixed[0].severity) == (12, "error")
    assert [d.code for d in hlspp.validate(hlspp.parse(MEDIA))] == ["version-too-low"]
    pl = hlspp.parse(LL_MEDIA)
    assert isinstance(pl, hlspp.MediaPlaylist)
    assert [d for d in hlspp.validate(pl) if d.severity == "error"] == []
    pl.segments[0].duration = 9.0  # over EXT-X-TARGETDURATION:4
    codes = [d.code for d in hlspp.validate(pl)]
    assert "extinf-exceeds-target-duration" in codes
    for d in hlspp.validate(pl):
        assert isinstance(d, hlspp.Diagnostic) and d.severity in ("info", "warning", "error")
    with pytest.raises(TypeError):
        hlspp.validate(None)  # type: ignore[arg-type]


def test_merge_seed_byte_exact() -> None:
    one = seed_master("region-one.m3u8", REGION_ONE)
    two = seed_master("region-two.m3u8", REGION_TWO)
    merged = hlspp.merge([one, two])
    assert isinstance(merged, hlspp.MasterPlaylist)
    assert merged.dumps() == (SEED / "merged.m3u8").read_text(encoding="utf-8")
    # Pairs give the base URIs explicitly.
    pairs = hlspp.merge([(seed_master("region-one.m3u8"), REGION_ONE), (seed_master("region-two.m3u8"), REGION_TWO)])
    assert pairs == merged
    # The inputs are not modified.
    assert one.dumps() == (SEED / "region-one.m3u8").read_text(encoding="utf-8")


def test_merge_seed_through_http(server: PlaylistServer) -> None:
    """The seed's procedure end to end: two "regions" on a local HTTP server, each
    behind a redirect, loaded and merged."""
    body_one = (SEED / "region-one.m3u8").read_bytes()
    body_two = (SEED / "region-two.m3u8").read_bytes()
    server.body("/region-one/out/v1/index.m3u8", body_one)
    server.body("/region-two/out/v1/index.m3u8", body_two)
    server.redirect("/one.m3u8", "/region-one/out/v1/index.m3u8")
    server.redirect("/two.m3u8", "/region-two/out/v1/index.m3u8")
    one = hlspp.load(server.url("/one.m3u8"))
    two = hlspp.load(server.url("/two.m3u8"))
    assert isinstance(one, hlspp.MasterPlaylist) and isinstance(two, hlspp.MasterPlaylist)
    merged = hlspp.merge([one, two])
    expected = (SEED / "merged.m3u8").read_text(encoding="utf-8")
    expected = expected.replace(REGION_ONE.rsplit("/", 1)[0], server.url("/region-one/out/v1"))
    expected = expected.replace(REGION_TWO.rsplit("/", 1)[0], server.url("/region-two/out/v1"))
    assert merged.dumps() == expected


def test_merge_steering_mode() -> None:
    one = seed_master("region-one.m3u8", REGION_ONE)
    two = seed_master("region-two.m3u8", REGION_TWO)
    merged = hlspp.merge(
        [one, two], mode="steering", ids=["east", "west"], steering_uri="https://steer.example/s.json"
    )
    assert merged.content_steering is not None
    assert merged.content_steering.server_uri == "https://steer.example/s.json"
    assert merged.content_steering.pathway_id == "east"
    assert {v.pathway_id for v in merged.variants} == {"east", "west"}
    assert len(merged.variants) == 2 * len(one.variants)
    with pytest.raises(hlspp.MergeError) as info:
        hlspp.merge([one, two], mode="steering")
    assert info.value.code == "merge-input"


def test_merge_failures() -> None:
    one = seed_master("region-one.m3u8", REGION_ONE)
    two = seed_master("region-two.m3u8", REGION_TWO)
    with pytest.raises(hlspp.MergeError, match="at least two"):
        hlspp.merge([one])
    with pytest.raises(hlspp.MergeError) as info:
        hlspp.merge([one, seed_master("region-two.m3u8")])  # no base URI
    assert info.value.code == "merge-input"
    del two.variants[0]
    with pytest.raises(hlspp.MergeError) as info:
        hlspp.merge([one, two])
    assert info.value.code == "ladder-mismatch"
    assert isinstance(info.value, ValueError)
    assert info.value.diagnostics
    partial = hlspp.merge([one, two], allow_partial=True)
    assert any(d.code == "ladder-mismatch" and d.severity == "warning" for d in partial.diagnostics)
    with pytest.raises(ValueError, match="mode"):
        hlspp.merge([one, two], mode="clustered")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ids"):
        hlspp.merge([one, two], ids=["a"])
    with pytest.raises(TypeError):
        hlspp.merge([one, hlspp.parse(MEDIA, base_uri=REGION_TWO)])  # type: ignore[list-item]
    with pytest.raises(hlspp.MergeError, match="used twice"):
        hlspp.merge([one, two], ids=["x", "x"], allow_partial=True)
