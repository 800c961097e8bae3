# SPDX-License-Identifier: MIT
"""End to end on one moto server: two regions' detectors (configured from the
detector template's environment) write the state table that copilot and the
steering server (configured from the main template's environment) read."""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto.server")
pytest.importorskip("cfnlint.decode")

from hlspp.aws import copilot, detector, steering  # noqa: E402

from .cfn_support import Resolver, load  # noqa: E402
from .edge_support import function_url_event  # noqa: E402
from .support import LiveServer, Moto, client  # noqa: E402

TABLE = "cvs"  # ClusteredVideoStreamName's default: the state table


def create_table(ddb: Any, name: str, key: str) -> None:
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_frozen_region_is_steered_away_closed_in_auto_mode_and_reopened(
    aws: Moto, live: LiveServer, live2: LiveServer
) -> None:
    ddb = client("dynamodb", aws.url)
    topic = client("sns", aws.url).create_topic(Name="hlspp-detector")["TopicArn"]
    create_table(ddb, TABLE, "domain")
    regions = {"A": ("eu-west-1", live), "B": ("eu-west-2", live2)}
    detectors: dict[str, detector.DetectorConfig] = {}
    for name, (region, server) in regions.items():
        create_table(ddb, f"snapshots-{name}", "url")
        env = Resolver(
            load("stale-playlist-detector"),
            {"OriginPlaylistUrl": server.origin, "DistributionPlaylistUrl": server.cdn, "AWS::Region": region},
            {"Topic": topic, "DetectorTable": f"snapshots-{name}"},
        ).environment("DetectorFunction")
        env["HLSPP_FETCH_TIMEOUT"] = "2"
        detectors[name] = detector.DetectorConfig.from_env(env)
    dom = {name: cfg.domain for name, cfg in detectors.items()}
    assert dom["A"] != dom["B"] and all(d.startswith("127.0.0.1:") for d in dom.values())
    # the rows the main stack's init-state custom resource seeds
    for name, (region, _) in regions.items():
        ddb.put_item(
            TableName=TABLE,
            Item={
                "domain": {"S": dom[name]},
                "distro_open": {"BOOL": True},
                "region": {"S": region},
                "name": {"S": f"({name}) {region}"},
            },
        )

    main = Resolver(
        load("clustered-video-stream"),
        {"AWS::Region": "us-east-1", "RegionOne": "eu-west-2", "RegionTwo": "eu-west-1"},
        {
            "StateTable": TABLE,
            # RegionOne (B) first: the configured order steering starts from
            "InitState.Pathways": json.dumps(
                [{"id": "eu-west-2", "domain": dom["B"]}, {"id": "eu-west-1", "domain": dom["A"]}]
            ),
        },
    )
    steer_cfg = steering.SteeringConfig.from_env(main.environment("SteeringFunction"))
    assert (steer_cfg.table, steer_cfg.region) == (TABLE, "us-east-1")
    steering.reset(dataclasses.replace(steer_cfg, cache_seconds=0))

    def priority() -> list[str]:
        out = steering.handler(function_url_event(), None)
        assert out["statusCode"] == 200 and out["headers"]["x-hlspp-steering-state"] == "ok"
        return list(json.loads(out["body"])["PATHWAY-PRIORITY"])

    def gate(name: str, auto: bool) -> bool:
        cfg = copilot.CopilotConfig(table=TABLE, table_region="us-east-1", auto=auto)
        return copilot.decide(dom[name], cfg).open

    def passes(clock: float) -> dict[str, bool]:
        out = {}
        for name, cfg in detectors.items():
            out[name] = detector.run_pass(cfg, detector.Clients.create(cfg), clock=lambda: clock).healthy
        return out

    def row(name: str) -> dict[str, Any]:
        return dict(ddb.get_item(TableName=TABLE, Key={"domain": {"S": dom[name]}})["Item"])

    try:
        t0 = time.time()
        assert passes(t0) == {"A": True, "B": True}  # first sight
        live.stream.advance()
        live2.stream.advance()
        assert passes(t0 + 0.5) == {"A": True, "B": True}  # advancing
        assert priority() == ["eu-west-2", "eu-west-1"]

        # B's origin freezes: 2 s later (> 1.5 x 1 s target duration) it is stale
        live.stream.advance()
        assert passes(t0 + 2.5) == {"A": True, "B": False}
        assert row("B")["playlist_fresh"] == {"BOOL": False} and row("A")["playlist_fresh"] == {"BOOL": True}
        assert row("B")["distro_open"] == {"BOOL": True} and row("B")["name"] == {"S": "(B) eu-west-2"}
        assert priority() == ["eu-west-1", "eu-west-2"]  # B last, still listed
        assert gate("B", auto=True) is False and gate("A", auto=True) is True
        assert gate("B", auto=False) is True  # normal mode: only the operator closes

        # B recovers
        live.stream.advance()
        live2.stream.advance()
        assert passes(t0 + 3) == {"A": True, "B": True}
        assert row("B")["playlist_fresh"] == {"BOOL": True} and row("B")["distro_open"] == {"BOOL": True}
        assert priority() == ["eu-west-2", "eu-west-1"]
        assert all(gate(n, auto) for n in ("A", "B") for auto in (False, True))
    finally:
        steering.reset()
