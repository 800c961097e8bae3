# SPDX-License-Identifier: MIT
"""Helpers of the edge tests (copilot, steering, template functions).

A moto server on 127.0.0.1 (real HTTP, so the handlers' boto3 clients, with
their timeouts and retries, are exercised); the state table is created in it.
Import this module after ``pytest.importorskip("moto")``.
"""

from __future__ import annotations

import copy
import logging
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Optional

import boto3
import pytest
from moto.server import ThreadedMotoServer

from hlspp.aws.state import iso_now

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

REGION = "eu-west-1"


def unique_table(prefix: str) -> str:
    """moto keeps its backends per process, shared by every server: one table name per module."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def free_port() -> int:
    """A local port with nothing listening on it (also used as 'table unreachable')."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    """A ThreadedMotoServer on 127.0.0.1; yields its endpoint URL."""
    port = free_port()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def use_endpoint(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Points boto3 (through AWS_ENDPOINT_URL) at ``endpoint`` with dummy credentials."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


def ddb(endpoint: str) -> DynamoDBClient:
    return boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def create_state_table(client: DynamoDBClient, table: str) -> None:
    """The state table of the contract: partition key ``domain`` (S)."""
    client.create_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "domain", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "domain", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )


def put_state(
    client: DynamoDBClient,
    domain: str,
    *,
    distro_open: bool = True,
    playlist_fresh: Optional[bool] = None,
    region: str = REGION,
    name: str = "region",
    table: str,
    age: Optional[float] = 0.0,
) -> None:
    """A state row; ``updated_at`` is ``age`` seconds before now (None: no updated_at),
    as the detector's last write would have dated it."""
    item: dict[str, Any] = {
        "domain": {"S": domain},
        "distro_open": {"BOOL": distro_open},
        "region": {"S": region},
        "name": {"S": name},
    }
    if age is not None:
        item["updated_at"] = {"S": iso_now(time.time() - age)}
    if playlist_fresh is not None:
        item["playlist_fresh"] = {"BOOL": playlist_fresh}
    client.put_item(TableName=table, Item=item)


class FakeClock:
    """An injectable monotonic clock."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# A CloudFront origin-request event as documented (Lambda@Edge event structure).
_ORIGIN_REQUEST_EVENT: dict[str, Any] = {
    "Records": [
        {
            "cf": {
                "config": {
                    "distributionDomainName": "d111111abcdef8.cloudfront.net",
                    "distributionId": "EDFDVBD6EXAMPLE",
                    "eventType": "origin-request",
                    "requestId": "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
                },
                "request": {
                    "clientIp": "203.0.113.178",
                    "headers": {
                        "x-forwarded-for": [{"key": "X-Forwarded-For", "value": "203.0.113.178"}],
                        "user-agent": [{"key": "User-Agent", "value": "Amazon CloudFront"}],
                        "via": [
                            {
                                "key": "Via",
                                "value": "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)",
                            }
                        ],
                        "host": [{"key": "Host", "value": "example.org"}],
                        "cache-control": [{"key": "Cache-Control", "value": "no-cache"}],
                    },
                    "method": "GET",
                    "origin": {
                        "custom": {
                            "customHeaders": {},
                            "domainName": "example.org",
                            "keepaliveTimeout": 5,
                            "path": "",
                            "port": 443,
                            "protocol": "https",
                            "readTimeout": 30,
                            "sslProtocols": ["TLSv1", "TLSv1.1", "TLSv1.2"],
                        }
                    },
                    "querystring": "",
                    "uri": "/out/v1/abc/index_1.m3u8",
                },
            }
        }
    ]
}


def origin_request_event(domain: str, uri: str = "/out/v1/abc/index_1.m3u8") -> dict[str, Any]:
    event = copy.deepcopy(_ORIGIN_REQUEST_EVENT)
    cf = event["Records"][0]["cf"]
    cf["config"]["distributionDomainName"] = domain
    cf["request"]["uri"] = uri
    return event


def function_url_event(
    method: str = "GET", query: Optional[dict[str, str]] = None, path: str = "/steering.json"
) -> dict[str, Any]:
    """A Lambda function URL event (payload format version 2.0)."""
    qs = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": qs,
        "headers": {"host": "abcdefg.lambda-url.eu-west-1.on.aws", "origin": "https://player.example"},
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefg",
            "domainName": "abcdefg.lambda-url.eu-west-1.on.aws",
            "domainPrefix": "abcdefg",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "hls.js",
            },
            "requestId": "id",
            "routeKey": "$default",
            "stage": "$default",
            "time": "02/Dec/2026:05:00:00 +0000",
            "timeEpoch": 1796187600000,
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = dict(query)
    return event
