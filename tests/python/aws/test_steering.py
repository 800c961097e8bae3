# SPDX-License-Identifier: MIT
"""Content steering server (function URL handler) against a moto DynamoDB server."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
    function_url_event,
    moto_server,
    put_state,
    unique_table,
    use_endpoint,
)

from hlspp.aws import steering  # noqa: E402

TABLE = unique_table("steering")


def put(client: DynamoDBClient, domain: str, **attrs: Any) -> None:
    put_state(client, domain, table=TABLE, **attrs)

PATHWAYS = [
    {"id": "eu-west-1", "domain": "da.cloudfront.net"},
    {"id": "eu-west-2", "domain": "db.cloudfront.net"},
    {"id": "us-east-1", "domain": "dc.cloudfront.net"},
]
A, B, C = (p["id"] for p in PATHWAYS)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        create_state_table(ddb(url), TABLE)
        yield url


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    c = FakeClock()
    yield c
    steering.reset()


def all_healthy(endpoint: str) -> None:
    client = ddb(endpoint)
    for p in PATHWAYS:
        put(client, p["domain"], distro_open=True, playlist_fresh=True)


def configure(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock, **env: str
) -> None:
    use_endpoint(monkeypatch, endpoint)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("HLSPP_STATE_TABLE", TABLE)
    monkeypatch.setenv("HLSPP_PATHWAYS", json.dumps(PATHWAYS))
    monkeypatch.setenv("HLSPP_STEERING_CACHE_SECONDS", "0")
    monkeypatch.setenv("HLSPP_STEERING_TIMEOUT", "0.5")
    unset = (
        "HLSPP_STEERING_TTL",
        "HLSPP_STEERING_RELOAD_URI",
        "HLSPP_STEERING_DROP_UNHEALTHY",
        "HLSPP_STATE_REGION",
        "HLSPP_STEERING_VERDICT_MAX_AGE",
    )
    for name in unset:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    steering.reset(clock=clock)


def call(method: str = "GET", query: Optional[dict[str, str]] = None) -> dict[str, Any]:
    resp = steering.handler(function_url_event(method, query), None)
    assert set(resp) == {"statusCode", "headers", "body", "isBase64Encoded"}
    assert resp["headers"]["access-control-allow-origin"] == "*", "CORS on every answer"
    assert resp["headers"]["content-type"] == "application/json"
    return resp


def priority(query: Optional[dict[str, str]] = None) -> list[str]:
    resp = call("GET", query)
    assert resp["statusCode"] == 200
    result: list[str] = json.loads(resp["body"])["PATHWAY-PRIORITY"]
    return result


def test_manifest_shape_ttl_and_headers(monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock) -> None:
    all_healthy(endpoint)
    configure(monkeypatch, endpoint, clock, HLSPP_STEERING_TTL="15")
    resp = call()
    assert resp["statusCode"] == 200
    assert resp["headers"]["cache-control"] == "no-store"
    assert resp["headers"]["x-hlspp-steering-state"] == "ok"
    body = json.loads(resp["body"])
    assert body == {"VERSION": 1, "TTL": 15, "PATHWAY-PRIORITY": [A, B, C]}

    configure(monkeypatch, endpoint, clock, HLSPP_STEERING_RELOAD_URI="https://steer.example/m.json?s=1")
    body = json.loads(call()["body"])
    assert body["TTL"] == 10, "default TTL"
    assert body["RELOAD-URI"] == "https://steer.example/m.json?s=1"


def test_unhealthy_region_moves_to_the_end(monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock) -> None:
    all_healthy(endpoint)
    configure(monkeypatch, endpoint, clock)
    client = ddb(endpoint)
    assert priority() == [A, B, C]
    put(client, "da.cloudfront.net", distro_open=False, playlist_fresh=True)  # operator closes A
    assert priority() == [B, C, A]
    put(client, "db.cloudfront.net", distro_open=True, playlist_fresh=False)  # detector: B stale
    assert priority() == [C, A, B]
    put(client, "da.cloudfront.net", distro_open=True, playlist_fresh=True)  # A back
    assert priority() == [A, C, B]
    client.delete_item(TableName=TABLE, Key={"domain": {"S": "dc.cloudfront.net"}})  # no row: unhealthy
    assert priority() == [A, B, C], "C (no row) now after B (stale)"


def test_a_verdict_the_detector_stopped_renewing_does_not_count(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    all_healthy(endpoint)
    client = ddb(endpoint)
    put(client, "da.cloudfront.net", distro_open=True, playlist_fresh=False, age=1200)  # detector gone 20 min
    put(client, "db.cloudfront.net", distro_open=True, playlist_fresh=False)  # current verdict
    configure(monkeypatch, endpoint, clock)  # default limit: 300 s
    with caplog.at_level("WARNING", logger="hlspp.aws.steering"):
        assert priority() == [A, C, B]
        assert priority() == [A, C, B]  # read again (no cache): warned about once
    assert len([r for r in caplog.records if "da.cloudfront.net" in r.getMessage()]) == 1
    assert not any("db.cloudfront.net" in r.getMessage() for r in caplog.records)
    configure(monkeypatch, endpoint, clock, HLSPP_STEERING_VERDICT_MAX_AGE="3600")
    assert priority() == [C, A, B], "within an hour's limit A's verdict counts"
    configure(monkeypatch, endpoint, clock, HLSPP_STEERING_VERDICT_MAX_AGE="0")
    assert priority() == [C, A, B], "0: any age counts"
    put(client, "da.cloudfront.net", distro_open=False, playlist_fresh=False, age=1200)
    configure(monkeypatch, endpoint, clock)
    assert priority() == [C, A, B], "the operator's distro_open false never expires"


def test_current_pathway_kept_while_healthy(monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock) -> None:
    all_healthy(endpoint)
    configure(monkeypatch, endpoint, clock)
    # hls.js sends _HLS_pathway and _HLS_throughput; the current healthy pathway stays first
    assert priority({"_HLS_pathway": C, "_HLS_throughput": "5000000"}) == [C, A, B]
    assert priority({"_HLS_pathway": "not-configured"}) == [A, B, C]
    put(ddb(endpoint), "dc.cloudfront.net", distro_open=False)
    assert priority({"_HLS_pathway": C}) == [A, B, C], "an unhealthy current pathway is not kept"


def test_drop_unhealthy_only_when_configured(monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock) -> None:
    all_healthy(endpoint)
    client = ddb(endpoint)
    put(client, "db.cloudfront.net", distro_open=False)
    configure(monkeypatch, endpoint, clock, HLSPP_STEERING_DROP_UNHEALTHY="1")
    assert priority() == [A, C]
    for p in PATHWAYS:
        put(client, p["domain"], distro_open=False)
    assert priority() == [A, B, C], "never an empty priority list"


def test_table_read_cached(monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock) -> None:
    all_healthy(endpoint)
    configure(monkeypatch, endpoint, clock, HLSPP_STEERING_CACHE_SECONDS="3")
    assert priority() == [A, B, C]
    put(ddb(endpoint), "da.cloudfront.net", distro_open=False)
    clock.advance(2.9)
    assert priority() == [A, B, C]
    clock.advance(0.2)
    assert priority() == [B, C, A]


def test_unreachable_table_serves_default_order(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    configure(monkeypatch, f"http://127.0.0.1:{free_port()}", clock)
    resp = call()
    assert resp["statusCode"] == 200
    assert resp["headers"]["x-hlspp-steering-state"] == "unavailable"
    assert json.loads(resp["body"])["PATHWAY-PRIORITY"] == [A, B, C]


def test_bad_requests(monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock) -> None:
    all_healthy(endpoint)
    configure(monkeypatch, endpoint, clock)
    resp = call("POST")
    assert resp["statusCode"] == 405 and resp["headers"]["allow"] == "GET, HEAD, OPTIONS"
    assert "error" in json.loads(resp["body"])
    resp = call("GET", {"_HLS_pathway": "a b<script>"})
    assert resp["statusCode"] == 400 and "_HLS_pathway" in json.loads(resp["body"])["error"]
    resp = steering.handler({"rawPath": "/"}, None)
    assert resp["statusCode"] == 400
    pre = call("OPTIONS")
    assert pre["statusCode"] == 204 and "GET" in pre["headers"]["access-control-allow-methods"]
    head = call("HEAD")
    assert head["statusCode"] == 200 and head["body"] == ""


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HLSPP_PATHWAYS": "not json"}, "HLSPP_PATHWAYS"),
        ({"HLSPP_PATHWAYS": json.dumps([{"id": "a b", "domain": "x"}])}, "bad pathway id"),
        ({"HLSPP_PATHWAYS": json.dumps([{"id": "a", "domain": "x"}, {"id": "a", "domain": "y"}])}, "unique"),
        ({"HLSPP_STEERING_TTL": "0"}, "HLSPP_STEERING_TTL"),
        ({"HLSPP_STEERING_VERDICT_MAX_AGE": "-5"}, "HLSPP_STEERING_VERDICT_MAX_AGE"),
        ({"HLSPP_STEERING_VERDICT_MAX_AGE": "soon"}, "HLSPP_STEERING_VERDICT_MAX_AGE"),
        ({"HLSPP_STATE_TABLE": ""}, "HLSPP_STATE_TABLE"),
    ],
)
def test_misconfiguration_is_a_clear_500(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, clock: FakeClock, env: dict[str, str], message: str
) -> None:
    configure(monkeypatch, endpoint, clock, **env)
    resp = call()
    assert resp["statusCode"] == 500
    assert message in json.loads(resp["body"])["error"]


def test_order_pathways_pure() -> None:
    ps = [steering.Pathway("a", "d1"), steering.Pathway("b", "d2")]
    old = {"d1": steering.DomainState("d1", True, False, updated_at=1000.0), "d2": steering.DomainState("d2", True, True)}
    assert steering.order_pathways(ps, old, None, False, 300, now=1300.0) == ["b", "a"], "at the limit: counts"
    assert steering.order_pathways(ps, old, None, False, 300, now=1300.5) == ["a", "b"], "over it: unknown"
    assert steering.order_pathways(ps, old, None, False, 0, now=1e9) == ["b", "a"]
    assert steering.order_pathways(ps, old, None, False, now=1e9) == ["b", "a"], "pure default: no limit"
    assert steering.order_pathways(ps, None, "b") == ["a", "b"], "unknown state: configured order"
    st = {"d1": steering.DomainState("d1", True, None), "d2": steering.DomainState("d2", True, True)}
    assert steering.order_pathways(ps, st, "b") == ["b", "a"]
