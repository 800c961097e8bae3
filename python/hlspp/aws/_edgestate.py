# SPDX-License-Identifier: MIT
"""Reads of the state table shared by the edge handlers (copilot, steering).

The table contract is defined once, in :mod:`hlspp.aws.state` (whose names are
used here): partition key ``domain`` (S), the CloudFront distribution domain
name; ``distro_open`` (BOOL, operator), ``playlist_fresh`` (BOOL, detector),
``region`` (S), ``name`` (S), optional ``updated_at``, ``detail``. A row the
detector created (UpdateItem) before any operator write has no ``distro_open``:
the edge handlers read that as "not closed" (see copilot and steering).

boto3 is imported lazily so that the pure parts of the handlers import without
it; the Lambda runtimes ship boto3. boto3 honours ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional

from .state import ATTR_DISTRO_OPEN, ATTR_PLAYLIST_FRESH, STATE_KEY

__all__ = [
    "ATTR_DISTRO_OPEN",
    "ATTR_PLAYLIST_FRESH",
    "STATE_KEY",
    "DomainState",
    "StateUnavailable",
    "get_state",
    "get_states",
    "make_client",
    "parse_item",
]

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class StateUnavailable(Exception):
    """The state table could not be read (network, throttling, missing table...)."""


@dataclass(frozen=True)
class DomainState:
    """One row of the state table, reduced to what the edge handlers use.

    ``distro_open`` / ``playlist_fresh`` are None when the attribute is absent
    or is not a BOOL (``malformed`` tells the two apart).
    """

    domain: str
    distro_open: Optional[bool]
    playlist_fresh: Optional[bool]
    malformed: bool = False


def make_client(region: str, timeout_seconds: float, max_attempts: int = 2) -> DynamoDBClient:
    """A DynamoDB client with short timeouts and few retries (answers must be fast)."""
    import boto3
    from botocore.config import Config

    cfg = Config(
        connect_timeout=timeout_seconds,
        read_timeout=timeout_seconds,
        retries={"max_attempts": max_attempts, "mode": "standard"},
    )
    return boto3.client("dynamodb", region_name=region, config=cfg)


def _bool_attr(item: Mapping[str, Any], name: str) -> tuple[Optional[bool], bool]:
    """(value, malformed): value of a BOOL attribute; malformed if present with another type."""
    raw = item.get(name)
    if raw is None:
        return None, False
    if isinstance(raw, Mapping) and isinstance(raw.get("BOOL"), bool):
        return bool(raw["BOOL"]), False
    return None, True


def parse_item(domain: str, item: Mapping[str, Any]) -> DomainState:
    """Low-level (``{"BOOL": true}``) item to DomainState."""
    open_, bad_open = _bool_attr(item, ATTR_DISTRO_OPEN)
    fresh, bad_fresh = _bool_attr(item, ATTR_PLAYLIST_FRESH)
    return DomainState(domain, open_, fresh, malformed=bad_open or bad_fresh)


def get_state(client: DynamoDBClient, table: str, domain: str) -> Optional[DomainState]:
    """The row of ``domain``, None when there is none; raises StateUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        resp = client.get_item(
            TableName=table,
            Key={STATE_KEY: {"S": domain}},
            ProjectionExpression="#o, #f",
            ExpressionAttributeNames={"#o": ATTR_DISTRO_OPEN, "#f": ATTR_PLAYLIST_FRESH},
        )
    except (BotoCoreError, ClientError) as exc:
        raise StateUnavailable(f"{type(exc).__name__}: {exc}") from exc
    item = resp.get("Item")
    if item is None:
        return None
    return parse_item(domain, item)


def get_states(client: DynamoDBClient, table: str, domains: list[str]) -> dict[str, DomainState]:
    """Rows of several domains in one BatchGetItem (missing rows are absent from the result).

    Raises StateUnavailable when the call fails or keys stay unprocessed after a retry.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    out: dict[str, DomainState] = {}
    unique = list(dict.fromkeys(domains))
    if not unique:
        return out
    request: Any = {
        table: {
            "Keys": [{STATE_KEY: {"S": d}} for d in unique],
            "ProjectionExpression": "#d, #o, #f",
            "ExpressionAttributeNames": {"#d": STATE_KEY, "#o": ATTR_DISTRO_OPEN, "#f": ATTR_PLAYLIST_FRESH},
        }
    }
    for _attempt in range(2):
        try:
            resp = client.batch_get_item(RequestItems=request)
        except (BotoCoreError, ClientError) as exc:
            raise StateUnavailable(f"{type(exc).__name__}: {exc}") from exc
        for item in resp.get("Responses", {}).get(table, []):
            dom = item.get(STATE_KEY, {}).get("S")
            if isinstance(dom, str):
                out[dom] = parse_item(dom, item)
        request = resp.get("UnprocessedKeys") or {}
        if not request:
            return out
    raise StateUnavailable("BatchGetItem left keys unprocessed")
