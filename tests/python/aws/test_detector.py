# SPDX-License-Identifier: MIT
"""The stale playlist detector against live loopback origins and moto (DynamoDB,
SNS -> SQS, CloudWatch) in server mode."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable, Optional

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto.server")

import hlspp.aws.detector as detector_module  # noqa: E402
from hlspp import cli  # noqa: E402
from hlspp.aws.detector import Clients, DetectorConfig, DetectorError, PassResult, run_pass  # noqa: E402

from .support import FaultProxy, LiveServer, Moto, client, dynamodb_error, scheduled_event  # noqa: E402

DOMAIN = "d111.cloudfront.net"
STATE = "hlspp-state"
SNAPSHOTS = "hlspp-detector"


@dataclass
class Env:
    moto: Moto
    live: LiveServer
    monkeypatch: pytest.MonkeyPatch
    queue_url: str
    topic_arn: str

    def config(self, **overrides: Any) -> DetectorConfig:
        return DetectorConfig.from_env(**overrides)

    def run(self, clock: Optional[Callable[[], float]] = None, **overrides: Any) -> PassResult:
        cfg = self.config(**overrides)
        return run_pass(cfg, Clients.create(cfg), clock=clock or time.time)

    def row(self) -> dict[str, Any]:
        ddb = client("dynamodb", self.moto.url)
        item = ddb.get_item(TableName=STATE, Key={"domain": {"S": DOMAIN}}, ConsistentRead=True)["Item"]
        return dict(item)

    def messages(self) -> list[dict[str, Any]]:
        sqs = client("sqs", self.moto.url)
        out: list[dict[str, Any]] = []
        while True:
            got = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
            batch = got.get("Messages", [])
            if not batch:
                return out
            for m in batch:
                out.append(json.loads(json.loads(m["Body"])["Message"]))
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])


@pytest.fixture
def env(aws: Moto, live: LiveServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    ddb = client("dynamodb", aws.url)
    for table, key in ((STATE, "domain"), (SNAPSHOTS, "url")):
        ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    # the row an operator (or the deploy) created: the detector must keep distro_open, name, region
    ddb.put_item(
        TableName=STATE,
        Item={
            "domain": {"S": DOMAIN},
            "distro_open": {"BOOL": True},
            "playlist_fresh": {"BOOL": False},
            "region": {"S": "us-east-1"},
            "name": {"S": "(1) Primary Region"},
        },
    )
    sns = client("sns", aws.url)
    sqs = client("sqs", aws.url)
    topic = sns.create_topic(Name="hlspp-detector")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="hlspp-detector")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    for k, v in {
        "HLSPP_ORIGIN_URL": live.origin,
        "HLSPP_CDN_URL": live.cdn,
        "HLSPP_DOMAIN": DOMAIN,
        "HLSPP_REGION": "us-east-1",
        "HLSPP_STATE_TABLE": STATE,
        "HLSPP_DETECTOR_TABLE": SNAPSHOTS,
        "HLSPP_SNS_TOPIC_ARN": topic,
        "HLSPP_FETCH_TIMEOUT": "0.5",
        "HLSPP_MAX_BYTES": str(64 * 1024),
    }.items():
        monkeypatch.setenv(k, v)
    yield Env(aws, live, monkeypatch, queue_url, topic)


def fresh(row: dict[str, Any]) -> bool:
    return bool(row["playlist_fresh"]["BOOL"])


def assert_operator_fields_kept(row: dict[str, Any]) -> None:
    assert row["distro_open"] == {"BOOL": True}
    assert row["name"] == {"S": "(1) Primary Region"}
    assert row["region"] == {"S": "us-east-1"}


def test_discovers_every_media_playlist(env: Env) -> None:
    res = env.run()
    urls = sorted(c.url for c in res.playlists)
    assert urls == sorted(env.live.media(n) for n in ("v1.m3u8", "v2.m3u8", "audio.m3u8", "iframe.m3u8"))
    assert res.healthy and all(c.status == "first" for c in res.playlists)
    assert all(c.cdn_url and "/cdn/" in c.cdn_url for c in res.playlists)


def test_frozen_origin_goes_stale_then_recovers(env: Env) -> None:
    live = env.live.stream
    first = env.run()
    assert first.healthy and first.unhealthy == 0
    row = env.row()
    assert fresh(row) and row["updated_at"]["S"].endswith("Z")
    assert_operator_fields_kept(row)
    assert env.messages() == []  # healthy at first sight: no transition

    live.advance()
    changed_at = time.time()  # the pass that sees the change takes its time here
    assert all(c.status == "advanced" for c in env.run(clock=lambda: changed_at).playlists)

    # frozen: poll every 0.25 s; the first pass that starts more than 1.5 x TD (1 s)
    # after the last change says stale, so within 1.5 x TD + one poll
    poll = 0.25
    starts: list[float] = []
    res = None
    while time.time() - changed_at < 6:
        starts.append(time.time())
        res = env.run(clock=lambda: starts[-1])
        if not res.healthy:
            break
        assert starts[-1] - changed_at <= 1.5 + 0.01, "still healthy after 1.5 x TD"
        time.sleep(poll)
    assert res is not None and not res.healthy
    assert len(starts) >= 2
    assert 1.5 < starts[-1] - changed_at <= 1.5 + (starts[-1] - starts[-2]), starts
    assert {c.status for c in res.playlists} == {"stale"}
    assert "no new segment for" in res.playlists[0].reason
    row = env.row()
    assert not fresh(row) and "4 of 4 playlists unhealthy" in row["detail"]["S"]
    assert_operator_fields_kept(row)
    msgs = env.messages()
    assert (
        sorted((m["scope"], m["from"], m["to"]) for m in msgs)
        == [("distribution", "healthy", "unhealthy")] + [("playlist", "healthy", "unhealthy")] * 4
    )
    dist = next(m for m in msgs if m["scope"] == "distribution")
    assert dist["version"] == 1 and dist["region"] == "us-east-1" and dist["domain"] == DOMAIN
    assert dist["url"] == env.live.origin and dist["unhealthy_playlists"] == 4 and dist["at"].endswith("Z")

    # still stale: no new message (transitions only); 3.5 x TD later it is stuck
    res = env.run(clock=lambda: time.time() + 3)
    assert {c.status for c in res.playlists} == {"stuck"}
    assert env.messages() == []

    live.advance()
    res = env.run()
    assert res.healthy and {c.status for c in res.playlists} == {"advanced"}
    assert fresh(env.row())
    msgs = env.messages()
    assert (
        sorted((m["scope"], m["from"], m["to"]) for m in msgs)
        == [("distribution", "unhealthy", "healthy")] + [("playlist", "unhealthy", "healthy")] * 4
    )


def test_404_playlist_is_unhealthy_at_once(env: Env) -> None:
    env.live.stream.faults["/origin/v2.m3u8"] = "404"
    res = env.run()
    assert not res.healthy and res.unhealthy == 1
    bad = [c for c in res.playlists if not c.healthy]
    assert bad[0].url == env.live.media("v2.m3u8") and "HTTP 404" in bad[0].reason
    assert not fresh(env.row())
    msgs = env.messages()
    assert sorted((m["scope"], m["from"], m["to"]) for m in msgs) == [
        ("distribution", None, "unhealthy"),
        ("playlist", None, "unhealthy"),
    ]
    # recovery
    del env.live.stream.faults["/origin/v2.m3u8"]
    env.live.stream.advance()  # (the others must not go stale, whatever the test's pace)
    res = env.run()
    assert res.healthy and fresh(env.row())
    assert sorted((m["scope"], m["from"], m["to"]) for m in env.messages()) == [
        ("distribution", "unhealthy", "healthy"),
        ("playlist", "unhealthy", "healthy"),
    ]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("404", "HTTP 404"),
        ("500", "HTTP 500"),
        ("slow", "timed out"),
        ("garbage", "not an HLS playlist"),
        ("redirect", "HTTP 302"),
        ("oversized", "larger than max_bytes"),
        ("binary", "binary content"),
        ("empty", "empty body"),
    ],
)
def test_broken_playlist_after_healthy_is_unhealthy(env: Env, fault: str, reason: str) -> None:
    env.live.stream.slow_seconds = 1.5  # > HLSPP_FETCH_TIMEOUT (0.5 s)
    assert env.run().healthy
    env.messages()
    env.live.stream.faults["/origin/audio.m3u8"] = fault
    env.live.stream.advance()
    res = env.run()
    assert not res.healthy
    (bad,) = [c for c in res.playlists if not c.healthy]
    assert bad.url == env.live.media("audio.m3u8") and bad.status == "error"
    assert reason in bad.reason and "\n" not in bad.reason
    assert not fresh(env.row())
    assert {(m["url"], m["to"]) for m in env.messages() if m["scope"] == "playlist"} == {(bad.url, "unhealthy")}


def test_broken_master_is_unhealthy(env: Env) -> None:
    env.live.stream.faults["/origin/master.m3u8"] = "500"
    res = env.run()
    assert not res.healthy and res.playlists[0].url == env.live.origin
    assert "HTTP 500" in res.reason
    assert not fresh(env.row())


def test_cdn_lag_metrics_and_stall(env: Env) -> None:
    env.live.stream.cdn_lag = 1
    res = env.run()
    assert res.healthy and res.worst_lag_seconds == pytest.approx(1.0)
    env.live.stream.cdn_lag = 4  # 4 s behind with 1 s segments: players stall
    env.live.stream.advance()
    res = env.run()
    assert not res.healthy and {c.status for c in res.playlists} == {"lagging"}
    assert res.worst_lag_seconds == pytest.approx(4.0)
    assert "behind the origin" in res.playlists[0].reason

    cw = client("cloudwatch", env.moto.url)
    names = {m["MetricName"] for m in cw.list_metrics(Namespace="hlspp")["Metrics"]}
    assert {"UnhealthyPlaylists", "WorstLagSeconds"} <= names
    for m in cw.list_metrics(Namespace="hlspp")["Metrics"]:
        assert m["Dimensions"] == [{"Name": "Region", "Value": "us-east-1"}]
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    data = cw.get_metric_data(
        MetricDataQueries=[
            {
                "Id": q.lower(),
                "MetricStat": {
                    "Metric": {
                        "Namespace": "hlspp",
                        "MetricName": q,
                        "Dimensions": [{"Name": "Region", "Value": "us-east-1"}],
                    },
                    "Period": 60,
                    "Stat": "Maximum",
                },
            }
            for q in ("UnhealthyPlaylists", "WorstLagSeconds")
        ],
        StartTime=now - timedelta(minutes=5),
        EndTime=now + timedelta(minutes=5),
    )
    values = {r["Id"]: r["Values"] for r in data["MetricDataResults"]}
    assert max(values["unhealthyplaylists"]) == 4.0
    assert max(values["worstlagseconds"]) == 4.0


def cold_start() -> Any:
    """A second, independent copy of hlspp.aws.detector (sys.modules untouched)."""
    spec = importlib.util.spec_from_file_location("hlspp.aws._detector_cold", detector_module.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_state_survives_a_restart(env: Env) -> None:
    """Lambda cold start: a new module, nothing in memory; the snapshots in
    DynamoDB still say when the playlists last changed."""
    out = detector_module.handler(scheduled_event(), None)
    assert out["healthy"] and out["passes"] == 1
    time.sleep(1.7)  # frozen for more than 1.5 x TD
    fresh_module = cold_start()
    assert fresh_module is not detector_module
    out = fresh_module.handler(scheduled_event(), None)
    assert not out["healthy"]
    assert {p["status"] for p in out["playlists"]} == {"stale"}
    assert not fresh(env.row())


def test_dynamodb_unreachable_fails_clearly_and_claims_nothing(env: Env, closed_port: int) -> None:
    env.monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{closed_port}")
    t0 = time.monotonic()
    with pytest.raises(DetectorError) as exc:
        detector_module.handler(scheduled_event(), None)
    assert time.monotonic() - t0 < 10
    msg = str(exc.value)
    assert (
        "\n" not in msg and DOMAIN in msg and "failed after 3 attempts" in msg and "playlist_fresh not written" in msg
    )
    env.monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB")
    row = env.row()
    assert not fresh(row) and "updated_at" not in row
    assert env.messages() == []


def test_dynamodb_throttling_is_retried_then_reported(env: Env, fault_proxy: FaultProxy) -> None:
    env.monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", fault_proxy.url)
    throttled = {"left": 2}

    def throttle_update(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        if headers.get("X-Amz-Target", "").endswith(".UpdateItem") and throttled["left"] > 0:
            throttled["left"] -= 1
            return dynamodb_error(
                "ProvisionedThroughputExceededException", "Rate of requests exceeds the allowed throughput"
            )
        return None

    fault_proxy.rules.append(throttle_update)
    res = env.run()
    assert res.healthy and fresh(env.row())
    assert fault_proxy.count("POST", target=".UpdateItem") == 3  # two throttled, then through

    # throttled for good: bounded retries, a clear failure, playlist_fresh not claimed;
    # the transition still goes out and the snapshots are saved
    env.live.stream.faults["/origin/v1.m3u8"] = "404"
    throttled["left"] = 10**6
    before = fault_proxy.count("POST", target=".UpdateItem")
    env.live.stream.advance()  # the other playlists stay healthy whatever the test's pace
    with pytest.raises(DetectorError) as exc:
        env.run()
    assert fault_proxy.count("POST", target=".UpdateItem") - before == 3
    msg = str(exc.value)
    assert msg.startswith(f"detector {DOMAIN}: DynamoDB UpdateItem {STATE}[{DOMAIN}]: failed after 3 attempts: ")
    assert "ProvisionedThroughputExceededException" in msg and msg.endswith("(playlist_fresh not written)")
    assert exc.value.result is not None and not exc.value.result.healthy
    assert fresh(env.row())  # the last value written stays; nothing new was claimed
    assert any(m["scope"] == "distribution" and m["to"] == "unhealthy" for m in env.messages())
    # throttling over: the next pass writes playlist_fresh, without sending the transition twice
    throttled["left"] = 0
    env.live.stream.advance()
    res = env.run()
    assert not res.healthy and not fresh(env.row())
    assert env.messages() == []


def test_failed_sns_publish_is_retried_by_the_next_pass(env: Env, fault_proxy: FaultProxy) -> None:
    assert env.run().healthy
    env.monkeypatch.setenv("AWS_ENDPOINT_URL_SNS", fault_proxy.url)
    down = {"on": True}

    def sns_down(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        if down["on"] and b"Action=Publish" in body:
            return (
                503,
                {"Content-Type": "text/xml"},
                b"<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>injected</Message></Error></ErrorResponse>",
            )
        return None

    fault_proxy.rules.append(sns_down)
    env.live.stream.faults["*"] = "404"
    with pytest.raises(DetectorError, match=r"SNS Publish .* \(transitions will be sent again\)"):
        env.run()
    assert not fresh(env.row())  # the state table was still updated
    down["on"] = False
    res = env.run()
    assert not res.healthy
    msgs = env.messages()
    assert any(m["scope"] == "distribution" and m["from"] == "healthy" and m["to"] == "unhealthy" for m in msgs)


def test_watch_detector_cli(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    env.monkeypatch.setenv("HLSPP_STALE_FACTOR", "100")  # the origin does not advance here
    env.monkeypatch.setenv("HLSPP_STUCK_FACTOR", "200")
    assert cli.main(["watch", "--detector", "--count", "2", "--interval", "0.2"]) == cli.EXIT_OK
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2 and all(f"{DOMAIN}: healthy" in line for line in out)
    env.live.stream.faults["*"] = "404"
    assert cli.main(["watch", "--detector", "--count", "1", "--json"]) == cli.EXIT_DATA
    report = json.loads(capsys.readouterr().out)
    assert report["healthy"] is False and report["transitions"]
    env.monkeypatch.delenv("HLSPP_DETECTOR_TABLE")
    assert cli.main(["watch", "--detector", "--count", "1"]) == cli.EXIT_USAGE
    assert "HLSPP_DETECTOR_TABLE" in capsys.readouterr().err


def test_reset_and_invalid_update_are_unhealthy(env: Env) -> None:
    assert env.run().healthy
    env.live.stream.seq -= 50  # the media sequence went back: a reset (players reload from scratch)
    res = env.run()
    assert not res.healthy and {c.status for c in res.playlists} == {"reset"}
    env.live.stream.advance()
    assert env.run().healthy


class _Context:
    """The part of a Lambda context the handler uses."""

    def __init__(self, millis: int) -> None:
        self.deadline = time.monotonic() + millis / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)


def test_handler_polls_for_run_seconds(env: Env) -> None:
    env.monkeypatch.setenv("HLSPP_RUN_SECONDS", "1.2")
    env.monkeypatch.setenv("HLSPP_POLL_SECONDS", "0.3")
    t0 = time.monotonic()
    out = detector_module.handler(scheduled_event(), _Context(60_000))
    assert 3 <= out["passes"] <= 6 and time.monotonic() - t0 < 5
    # the Lambda's own deadline wins over HLSPP_RUN_SECONDS
    out = detector_module.handler(scheduled_event(), _Context(6_000))
    assert out["passes"] == 1


def test_watch_detector_keeps_going_after_a_failed_pass(
    env: Env, closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    env.monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{closed_port}")
    env.monkeypatch.setenv("HLSPP_DDB_ATTEMPTS", "1")
    assert cli.main(["watch", "--detector", "--count", "3", "--interval", "0.1"]) == cli.EXIT_IO
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 4, err  # one line per failed pass, then the exit reason
    assert all(f"{DOMAIN}: error: detector {DOMAIN}: DynamoDB GetItem" in line for line in err[:3])
    assert err[3].startswith("hlspp watch --detector: the last pass failed: ")


def test_watch_detector_recovers_after_a_failed_pass(
    env: Env, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    env.monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", fault_proxy.url)
    env.monkeypatch.setenv("HLSPP_DDB_ATTEMPTS", "1")
    env.monkeypatch.setenv("HLSPP_STALE_FACTOR", "100")  # the origin does not advance here
    failing = {"left": 1}

    def fail_first_read(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        if headers.get("X-Amz-Target", "").endswith(".GetItem") and failing["left"] > 0:
            failing["left"] -= 1
            return dynamodb_error("InternalServerError", "injected", 500)
        return None

    fault_proxy.rules.append(fail_first_read)
    assert cli.main(["watch", "--detector", "--count", "2", "--interval", "0.1"]) == cli.EXIT_OK
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and "InternalServerError" in captured.err
    assert captured.out.count(f"{DOMAIN}: healthy") == 1
    assert fresh(env.row())
