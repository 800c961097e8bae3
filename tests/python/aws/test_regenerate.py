# SPDX-License-Identifier: MIT
"""hlspp.aws.regenerate: scheduled re-merge of two live loopback regions into
moto S3 buckets, with a CloudFront invalidation on change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto.server")

import hlspp  # noqa: E402
from hlspp.aws import regenerate  # noqa: E402

from .support import (
    BUCKETS,
    KEY,
    LiveServer,
    Moto,
    contents,
    invalidations,
    make_buckets,
    make_distribution,
    scheduled_event,
)  # noqa: E402


@pytest.fixture
def regions(aws: Moto, live: LiveServer, live2: LiveServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    make_buckets(aws.url)
    dist = make_distribution(aws.url)
    monkeypatch.setenv("HLSPP_REGION_URLS", f"{live.cdn}, {live2.cdn}")
    monkeypatch.setenv("HLSPP_IDS", "east,west")
    monkeypatch.setenv("HLSPP_BUCKETS", " ".join(BUCKETS))
    monkeypatch.setenv("HLSPP_KEY", KEY)
    monkeypatch.setenv("HLSPP_DISTRIBUTION_IDS", dist)
    monkeypatch.setenv("HLSPP_FETCH_TIMEOUT", "1")
    yield dist


def failed_run() -> dict[str, Any]:
    """A run that must fail: the handler raises (so Lambda counts an error) and the
    exception holds the result."""
    with pytest.raises(regenerate.RegenerateFailed) as caught:
        regenerate.handler(scheduled_event(), None)
    assert caught.value.result["status"] == "error"
    assert str(caught.value) == caught.value.result["message"]
    return caught.value.result


def published(aws: Moto) -> set[bytes]:
    return {v[0] if v else b"" for v in contents(aws.url).values()}


def test_publishes_on_change_only(aws: Moto, live: LiveServer, live2: LiveServer, regions: str) -> None:
    out = regenerate.handler(scheduled_event(), None)
    assert out["status"] == "published", out["message"]
    assert [b["action"] for b in out["publish"]["buckets"]] == ["created"] * 3
    assert invalidations(aws.url, regions) == []
    (body,) = published(aws)
    merged = hlspp.parse(body)
    assert isinstance(merged, hlspp.MasterPlaylist)
    uris = [v.uri for v in merged.variants]
    assert any(u.startswith(live.base + "/cdn/") for u in uris) and any(
        u.startswith(live2.base + "/cdn/") for u in uris
    )
    assert len(merged.variants) == 4 and len(merged.iframe_variants) == 2
    assert [d for d in hlspp.validate(merged) if d.severity == "error"] == []

    # nothing changed at the origins: nothing written, no invalidation
    live.stream.advance()  # media playlists move, the multivariant playlists do not
    out = regenerate.handler(scheduled_event(), None)
    assert out["status"] == "unchanged"
    assert [b["action"] for b in out["publish"]["buckets"]] == ["unchanged"] * 3
    assert invalidations(aws.url, regions) == []

    # the ladder changed in both regions: republished and invalidated
    live.stream.bandwidth = live2.stream.bandwidth = 1400000
    out = regenerate.handler(scheduled_event(), None)
    assert out["status"] == "published"
    assert [b["action"] for b in out["publish"]["buckets"]] == ["replaced"] * 3
    assert invalidations(aws.url, regions) == [out["publish"]["invalidations"][regions]]
    (body2,) = published(aws)
    assert body2 != body and b"BANDWIDTH=1400000" in body2


def test_unreachable_region_is_not_left_out_unless_allowed(
    aws: Moto, live: LiveServer, live2: LiveServer, regions: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert regenerate.handler(scheduled_event(), None)["status"] == "published"
    (before,) = published(aws)

    live2.stream.faults["*"] = "500"
    live.stream.bandwidth = 1400000  # a change that would be published
    out = failed_run()
    assert "1 of 2 regions could not be fetched" in out["message"] and "HTTP 500" in out["message"]
    assert list(out["regions_failed"]) == [live2.cdn]
    assert out["publish"] is None
    assert published(aws) == {before}

    live2.stream.faults["*"] = "slow"
    live2.stream.slow_seconds = 2.0
    out = failed_run()
    assert "timed out" in out["message"]
    assert published(aws) == {before}

    monkeypatch.setenv("HLSPP_ALLOW_PARTIAL", "true")
    live2.stream.faults["*"] = "404"
    out = regenerate.handler(scheduled_event(), None)
    assert out["status"] == "published" and "without 1 failed region" in out["message"]
    (body,) = published(aws)
    merged = hlspp.parse(body)
    assert isinstance(merged, hlspp.MasterPlaylist)
    assert {v.uri.split("/cdn/")[0] for v in merged.variants} == {live.base}  # absolute URIs, one region


def test_ladder_mismatch_is_not_published(
    aws: Moto, live: LiveServer, live2: LiveServer, regions: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    live2.stream.bandwidth = 900000  # region west's first variant has no equivalent in east
    out = failed_run()
    assert out["message"].startswith("merge failed:")
    assert "ladder-mismatch" in out["message"]
    assert published(aws) == {b""}
    monkeypatch.setenv("HLSPP_ALLOW_PARTIAL_LADDER", "true")
    out = regenerate.handler(scheduled_event(), None)
    assert out["status"] == "published", out["message"]


def test_steering_mode(aws: Moto, regions: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HLSPP_MERGE_MODE", "steering")
    monkeypatch.setenv("HLSPP_STEERING_URI", "https://steer.example/steering.json")
    monkeypatch.setenv("HLSPP_DEFAULT_PATHWAY", "east")
    out = regenerate.handler(scheduled_event(), None)
    assert out["status"] == "published", out["message"]
    (body,) = published(aws)
    merged = hlspp.parse(body)
    assert isinstance(merged, hlspp.MasterPlaylist) and merged.content_steering is not None
    assert b'SERVER-URI="https://steer.example/steering.json"' in body
    assert {v.pathway_id for v in merged.variants} == {"east", "west"}


def test_configuration_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("HLSPP_REGION_URLS", "HLSPP_BUCKETS", "HLSPP_KEY", "HLSPP_IDS"):
        monkeypatch.delenv(k, raising=False)
    with pytest.raises(regenerate.RegenerateError, match="HLSPP_REGION_URLS"):
        regenerate.handler(scheduled_event(), None)
    monkeypatch.setenv("HLSPP_REGION_URLS", "http://a.example/m.m3u8 http://b.example/m.m3u8")
    monkeypatch.setenv("HLSPP_BUCKETS", "b1")
    monkeypatch.setenv("HLSPP_KEY", "k.m3u8")
    monkeypatch.setenv("HLSPP_IDS", "only-one")
    with pytest.raises(regenerate.RegenerateError, match="1 ids for 2 region URLs"):
        regenerate.RegenerateConfig.from_env()
