# SPDX-License-Identifier: MIT
"""Copilot Lambda@Edge handler against a moto DynamoDB server (real HTTP)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import pytest

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

pytest.importorskip("boto3")
pytest.importorskip("moto.server")


from .edge_support import (  # noqa: E402
    FakeClock,
    create_state_table,
    ddb,
    free_port,
    moto_server,
    origin_request_event,
    put_state,
    unique_table,
    use_endpoint,
)

from hlspp.aws import copilot  # noqa: E402
from hlspp.aws._edgestate import DomainState  # noqa: E402

TABLE = unique_table("copilot")


def put(client: DynamoDBClient, domain: str, **attrs: Any) -> None:
    put_state(client, domain, table=TABLE, **attrs)

D_OPEN = "dopen.cloudfront.net"
D_CLOSED = "dclosed.cloudfront.net"
D_STALE = "dstale.cloudfront.net"
D_FLIP = "dflip.cloudfront.net"
D_MISSING = "dmissing.cloudfront.net"
D_OLD_VERDICT = "dold.cloudfront.net"  # playlist_fresh false, not rewritten for 20 minutes
D_UNDATED = "dundated.cloudfront.net"  # playlist_fresh false without updated_at (written by hand)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        client = ddb(url)
        create_state_table(client, TABLE)
        put(client, D_OPEN, distro_open=True, playlist_fresh=True)
        put(client, D_CLOSED, distro_open=False, playlist_fresh=True)
        put(client, D_STALE, distro_open=True, playlist_fresh=False)
        put(client, D_OLD_VERDICT, distro_open=True, playlist_fresh=False, age=1200)
        put(client, D_UNDATED, distro_open=True, playlist_fresh=False, age=None)
        yield url


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    c = FakeClock()
    yield c
    copilot.reset()


def configure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock, **overrides: Any
) -> None:
    """Writes copilot_config.json, points HLSPP_COPILOT_CONFIG at it and cold-starts the copilot."""
    use_endpoint(monkeypatch, endpoint)
    cfg: dict[str, Any] = {
        "table": TABLE,
        "table_region": "eu-west-1",
        "cache_seconds": 5,
        "fail_mode": "open",
        "auto": False,
        "timeout_seconds": 0.5,
    }
    cfg.update(overrides)
    path = tmp_path / "copilot_config.json"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    monkeypatch.setenv(copilot.CONFIG_ENV, str(path))
    copilot.reset(clock=clock)


def assert_generated_404(resp: dict[str, Any]) -> None:
    """A well-formed CloudFront generated response (Lambda@Edge response object)."""
    assert set(resp) <= {"status", "statusDescription", "headers", "body", "bodyEncoding"}
    assert resp["status"] == "404" and isinstance(resp["status"], str)
    assert resp["statusDescription"] == "Not Found"
    headers = resp["headers"]
    assert isinstance(headers, dict)
    for name, values in headers.items():
        assert name == name.lower()
        assert isinstance(values, list) and values
        for entry in values:
            assert set(entry) == {"key", "value"}
            assert entry["key"].lower() == name
            assert isinstance(entry["value"], str)
    assert headers["content-type"] == [{"key": "Content-Type", "value": "text/plain"}]
    assert "no-store" in headers["cache-control"][0]["value"]
    assert headers["access-control-allow-origin"] == [{"key": "Access-Control-Allow-Origin", "value": "*"}]
    assert isinstance(resp["body"], str) and resp["body"]
    assert resp.get("bodyEncoding", "text") == "text"
    json.dumps(resp)  # serialisable as CloudFront receives it


def test_open_passes_request_through_unchanged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock
) -> None:
    configure(monkeypatch, tmp_path, endpoint, clock)
    event = origin_request_event(D_OPEN)
    before = copy.deepcopy(event["Records"][0]["cf"]["request"])
    out = copilot.handler(event, None)
    assert out == before
    assert out is event["Records"][0]["cf"]["request"]


def test_closed_returns_well_formed_404(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock
) -> None:
    configure(monkeypatch, tmp_path, endpoint, clock)
    resp = copilot.handler(origin_request_event(D_CLOSED, "/out/v1/abc/seg_100.ts"), None)
    assert_generated_404(resp)
    assert resp["headers"]["x-hlspp-copilot"][0]["value"] == "closed"
    assert D_CLOSED in resp["body"]


@pytest.mark.parametrize("fail_mode", ["open", "closed"])
def test_missing_item_follows_fail_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock, fail_mode: str
) -> None:
    configure(monkeypatch, tmp_path, endpoint, clock, fail_mode=fail_mode)
    event = origin_request_event(D_MISSING)
    out = copilot.handler(event, None)
    if fail_mode == "open":
        assert out is event["Records"][0]["cf"]["request"]
    else:
        assert_generated_404(out)
        assert out["headers"]["x-hlspp-copilot"][0]["value"] == "no-item"


@pytest.mark.parametrize("fail_mode", ["open", "closed"])
def test_unreachable_table_follows_fail_mode_fast(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: FakeClock, fail_mode: str
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    configure(monkeypatch, tmp_path, dead, clock, fail_mode=fail_mode)
    event = origin_request_event(D_OPEN)
    start = time.monotonic()
    out = copilot.handler(event, None)
    elapsed = time.monotonic() - start
    assert elapsed < 5, f"edge answer took {elapsed:.1f}s"
    if fail_mode == "open":
        assert out is event["Records"][0]["cf"]["request"]
    else:
        assert_generated_404(out)
        assert out["headers"]["x-hlspp-copilot"][0]["value"] == "unavailable"
    # the failure is cached: the next request inside the window does not wait again
    start = time.monotonic()
    again = copilot.handler(origin_request_event(D_OPEN), None)
    assert time.monotonic() - start < 0.2
    assert ("status" in again) == (fail_mode == "closed")


def test_decision_cached_for_cache_seconds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock
) -> None:
    configure(monkeypatch, tmp_path, endpoint, clock, cache_seconds=5)
    client = ddb(endpoint)
    put(client, D_FLIP, distro_open=True)
    event = origin_request_event(D_FLIP)
    assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"]

    put(client, D_FLIP, distro_open=False)  # operator closes the region
    clock.advance(4.9)
    event = origin_request_event(D_FLIP)
    assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"], "within the window: old decision"

    clock.advance(0.2)
    assert_generated_404(copilot.handler(origin_request_event(D_FLIP), None))

    put(client, D_FLIP, distro_open=True)  # reopened
    clock.advance(5.1)
    event = origin_request_event(D_FLIP)
    assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"]


def test_auto_mode_closes_on_stale_playlist(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock
) -> None:
    configure(monkeypatch, tmp_path, endpoint, clock, auto=False)
    event = origin_request_event(D_STALE)
    assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"], "manual mode ignores playlist_fresh"

    configure(monkeypatch, tmp_path, endpoint, clock, auto=True)
    resp = copilot.handler(origin_request_event(D_STALE), None)
    assert_generated_404(resp)
    assert resp["headers"]["x-hlspp-copilot"][0]["value"] == "stale"
    event = origin_request_event(D_OPEN)  # fresh and open: still passes
    assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"]


def test_auto_mode_does_not_act_on_a_verdict_the_detector_stopped_renewing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The detector rewrites playlist_fresh every pass: a false verdict 20 minutes old
    means it stopped, and the region it closed must not stay closed for good."""
    configure(monkeypatch, tmp_path, endpoint, clock, auto=True)  # default: 300 s
    event = origin_request_event(D_OLD_VERDICT)
    with caplog.at_level("WARNING", logger="hlspp.aws.copilot"):
        assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"]
        clock.advance(5.1)  # past the decision cache: decided again, warned about once
        assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"]
    warnings = [r for r in caplog.records if "dold.cloudfront.net" in r.getMessage()]
    assert len(warnings) == 1 and "has not renewed it" in warnings[0].getMessage()
    assert_generated_404(copilot.handler(origin_request_event(D_STALE), None))  # a current false verdict closes
    assert_generated_404(copilot.handler(origin_request_event(D_UNDATED), None))  # an undated one cannot expire

    configure(monkeypatch, tmp_path, endpoint, clock, auto=True, verdict_max_age_seconds=3600)
    resp = copilot.handler(origin_request_event(D_OLD_VERDICT), None)
    assert resp["headers"]["x-hlspp-copilot"][0]["value"] == "stale", "within an hour's limit"
    configure(monkeypatch, tmp_path, endpoint, clock, auto=True, verdict_max_age_seconds=0)
    assert_generated_404(copilot.handler(origin_request_event(D_OLD_VERDICT), None))  # 0: any age counts

    use_endpoint(monkeypatch, endpoint)
    cfg = copilot.CopilotConfig(table=TABLE, table_region="eu-west-1", auto=True, timeout_seconds=0.5)
    d = copilot.decide(D_OLD_VERDICT, cfg)
    assert (d.open, d.reason) == (True, "verdict-expired")
    assert "written 1200 s ago, over 300 s" in d.detail
    manual = copilot.decide(D_OLD_VERDICT, copilot.CopilotConfig(table=TABLE, table_region="eu-west-1"))
    assert (manual.open, manual.reason) == (True, "open"), "manual mode never reads playlist_fresh"


def test_verdict_age_at_the_limit() -> None:
    """decide_from_state at a given time: over the limit expires, at it does not;
    a time in the future (clock skew) is current; distro_open false wins at any age."""
    cfg = copilot.CopilotConfig(table="t", table_region="r", auto=True, verdict_max_age_seconds=300)
    written = 1_800_000_000.0

    def at(now: float, distro_open: Optional[bool] = True) -> tuple[bool, str]:
        row = DomainState("d", distro_open, False, updated_at=written)
        d = copilot.decide_from_state("d", row, cfg, now)
        return d.open, d.reason

    assert at(written + 300) == (False, "stale")
    assert at(written + 300.001) == (True, "verdict-expired")
    assert at(written - 3600) == (False, "stale")
    assert at(written + 10_000, distro_open=False) == (False, "closed")
    fresh = DomainState("d", True, True, updated_at=written)
    assert copilot.decide_from_state("d", fresh, cfg, written + 10_000).reason == "open"


def test_configured_domain_overrides_event(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock
) -> None:
    configure(monkeypatch, tmp_path, endpoint, clock, domain=D_CLOSED)
    assert_generated_404(copilot.handler(origin_request_event(D_OPEN), None))


def test_decide_reads_the_table(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    use_endpoint(monkeypatch, endpoint)
    cfg = copilot.CopilotConfig(table=TABLE, table_region="eu-west-1", timeout_seconds=0.5)
    assert copilot.decide(D_OPEN, cfg) == copilot.Decision(D_OPEN, True, "open")
    assert copilot.decide(D_CLOSED, cfg) == copilot.Decision(D_CLOSED, False, "closed")
    two = copilot.CopilotConfig(
        table=TABLE, table_region="eu-west-3", fallback_regions=("eu-west-1",), timeout_seconds=0.5
    )
    assert copilot.decide(D_CLOSED, two).reason == "closed"
    d = copilot.decide(D_MISSING, cfg)
    assert (d.open, d.reason) == (True, "no-item")


def test_malformed_event_and_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="origin-request"):
        copilot.handler({"Records": []}, None)
    bad = tmp_path / "bad.json"
    for text, message in [
        ('{"table": "t", "table_region": "r", "fail_mode": "maybe"}', "fail_mode"),
        ('{"table_region": "r"}', "table"),
        ('{"table": "t", "table_region": "r", "cache_secs": 1}', "unknown"),
        ('{"table": "t", "table_region": "r", "fallback_regions": "r2"}', "fallback_regions"),
        ('{"table": "t", "table_region": "r", "verdict_max_age_seconds": -1}', "verdict_max_age_seconds"),
        ('{"table": "t", "table_region": "r", "verdict_max_age_seconds": true}', "verdict_max_age_seconds"),
        ("[1]", "object"),
        ("{", "JSON"),
    ]:
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(copilot.ConfigError, match=message):
            copilot.load_config(str(bad))
    monkeypatch.setenv(copilot.CONFIG_ENV, str(tmp_path / "absent.json"))
    copilot.reset(clock=clock)
    with pytest.raises(copilot.ConfigError, match="cannot read"):
        copilot.handler(origin_request_event(D_OPEN), None)


def test_fallback_region_read_when_the_first_replica_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str, clock: FakeClock
) -> None:
    # moto keeps tables per region: eu-west-3 has no such table, so reading it fails.
    configure(monkeypatch, tmp_path, endpoint, clock, table_region="eu-west-3", fail_mode="open")
    event = origin_request_event(D_CLOSED)
    assert copilot.handler(event, None) is event["Records"][0]["cf"]["request"], "no fallback: fail open"

    configure(
        monkeypatch, tmp_path, endpoint, clock, table_region="eu-west-3", fallback_regions=["eu-west-1"]
    )
    resp = copilot.handler(origin_request_event(D_CLOSED), None)
    assert_generated_404(resp)
    assert resp["headers"]["x-hlspp-copilot"][0]["value"] == "closed"
