# SPDX-License-Identifier: MIT
"""The seams between the deploy templates and the handlers, and between the two
state-table readers: every environment variable a template gives a handler is
one the handler reads (and the required ones are given), the resolved values
parse, IAM covers what the handlers call, and a row the detector wrote is read
sensibly by copilot and steering."""

from __future__ import annotations

import ast
import inspect
import re
import time
from types import ModuleType
from typing import Any, Optional

import pytest

pytest.importorskip("cfnlint.decode")

from hlspp.aws import _edgestate, copilot, detector, publish, regenerate, state, steering  # noqa: E402
from hlspp.aws.publish import Bucket  # noqa: E402

from .cfn_support import HANDLER_FUNCTIONS, Resolver, environment, load, resources  # noqa: E402
from .support import Moto, client  # noqa: E402

MODULES: dict[str, ModuleType] = {
    "hlspp.aws.detector.handler": detector,
    "hlspp.aws.regenerate.handler": regenerate,
    "hlspp.aws.steering.handler": steering,
}


def env_reads(module: ModuleType) -> set[str]:
    """HLSPP_* names passed to a call in the module's source (env.get, _env_float, ...)."""
    tree = ast.parse(inspect.getsource(module))
    return {
        a.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for a in node.args
        if isinstance(a, ast.Constant) and isinstance(a.value, str) and re.fullmatch(r"HLSPP_[A-Z0-9_]+", a.value)
    }


def test_env_var_constants_are_what_the_handlers_read() -> None:
    assert set(detector.ENV_VARS) == env_reads(detector) | set(state.RETRY_ENV)
    assert set(state.RETRY_ENV) == env_reads(state)
    assert set(regenerate.ENV_VARS) == env_reads(regenerate)
    assert env_reads(publish) == set()
    assert set(steering.ENV_VARS) == env_reads(steering)
    for m in MODULES.values():
        assert set(m.REQUIRED_ENV) <= set(m.ENV_VARS)
        assert len(set(m.ENV_VARS)) == len(m.ENV_VARS)


def packaged_functions() -> list[tuple[str, str, str]]:
    """(template, resource, handler) of every Lambda built from a zip."""
    out = []
    for name in ("stale-playlist-detector", "copilot", "clustered-video-stream-instance", "clustered-video-stream"):
        for rname, fn in resources(load(name), "AWS::Lambda::Function").items():
            if "S3Key" in fn["Properties"]["Code"]:
                out.append((name, rname, fn["Properties"]["Handler"]))
    return out


def test_every_packaged_handler_is_covered() -> None:
    handlers = {h for _, _, h in packaged_functions()}
    assert handlers == set(MODULES) | {"hlspp.aws.copilot.handler"}
    assert {(t, r) for t, r, h in packaged_functions() if h in MODULES} == set(HANDLER_FUNCTIONS.values())


@pytest.mark.parametrize("handler", sorted(MODULES))
def test_template_env_names_match_the_handler(handler: str) -> None:
    template, function = HANDLER_FUNCTIONS[handler]
    names = set(environment(load(template), function))
    module = MODULES[handler]
    assert names - set(module.ENV_VARS) == set(), f"{template}/{function}: variables {handler} does not read"
    assert set(module.REQUIRED_ENV) - names == set(), f"{template}/{function}: required variables not set"
    if module is detector:
        assert {"HLSPP_DOMAIN", "HLSPP_CDN_URL", "HLSPP_STATE_TABLE", "HLSPP_SNS_TOPIC_ARN"} <= names


ORIGIN = "https://abc.mediapackage.eu-west-1.amazonaws.com/out/v1/x/index.m3u8"
CDN = "https://d111.cloudfront.net/out/v1/x/index.m3u8"


def detector_resolver() -> Resolver:
    return Resolver(
        load("stale-playlist-detector"),
        {"OriginPlaylistUrl": ORIGIN, "DistributionPlaylistUrl": CDN},
        {"Topic": "arn:aws:sns:eu-west-1:123456789012:t", "DetectorTable": "cvs-stream-DetectorTable-1"},
    )


def test_detector_template_env_parses() -> None:
    cfg = detector.DetectorConfig.from_env(detector_resolver().environment("DetectorFunction"))
    assert (cfg.origin_url, cfg.cdn_url, cfg.domain, cfg.region) == (ORIGIN, CDN, "d111.cloudfront.net", "eu-west-1")
    assert (cfg.state_table, cfg.detector_table) == ("cvs", "cvs-stream-DetectorTable-1")
    assert cfg.topic_arn == "arn:aws:sns:eu-west-1:123456789012:t" and cfg.namespace == "hlspp"
    assert (cfg.stale_factor, cfg.stuck_factor, cfg.run_seconds) == (1.5, 3.5, 45.0)


def main_resolver(three: bool) -> Resolver:
    params = {
        "RegionOneCloudfrontDistributionId": "E1",
        "RegionOneOriginAccessIdentity": "O1",
        "RegionOneMasterPlaylistBucket": "cvs-master-one",
        "RegionOneDistributionPlaylistUrl": "https://d1.cloudfront.net/live/index.m3u8",
        "RegionTwoCloudfrontDistributionId": "E2",
        "RegionTwoOriginAccessIdentity": "O2",
        "RegionTwoMasterPlaylistBucket": "cvs-master-two",
        "RegionTwoDistributionPlaylistUrl": "https://d2.cloudfront.net/live/index.m3u8",
    }
    if three:
        params.update(
            RegionThree="us-east-1",
            RegionThreeCloudfrontDistributionId="E3",
            RegionThreeDistributionPlaylistUrl="https://d3.cloudfront.net/live/index.m3u8",
        )
    return Resolver(
        load("clustered-video-stream"),
        params,
        {
            "StateTable": "cvs",
            "MasterPlaylistDistribution": "EMASTER",
            "SteeringUrl.FunctionUrl": "https://abc.lambda-url.eu-west-1.on.aws/",
            "InitState.Pathways": '[{"id":"eu-west-1","domain":"d1.cloudfront.net"},'
            '{"id":"eu-west-2","domain":"d2.cloudfront.net"}]',
        },
    )


@pytest.mark.parametrize("three", [False, True])
def test_regenerate_template_env_parses(three: bool) -> None:
    r = main_resolver(three)
    assert r.condition("Regenerate")
    cfg = regenerate.RegenerateConfig.from_env(r.environment("RegenerateFunction"))
    regions = ["eu-west-1", "eu-west-2"] + (["us-east-1"] if three else [])
    assert list(cfg.ids or []) == regions
    assert list(cfg.urls) == [f"https://d{i + 1}.cloudfront.net/live/index.m3u8" for i in range(len(regions))]
    assert [Bucket.parse(b) for b in cfg.buckets] == [
        Bucket("cvs-master-one", "eu-west-1"),
        Bucket("cvs-master-two", "eu-west-2"),
    ]
    assert (cfg.key, cfg.mode, cfg.default_pathway) == ("master.m3u8", "steering", "eu-west-1")
    assert cfg.steering_uri == "https://abc.lambda-url.eu-west-1.on.aws/"
    assert list(cfg.distribution_ids) == ["EMASTER"]
    # the steering pathways (init custom resource: one per region, in this order) are these ids
    init = r.resolve(load("clustered-video-stream")["Resources"]["InitState"]["Properties"]["Regions"])
    assert [x["Region"] for x in init] == regions


def test_steering_template_env_parses() -> None:
    cfg = steering.SteeringConfig.from_env(main_resolver(False).environment("SteeringFunction"))
    assert cfg.table == "cvs" and cfg.region == "eu-west-1" and cfg.ttl == 10
    assert [(p.id, p.domain) for p in cfg.pathways] == [
        ("eu-west-1", "d1.cloudfront.net"),
        ("eu-west-2", "d2.cloudfront.net"),
    ]


def state_table(aws: Moto) -> Any:
    """A DynamoDB client and, in it, the state table "cvs" as the template defines its key."""
    ddb = client("dynamodb", aws.url)
    ddb.create_table(
        TableName="cvs",
        KeySchema=[{"AttributeName": state.STATE_KEY, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": state.STATE_KEY, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return ddb


def statements(template: dict[str, Any], role: str) -> list[dict[str, Any]]:
    props = template["Resources"][role]["Properties"]
    return [st for p in props["Policies"] for st in p["PolicyDocument"]["Statement"] if st["Effect"] == "Allow"]


def actions(st: dict[str, Any]) -> set[str]:
    a = st["Action"]
    return set(a if isinstance(a, list) else [a])


def test_detector_iam_and_tables(aws: Moto) -> None:
    t = load("stale-playlist-detector")
    r = detector_resolver()
    table = t["Resources"]["DetectorTable"]["Properties"]
    assert table["KeySchema"] == [{"AttributeName": state.DETECTOR_KEY, "KeyType": "HASH"}]
    sts = statements(t, "DetectorRole")
    snap = [st for st in sts if st["Resource"] == {"Fn::GetAtt": ["DetectorTable", "Arn"]}]
    assert len(snap) == 1 and actions(snap[0]) == {"dynamodb:GetItem", "dynamodb:PutItem"}
    (upd,) = [st for st in sts if "dynamodb:UpdateItem" in actions(st)]
    assert actions(upd) == {"dynamodb:UpdateItem"}
    assert r.resolve(upd["Resource"]).endswith(":table/cvs")
    cond = r.resolve(upd["Condition"]["ForAllValues:StringEquals"])
    domain = r.environment("DetectorFunction")["HLSPP_DOMAIN"]
    assert cond["dynamodb:LeadingKeys"] == [domain] == ["d111.cloudfront.net"]
    assert upd["Condition"]["StringEqualsIfExists"] == {"dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"]}
    # the attributes the detector's UpdateItem really writes (on a row it creates)
    ddb = state_table(aws)
    state.set_playlist_fresh(ddb, "cvs", "d111.cloudfront.net", False, "stale")
    item = ddb.get_item(TableName="cvs", Key={state.STATE_KEY: {"S": "d111.cloudfront.net"}})["Item"]
    assert set(cond["dynamodb:Attributes"]) == set(item)
    (sns,) = [st for st in sts if "sns:Publish" in actions(st)]
    assert sns["Resource"] == {"Ref": "Topic"}
    (cw,) = [st for st in sts if "cloudwatch:PutMetricData" in actions(st)]
    namespace = r.environment("DetectorFunction")["HLSPP_METRIC_NAMESPACE"]
    assert cw["Condition"] == {"StringEquals": {"cloudwatch:namespace": namespace}}


def test_regenerate_iam() -> None:
    t = load("clustered-video-stream")
    r = main_resolver(False)
    sts = [{**st, "Resource": r.resolve(st["Resource"])} for st in statements(t, "RegenerateRole")[1:]]
    assert statements(t, "RegenerateRole")[0]["Resource"] == {"Fn::GetAtt": ["RegenerateLogGroup", "Arn"]}
    keys = ["arn:aws:s3:::cvs-master-one/master.m3u8", "arn:aws:s3:::cvs-master-two/master.m3u8"]
    (objects,) = [st for st in sts if "s3:PutObject" in actions(st)]
    assert actions(objects) == {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"} and objects["Resource"] == keys
    (listing,) = [st for st in sts if "s3:ListBucket" in actions(st)]
    assert listing["Resource"] == [k.split("/")[0] for k in keys]
    assert r.resolve(listing["Condition"]) == {"StringEquals": {"s3:prefix": "master.m3u8"}}
    (inv,) = [st for st in sts if "cloudfront:CreateInvalidation" in actions(st)]
    assert inv["Resource"] == "arn:aws:cloudfront::123456789012:distribution/EMASTER"


def test_state_schema_is_shared() -> None:
    # the edge reader uses the core module's names
    assert (_edgestate.STATE_KEY, _edgestate.ATTR_DISTRO_OPEN, _edgestate.ATTR_PLAYLIST_FRESH) == (
        "domain",
        "distro_open",
        "playlist_fresh",
    )
    assert (state.ATTR_REGION, state.ATTR_NAME) == ("region", "name")
    (table,) = resources(load("clustered-video-stream"), "AWS::DynamoDB::GlobalTable").values()
    assert table["Properties"]["KeySchema"] == [{"AttributeName": state.STATE_KEY, "KeyType": "HASH"}]
    assert table["Properties"]["AttributeDefinitions"] == [{"AttributeName": state.STATE_KEY, "AttributeType": "S"}]
    item = {
        "domain": {"S": "d1"},
        "distro_open": {"BOOL": True},
        "playlist_fresh": {"BOOL": False},
        "region": {"S": "eu-west-1"},
        "name": {"S": "(1) eu-west-1"},
    }
    core = state.StateRow.from_item(item)
    edge = _edgestate.parse_item("d1", item)
    assert (core.distro_open, core.playlist_fresh) == (edge.distro_open, edge.playlist_fresh) == (True, False)


@pytest.mark.parametrize("existing", [False, True])
def test_detector_row_read_by_copilot_and_steering(aws: Moto, existing: bool) -> None:
    """The detector's UpdateItem on a row without distro_open (none seeded yet) or with
    the operator's distro_open: copilot and steering read the same table."""
    ddb = state_table(aws)
    a, b = "da.cloudfront.net", "db.cloudfront.net"
    if existing:
        for d in (a, b):
            ddb.put_item(TableName="cvs", Item={"domain": {"S": d}, "distro_open": {"BOOL": True}})
    state.set_playlist_fresh(ddb, "cvs", a, True, "ok")
    state.set_playlist_fresh(ddb, "cvs", b, False, "4 of 4 playlists unhealthy")

    def decide(domain: str, auto: bool) -> tuple[bool, str]:
        cfg = copilot.CopilotConfig(table="cvs", table_region="us-east-1", auto=auto, fail_mode="closed")
        d = copilot.decide(domain, cfg)
        return d.open, d.reason

    assert decide(a, auto=False) == (True, "open") and decide(a, auto=True) == (True, "open")
    assert decide(b, auto=False) == (True, "open")
    assert decide(b, auto=True) == (False, "stale")

    pathways = [steering.Pathway("B", b), steering.Pathway("A", a)]
    states = _edgestate.get_states(client("dynamodb", aws.url), "cvs", [b, a])
    assert steering.order_pathways(pathways, states) == ["A", "B"]
    # the core reader agrees, and the detector did not invent distro_open
    row = state.get_state(ddb, "cvs", b)
    assert row is not None and row.playlist_fresh is False and row.distro_open is (True if existing else None)


def test_verdict_the_detector_stopped_renewing(aws: Moto) -> None:
    """The detector's own write (set_playlist_fresh) dates the verdict: written 20
    minutes ago and not since, copilot (auto) and steering no longer act on it; the
    next pass's write makes it count again."""
    ddb = state_table(aws)
    a, b = "da.cloudfront.net", "db.cloudfront.net"
    state.set_playlist_fresh(ddb, "cvs", a, True, "ok")
    state.set_playlist_fresh(ddb, "cvs", b, False, "stuck", now=time.time() - 1200)
    cfg = copilot.CopilotConfig(table="cvs", table_region="us-east-1", auto=True, fail_mode="closed")
    assert copilot.decide(b, cfg).reason == "verdict-expired"
    pathways = [steering.Pathway("B", b), steering.Pathway("A", a)]
    rows = _edgestate.get_states(client("dynamodb", aws.url), "cvs", [b, a])
    written = rows[b].updated_at
    assert written is not None and 1190 < time.time() - written < 1300
    assert steering.order_pathways(pathways, rows, verdict_max_age=300) == ["B", "A"]

    state.set_playlist_fresh(ddb, "cvs", b, False, "stuck")  # the detector is back
    assert copilot.decide(b, cfg).reason == "stale"
    rows = _edgestate.get_states(client("dynamodb", aws.url), "cvs", [b, a])
    assert steering.order_pathways(pathways, rows, verdict_max_age=300) == ["A", "B"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03T17:01:35.123Z", 1796317295.123),
        ("2026-12-03T17:01:35Z", 1796317295.0),
        ("2026-12-03T18:01:35+01:00", 1796317295.0),
        ("2026-12-03T17:01:35.123", 1796317295.123),  # no zone: UTC
        ("yesterday", None),
        ("", None),
        (5, None),
    ],
)
def test_edge_reader_dates_the_verdict(text: object, expected: Optional[float]) -> None:
    """updated_at as state.iso_now writes it (and other ISO-8601 forms) to epoch seconds."""
    got = _edgestate.parse_time(text)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)
    assert _edgestate.parse_time(state.iso_now(1796317295.123)) == pytest.approx(1796317295.123)
