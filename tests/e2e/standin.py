# SPDX-License-Identifier: MIT
"""TEMPORARY stand-ins for hlspp.aws.copilot / hlspp.aws.steering (branch
aws-edge), following their agreed contract, only until that branch is merged.
The test reports loudly when it runs with these."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3


def _item(domain: str) -> dict[str, Any] | None:
    cfg = json.loads(open(os.environ["HLSPP_COPILOT_CONFIG"]).read()) if "HLSPP_COPILOT_CONFIG" in os.environ else {}
    table = cfg.get("table") or os.environ["HLSPP_STATE_TABLE"]
    r = boto3.client("dynamodb", region_name=cfg.get("table_region", "us-east-1")).get_item(
        TableName=table, Key={"domain": {"S": domain}}, ConsistentRead=True)
    return r.get("Item")


def copilot_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    cf = event["Records"][0]["cf"]
    item = _item(cf["config"]["distributionDomainName"])
    if item is None or item.get("distro_open", {}).get("BOOL", True):
        return cf["request"]
    return {"status": "404", "statusDescription": "Not Found",
            "headers": {"content-type": [{"key": "Content-Type", "value": "text/plain"}],
                        "access-control-allow-origin": [{"key": "Access-Control-Allow-Origin", "value": "*"}]},
            "body": "distribution closed\n"}


def steering_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    pathways = json.loads(os.environ["HLSPP_PATHWAYS"])
    ttl = int(os.environ.get("HLSPP_STEERING_TTL", "300"))
    open_ids, closed_ids = [], []
    for p in pathways:
        item = _item(p["domain"])
        (open_ids if item is None or item.get("distro_open", {}).get("BOOL", True) else closed_ids).append(p["id"])
    body = {"VERSION": 1, "TTL": ttl, "PATHWAY-PRIORITY": open_ids or [p["id"] for p in pathways]}
    return {"statusCode": 200, "headers": {"Content-Type": "application/json", "Cache-Control": f"max-age={ttl}"},
            "body": json.dumps(body)}
