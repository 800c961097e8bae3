# SPDX-License-Identifier: MIT
"""The DynamoDB tables shared by the AWS tooling, and bounded-retry helpers.

State table (env ``HLSPP_STATE_TABLE``), one item per CloudFront distribution:

    domain          S     partition key, e.g. "d111.cloudfront.net"
    distro_open     BOOL  operator-controlled (never written by the detector)
    playlist_fresh  BOOL  written by the detector
    region          S     the distribution's stream region
    name            S     human-readable name
    updated_at      S     ISO-8601, set with playlist_fresh (optional)
    detail          S     why playlist_fresh is what it is (optional)

Detector table (env ``HLSPP_DETECTOR_TABLE``): the detector's snapshots, key
``url`` (S), so its state survives Lambda restarts.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

__all__ = [
    "ATTR_DETAIL",
    "ATTR_DISTRO_OPEN",
    "ATTR_NAME",
    "ATTR_PLAYLIST_FRESH",
    "ATTR_REGION",
    "ATTR_UPDATED_AT",
    "DETECTOR_KEY",
    "DETECTOR_TABLE_ENV",
    "STATE_KEY",
    "STATE_TABLE_ENV",
    "RETRY_ENV",
    "Retry",
    "StateError",
    "StateRow",
    "dynamodb_client",
    "get_state",
    "iso_now",
    "set_playlist_fresh",
    "table_name",
]

STATE_TABLE_ENV = "HLSPP_STATE_TABLE"
DETECTOR_TABLE_ENV = "HLSPP_DETECTOR_TABLE"
STATE_KEY = "domain"
DETECTOR_KEY = "url"
ATTR_DISTRO_OPEN = "distro_open"
ATTR_PLAYLIST_FRESH = "playlist_fresh"
ATTR_REGION = "region"
ATTR_NAME = "name"
ATTR_UPDATED_AT = "updated_at"
ATTR_DETAIL = "detail"
#: Environment variables read by Retry.from_env (optional, every handler using Retry).
RETRY_ENV = ("HLSPP_DDB_ATTEMPTS", "HLSPP_DDB_BACKOFF", "HLSPP_DDB_BACKOFF_CAP")

#: Errors worth retrying: throttling, service-side faults, unreachable endpoint.
_RETRYABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
    }
)

T = TypeVar("T")


class StateError(Exception):
    """A DynamoDB call failed (after the bounded retries): one-line message."""


@dataclass(frozen=True)
class Retry:
    """Bounded exponential backoff: ``attempts`` tries in all, delays
    ``base * 2**n`` (with jitter) capped at ``cap`` seconds."""

    attempts: int = 4
    base: float = 0.2
    cap: float = 2.0

    @classmethod
    def from_env(cls) -> Retry:
        return cls(
            attempts=max(1, int(os.environ.get("HLSPP_DDB_ATTEMPTS", "4"))),
            base=float(os.environ.get("HLSPP_DDB_BACKOFF", "0.2")),
            cap=float(os.environ.get("HLSPP_DDB_BACKOFF_CAP", "2.0")),
        )

    def call(self, what: str, fn: Callable[[], T], sleep: Callable[[float], None] = time.sleep) -> T:
        from botocore.exceptions import BotoCoreError, ClientError

        last = ""
        for attempt in range(self.attempts):
            try:
                return fn()
            except ClientError as e:
                code = str(e.response.get("Error", {}).get("Code", ""))
                msg = str(e.response.get("Error", {}).get("Message", "")) or code
                last = f"{code}: {msg}" if msg != code else code
                if code not in _RETRYABLE_CODES:
                    raise StateError(f"{what}: {last}") from None
            except BotoCoreError as e:  # connection refused, timeouts, ...
                last = f"{type(e).__name__}: {e}"
            if attempt + 1 < self.attempts:
                delay = min(self.cap, self.base * (2**attempt))
                sleep(delay * (0.5 + random.random() / 2))
        raise StateError(f"{what}: failed after {self.attempts} attempts: {last}")


def table_name(env: str) -> str:
    name = os.environ.get(env, "").strip()
    if not name:
        raise StateError(f"environment variable {env} (a DynamoDB table name) is not set")
    return name


def dynamodb_client(region: str | None = None) -> DynamoDBClient:
    """A DynamoDB client with short timeouts and no botocore retries (Retry does
    them, bounded); honours AWS_ENDPOINT_URL."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=2,
        read_timeout=5,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client("dynamodb", region_name=region, config=config)


def iso_now(now: float | None = None) -> str:
    t = datetime.fromtimestamp(time.time() if now is None else now, timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class StateRow:
    """One item of the state table."""

    domain: str
    distro_open: bool | None = None
    playlist_fresh: bool | None = None
    region: str | None = None
    name: str | None = None
    updated_at: str | None = None
    detail: str | None = None

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StateRow:
        def s(k: str) -> str | None:
            v = item.get(k)
            return str(v["S"]) if isinstance(v, dict) and "S" in v else None

        def b(k: str) -> bool | None:
            v = item.get(k)
            return bool(v["BOOL"]) if isinstance(v, dict) and "BOOL" in v else None

        return cls(
            domain=s(STATE_KEY) or "",
            distro_open=b(ATTR_DISTRO_OPEN),
            playlist_fresh=b(ATTR_PLAYLIST_FRESH),
            region=s(ATTR_REGION),
            name=s(ATTR_NAME),
            updated_at=s(ATTR_UPDATED_AT),
            detail=s(ATTR_DETAIL),
        )


def get_state(client: DynamoDBClient, table: str, domain: str, retry: Retry | None = None) -> StateRow | None:
    """The state row of ``domain`` (strongly consistent read), or None."""
    r = retry or Retry.from_env()
    out = r.call(
        f"DynamoDB GetItem {table}[{domain}]",
        lambda: client.get_item(TableName=table, Key={STATE_KEY: {"S": domain}}, ConsistentRead=True),
    )
    item = out.get("Item")
    return StateRow.from_item(dict(item)) if item else None


def set_playlist_fresh(
    client: DynamoDBClient,
    table: str,
    domain: str,
    fresh: bool,
    detail: str,
    *,
    now: float | None = None,
    retry: Retry | None = None,
) -> None:
    """Sets playlist_fresh, updated_at and detail of ``domain`` (UpdateItem: the
    other attributes, distro_open included, are left as they are)."""
    r = retry or Retry.from_env()
    r.call(
        f"DynamoDB UpdateItem {table}[{domain}]",
        lambda: client.update_item(
            TableName=table,
            Key={STATE_KEY: {"S": domain}},
            UpdateExpression="SET #f = :f, #u = :u, #d = :d",
            ExpressionAttributeNames={"#f": ATTR_PLAYLIST_FRESH, "#u": ATTR_UPDATED_AT, "#d": ATTR_DETAIL},
            ExpressionAttributeValues={
                ":f": {"BOOL": fresh},
                ":u": {"S": iso_now(now)},
                ":d": {"S": detail[:1000]},
            },
        ),
    )
