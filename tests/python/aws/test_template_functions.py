# SPDX-License-Identifier: MIT
"""The inline custom-resource functions of the templates, run against moto (CloudFront, DynamoDB).

Only ``cfnresponse`` (the module CloudFormation provides to inline functions)
is replaced, by a recorder of what would be sent back to CloudFormation.
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto.server")
cfnlint_decode = pytest.importorskip("cfnlint.decode")

import boto3  # noqa: E402

from hlspp.aws.state import get_state, set_playlist_fresh  # noqa: E402

from .edge_support import (  # noqa: E402
    REGION,
    create_state_table,
    ddb,
    moto_server,
    unique_table,
    use_endpoint,
)

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
TABLE = unique_table("init")
COPILOT = "arn:aws:lambda:us-east-1:123456789012:function:cvs-copilot"


class Recorder:
    """Stands in for cfnresponse: keeps every send()."""

    SUCCESS = "SUCCESS"
    FAILED = "FAILED"

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any], str]] = []

    def send(self, event: Any, context: Any, status: str, data: dict[str, Any], physical_id: str) -> None:
        self.sent.append((status, data, physical_id))


def inline_function(template: str, resource: str, recorder: Recorder) -> Any:
    """The ZipFile code of ``resource``, loaded as a module with cfnresponse = recorder."""
    text = (DEPLOY / f"{template}.yaml").read_text(encoding="utf-8")
    decoded, errors = cfnlint_decode.decode_str(text)
    assert not errors
    code = decoded["Resources"][resource]["Properties"]["Code"]["ZipFile"]
    module = types.ModuleType("index")
    saved = sys.modules.get("cfnresponse")
    sys.modules["cfnresponse"] = recorder  # type: ignore[assignment]
    try:
        exec(compile(code, f"{template}:{resource}", "exec"), module.__dict__)
    finally:
        if saved is None:
            sys.modules.pop("cfnresponse", None)
        else:
            sys.modules["cfnresponse"] = saved
    return module


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        create_state_table(ddb(url), TABLE)
        yield url


def cloudfront(endpoint: str) -> CloudFrontClient:
    return boto3.client(
        "cloudfront", region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )


def make_distribution(endpoint: str, ref: str) -> tuple[str, str]:
    d = cloudfront(endpoint).create_distribution(
        DistributionConfig={
            "CallerReference": ref,
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "o",
                        "DomainName": "origin.example",
                        "CustomOriginConfig": {
                            "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only",
                        },
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "o",
                "ViewerProtocolPolicy": "allow-all",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
        }
    )["Distribution"]
    return d["Id"], d["DomainName"]


def test_init_state_seeds_rows_and_keeps_operator_choice(
    monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    use_endpoint(monkeypatch, endpoint)
    (id1, dom1), (id2, dom2) = make_distribution(endpoint, "a"), make_distribution(endpoint, "b")
    rec = Recorder()
    fn = inline_function("clustered-video-stream", "InitStateFunction", rec)
    event: dict[str, Any] = {
        "RequestType": "Create",
        "ResourceProperties": {
            "Table": TABLE,
            "Regions": [
                {"Region": "eu-west-1", "DistributionId": id1},
                {"Region": "eu-west-2", "DistributionId": id2},
            ],
        },
    }
    fn.handler(event, None)
    status, data, _ = rec.sent[-1]
    assert status == "SUCCESS"
    assert json.loads(data["Pathways"]) == [{"id": "eu-west-1", "domain": dom1}, {"id": "eu-west-2", "domain": dom2}]
    client = ddb(endpoint)
    item = client.get_item(TableName=TABLE, Key={"domain": {"S": dom1}})["Item"]
    assert item["distro_open"] == {"BOOL": True}
    assert item["region"] == {"S": "eu-west-1"} and item["name"]["S"].startswith("(1)")

    # what the detector and the edge handlers read (hlspp.aws.state's schema)
    row = get_state(client, TABLE, dom1)
    assert row is not None and (row.distro_open, row.region, row.playlist_fresh) == (True, "eu-west-1", None)
    set_playlist_fresh(client, TABLE, dom1, False, "stale")
    stamped = get_state(client, TABLE, dom1)
    assert stamped is not None and stamped.updated_at

    # The operator closes region two; a stack update must not reopen it (nor
    # touch the detector's attributes).
    client.update_item(
        TableName=TABLE, Key={"domain": {"S": dom2}},
        UpdateExpression="SET distro_open = :f", ExpressionAttributeValues={":f": {"BOOL": False}},
    )
    fn.handler({**event, "RequestType": "Update"}, None)
    assert rec.sent[-1][0] == "SUCCESS"
    item = client.get_item(TableName=TABLE, Key={"domain": {"S": dom2}})["Item"]
    assert item["distro_open"] == {"BOOL": False}
    assert get_state(client, TABLE, dom1) == stamped

    bad = {"RequestType": "Create", "ResourceProperties": {"Table": TABLE, "Regions": [
        {"Region": REGION, "DistributionId": "NOSUCHID"}]}}
    fn.handler(bad, None)
    assert rec.sent[-1][0] == "FAILED"


VIEWER = {"LambdaFunctionARN": "arn:aws:lambda:us-east-1:123456789012:function:other:1",
          "EventType": "viewer-request", "IncludeBody": False}


def test_attach_copilot_sets_origin_request_and_delete_removes_it(
    monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    use_endpoint(monkeypatch, endpoint)
    dist_id, _ = make_distribution(endpoint, "attach")
    rec = Recorder()
    fn = inline_function("clustered-video-stream-instance", "AttachFunction", rec)
    # moto keeps no LambdaFunctionAssociations nor Smooth behaviours: the state
    # below is laid over its GetDistributionConfig answers, and what the function
    # sends with UpdateDistribution is recorded.
    existing: list[dict[str, Any]] = []
    sent: list[dict[str, Any]] = []
    real_client = boto3.client

    def lay_over(parsed: dict[str, Any], **_: Any) -> None:
        if "DistributionConfig" not in parsed:  # an error answer
            return
        cfg = parsed["DistributionConfig"]
        cfg["DefaultCacheBehavior"]["LambdaFunctionAssociations"] = {"Quantity": len(existing), "Items": list(existing)}
        smooth = dict(cfg["DefaultCacheBehavior"], PathPattern="*.ism/*", SmoothStreaming=True)
        smooth["LambdaFunctionAssociations"] = {"Quantity": 1, "Items": [dict(VIEWER, EventType="origin-request")]}
        cfg["CacheBehaviors"] = {"Quantity": 1, "Items": [smooth]}

    def client(name: str, *args: Any, **kwargs: Any) -> Any:
        c = real_client(name, *args, **kwargs)  # type: ignore[call-overload]
        c.meta.events.register("after-call.cloudfront.GetDistributionConfig", lay_over)
        c.meta.events.register(
            "provide-client-params.cloudfront.UpdateDistribution",
            lambda params, **_: sent.append(params["DistributionConfig"]),
        )
        return c

    monkeypatch.setattr(fn.boto3, "client", client)
    props = {"DistributionId": dist_id, "FunctionArn": COPILOT, "FunctionVersion": "7"}
    ours = {"LambdaFunctionARN": COPILOT + ":7", "EventType": "origin-request", "IncludeBody": False}
    older = dict(ours, LambdaFunctionARN=COPILOT + ":6")

    existing[:] = [VIEWER, older]
    fn.handler({"RequestType": "Update", "ResourceProperties": props}, None)
    assert rec.sent[-1][0] == "SUCCESS"
    assert sent[-1]["DefaultCacheBehavior"]["LambdaFunctionAssociations"] == {"Quantity": 2, "Items": [VIEWER, ours]}
    smooth = sent[-1]["CacheBehaviors"]["Items"][0]
    assert smooth["LambdaFunctionAssociations"]["Items"][0]["LambdaFunctionARN"] == VIEWER["LambdaFunctionARN"], (
        "SmoothStreaming behaviours are left alone"
    )

    existing[:] = [VIEWER, ours]
    fn.handler({"RequestType": "Delete", "ResourceProperties": props}, None)
    assert rec.sent[-1][0] == "SUCCESS"
    assert sent[-1]["DefaultCacheBehavior"]["LambdaFunctionAssociations"] == {"Quantity": 1, "Items": [VIEWER]}

    # A failed create is reported, a failed delete never blocks the stack.
    gone = {**props, "DistributionId": "NOSUCHID"}
    fn.handler({"RequestType": "Create", "ResourceProperties": gone}, None)
    assert rec.sent[-1][0] == "FAILED"
    fn.handler({"RequestType": "Delete", "ResourceProperties": gone}, None)
    assert rec.sent[-1][0] == "SUCCESS"
