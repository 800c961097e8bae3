# SPDX-License-Identifier: MIT
"""Reads of the state table shared by the edge handlers (copilot, steering).

The table contract is defined once, in :mod:`hlspp.aws.state` (whose names are
used here): partition key ``domain`` (S), the CloudFront distribution domain
name; ``distro_open`` (BOOL, operator), ``playlist_fresh`` (BOOL, detector),
``region`` (S), ``name`` (S), optional ``updated_at``, ``detail``. A row the
detector created (UpdateItem) before any operator write has no ``distro_open``:
the edge handlers read that as "not closed" (see copilot and steering).

The detector rewrites ``playlist_fresh`` and ``updated_at`` on every pass, so
``updated_at`` is its heartbeat. A ``playlist_fresh = false`` older than the
handlers' ``verdict_max_age`` is a verdict nobody renews: the detector stopped
or cannot reach the table. The handlers then read it as unknown (not false), so
a dead detector cannot keep a region closed after it has recovered, nor every
region closed at once (:func:`fresh_verdict`).

boto3 is imported lazily so that the pure parts of the handlers import without
it; the Lambda runtimes ship boto3. boto3 honours ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Mapping, Optional

from .state import ATTR_DISTRO_OPEN, ATTR_PLAYLIST_FRESH, ATTR_UPDATED_AT, STATE_KEY

__all__ = [
    "ATTR_DISTRO_OPEN",
    "ATTR_PLAYLIST_FRESH",
    "ATTR_UPDATED_AT",
    "STATE_KEY",
    "DomainState",
    "StateUnavailable",
    "fresh_verdict",
    "get_state",
    "get_states",
    "make_client",
    "parse_item",
    "parse_time",
    "verdict_age",
]

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class StateUnavailable(Exception):
    """The state table could not be read (network, throttling, missing table...)."""


@dataclass(frozen=True)
class DomainState:
    """One row of the state table, reduced to what the edge handlers use.

    ``distro_open`` / ``playlist_fresh`` are None when the attribute is absent
    or is not a BOOL (``malformed`` tells the two apart). ``updated_at`` is the
    detector's last write in epoch seconds, None when absent or unreadable.
    """

    domain: str
    distro_open: Optional[bool]
    playlist_fresh: Optional[bool]
    malformed: bool = False
    updated_at: Optional[float] = None


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


def parse_time(text: Any) -> Optional[float]:
    """Epoch seconds of an ISO-8601 time as the detector writes it
    (``2026-12-03T17:01:35.123Z``); a time without a zone is UTC. None when
    ``text`` is not such a time."""
    if not isinstance(text, str) or not text:
        return None
    # fromisoformat before Python 3.11 knows neither "Z" nor fractions of other than 3 or 6 digits
    t = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(t)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def parse_item(domain: str, item: Mapping[str, Any]) -> DomainState:
    """Low-level (``{"BOOL": true}``) item to DomainState."""
    open_, bad_open = _bool_attr(item, ATTR_DISTRO_OPEN)
    fresh, bad_fresh = _bool_attr(item, ATTR_PLAYLIST_FRESH)
    raw_time = item.get(ATTR_UPDATED_AT)
    updated = parse_time(raw_time.get("S")) if isinstance(raw_time, Mapping) else None
    return DomainState(domain, open_, fresh, malformed=bad_open or bad_fresh, updated_at=updated)


def fresh_verdict(state: DomainState, max_age: float, now: float) -> Optional[bool]:
    """``playlist_fresh`` as the edge handlers act on it: a false verdict last
    written more than ``max_age`` seconds before ``now`` is None (unknown).

    ``max_age`` 0 keeps every verdict. A false verdict without ``updated_at``
    (written by hand, not by the detector) cannot be dated and is kept; one dated
    in the future (clock skew) is current. A true verdict is never aged: it opens
    nothing that a missing one would not."""
    if state.playlist_fresh is not False or max_age <= 0 or state.updated_at is None:
        return state.playlist_fresh
    return None if now - state.updated_at > max_age else False


def verdict_age(state: DomainState, now: float) -> Optional[float]:
    """Seconds since the detector's last write, None when the row has no time."""
    return None if state.updated_at is None else now - state.updated_at


def get_state(client: DynamoDBClient, table: str, domain: str) -> Optional[DomainState]:
    """The row of ``domain``, None when there is none; raises StateUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        resp = client.get_item(
            TableName=table,
            Key={STATE_KEY: {"S": domain}},
            ProjectionExpression="#o, #f, #u",
            ExpressionAttributeNames={"#o": ATTR_DISTRO_OPEN, "#f": ATTR_PLAYLIST_FRESH, "#u": ATTR_UPDATED_AT},
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
            "ProjectionExpression": "#d, #o, #f, #u",
            "ExpressionAttributeNames": {
                "#d": STATE_KEY,
                "#o": ATTR_DISTRO_OPEN,
                "#f": ATTR_PLAYLIST_FRESH,
                "#u": ATTR_UPDATED_AT,
            },
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
