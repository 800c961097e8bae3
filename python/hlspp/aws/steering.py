# SPDX-License-Identifier: MIT
"""Content steering server: a Lambda function URL handler (payload format 2.0).

Answers the Steering Manifest named by ``EXT-X-CONTENT-STEERING:SERVER-URI``
of a playlist merged with ``hlspp merge --mode steering``::

    {"VERSION": 1, "TTL": 10, "RELOAD-URI": "...", "PATHWAY-PRIORITY": ["a", "b"]}

Pathway order comes from the state table: a pathway is healthy when its
domain's row has ``distro_open`` and ``playlist_fresh`` not false (a missing or
malformed row is unhealthy; a row without ``distro_open``, as the detector
creates it, counts as open; a ``playlist_fresh = false`` that the detector has
not rewritten for HLSPP_STEERING_VERDICT_MAX_AGE seconds counts as unknown,
not false, so a stopped detector cannot hold a recovered region last).
Healthy pathways come first, unhealthy ones last; within each group the configured order is kept, except that the pathway the
player reports as current (``_HLS_pathway``) stays first while it is healthy,
so a player is not moved without a reason. Unhealthy pathways are kept (the
player's own failover may still need them) unless HLSPP_STEERING_DROP_UNHEALTHY
is set, and never all of them.

If the table cannot be read the configured order is served (status 200) with
``x-hlspp-steering-state: unavailable``; otherwise the header is ``ok``.

Environment:

``HLSPP_STATE_TABLE`` (required)
    state table name.
``HLSPP_PATHWAYS`` (required)
    JSON list ``[{"id": "a", "domain": "d1.cloudfront.net"}, ...]`` in
    default priority order; ids are the merged playlist's PATHWAY-IDs.
``HLSPP_STEERING_TTL`` (default 10)
    seconds the player waits before reloading the manifest.
``HLSPP_STEERING_RELOAD_URI``
    optional RELOAD-URI; without it players reload the SERVER-URI.
``HLSPP_STATE_REGION``
    region of the table replica to read (default: ``AWS_REGION``).
``HLSPP_STEERING_CACHE_SECONDS`` (default 1)
    how long table reads are reused inside one container.
``HLSPP_STEERING_DROP_UNHEALTHY``
    ``1``/``true``: leave unhealthy pathways out (unless all are unhealthy).
``HLSPP_STEERING_TIMEOUT`` (default 2)
    boto3 connect/read timeout in seconds.
``HLSPP_STEERING_VERDICT_MAX_AGE`` (default 300)
    seconds after which a ``playlist_fresh = false`` not rewritten by the
    detector (``updated_at``) no longer counts; 0: it counts at any age.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence

from ._edgestate import DomainState, StateUnavailable, fresh_verdict, get_states, make_client

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "ENV_VARS",
    "REQUIRED_ENV",
    "ConfigError",
    "DomainState",
    "Pathway",
    "SteeringConfig",
    "handler",
    "is_healthy",
    "manifest",
    "order_pathways",
    "reset",
]

_log = logging.getLogger("hlspp.aws.steering")

# [CS]: legal Pathway-ID characters.
#: Every environment variable the handler reads, and the required ones (the
#: deploy templates' contract, checked by tests/python/aws/test_contract.py).
ENV_VARS = (
    "HLSPP_STATE_TABLE",
    "HLSPP_PATHWAYS",
    "HLSPP_STEERING_TTL",
    "HLSPP_STEERING_RELOAD_URI",
    "HLSPP_STATE_REGION",
    "HLSPP_STEERING_CACHE_SECONDS",
    "HLSPP_STEERING_DROP_UNHEALTHY",
    "HLSPP_STEERING_TIMEOUT",
    "HLSPP_STEERING_VERDICT_MAX_AGE",
)
REQUIRED_ENV = ("HLSPP_STATE_TABLE", "HLSPP_PATHWAYS")

_PATHWAY_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class ConfigError(ValueError):
    """The function's environment is missing or invalid."""


@dataclass(frozen=True)
class Pathway:
    id: str
    domain: str


@dataclass(frozen=True)
class SteeringConfig:
    table: str
    pathways: tuple[Pathway, ...]
    ttl: int = 10
    reload_uri: Optional[str] = None
    region: Optional[str] = None
    cache_seconds: float = 1.0
    drop_unhealthy: bool = False
    timeout_seconds: float = 2.0
    verdict_max_age: float = 300.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SteeringConfig:
        table = env.get("HLSPP_STATE_TABLE", "")
        if not table:
            raise ConfigError("HLSPP_STATE_TABLE is not set")
        raw = env.get("HLSPP_PATHWAYS", "")
        if not raw:
            raise ConfigError("HLSPP_PATHWAYS is not set")
        try:
            items = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(f"HLSPP_PATHWAYS is not valid JSON: {exc}") from exc
        if not isinstance(items, list) or not items:
            raise ConfigError("HLSPP_PATHWAYS must be a non-empty JSON list")
        pathways: list[Pathway] = []
        for item in items:
            if not isinstance(item, dict):
                raise ConfigError("HLSPP_PATHWAYS entries must be objects with 'id' and 'domain'")
            pid, dom = item.get("id"), item.get("domain")
            if not isinstance(pid, str) or not _PATHWAY_ID.fullmatch(pid):
                raise ConfigError(f"HLSPP_PATHWAYS: bad pathway id {pid!r} (allowed: A-Z a-z 0-9 . _ -)")
            if not isinstance(dom, str) or not dom:
                raise ConfigError(f"HLSPP_PATHWAYS: pathway {pid} has no domain")
            pathways.append(Pathway(pid, dom))
        if len({p.id for p in pathways}) != len(pathways):
            raise ConfigError("HLSPP_PATHWAYS: pathway ids must be unique")

        def number(name: str, default: float, minimum: float) -> float:
            text = env.get(name, "")
            if not text:
                return default
            try:
                value = float(text)
            except ValueError:
                raise ConfigError(f"{name} must be a number, got {text!r}") from None
            if not value >= minimum:
                raise ConfigError(f"{name} must be >= {minimum:g}, got {text!r}")
            return value

        ttl = number("HLSPP_STEERING_TTL", 10, 1)
        if ttl != int(ttl):
            raise ConfigError("HLSPP_STEERING_TTL must be a whole number of seconds")
        return cls(
            table=table,
            pathways=tuple(pathways),
            ttl=int(ttl),
            reload_uri=env.get("HLSPP_STEERING_RELOAD_URI") or None,
            region=env.get("HLSPP_STATE_REGION") or env.get("AWS_REGION") or None,
            cache_seconds=number("HLSPP_STEERING_CACHE_SECONDS", 1.0, 0),
            drop_unhealthy=env.get("HLSPP_STEERING_DROP_UNHEALTHY", "").lower() in ("1", "true", "yes"),
            timeout_seconds=number("HLSPP_STEERING_TIMEOUT", 2.0, 0.05),
            verdict_max_age=number("HLSPP_STEERING_VERDICT_MAX_AGE", 300.0, 0),
        )


def is_healthy(state: Optional[DomainState], verdict_max_age: float = 0, now: Optional[float] = None) -> bool:
    """distro_open and playlist_fresh not false; no row or a malformed row is
    unhealthy. A row without distro_open (created by the detector) is not closed.
    A playlist_fresh false older than ``verdict_max_age`` seconds at ``now``
    (default: the current time) is not counted (see fresh_verdict); 0 counts it
    at any age."""
    if state is None or state.malformed or state.distro_open is False:
        return False
    return fresh_verdict(state, verdict_max_age, time.time() if now is None else now) is not False


def order_pathways(
    pathways: Sequence[Pathway],
    states: Optional[Mapping[str, DomainState]],
    current: Optional[str] = None,
    drop_unhealthy: bool = False,
    verdict_max_age: float = 0,
    now: Optional[float] = None,
) -> list[str]:
    """PATHWAY-PRIORITY for the given states (None: unknown, keep the configured order).

    ``verdict_max_age`` and ``now`` as for is_healthy."""
    ids = [p.id for p in pathways]
    if states is None:
        return ids
    at = time.time() if now is None else now
    healthy = [p.id for p in pathways if is_healthy(states.get(p.domain), verdict_max_age, at)]
    unhealthy = [pid for pid in ids if pid not in healthy]
    if current in healthy:
        healthy.remove(current)
        healthy.insert(0, current)
    if drop_unhealthy and healthy:
        return healthy
    return healthy + unhealthy


def manifest(config: SteeringConfig, priority: Sequence[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"VERSION": 1, "TTL": config.ttl}
    if config.reload_uri:
        body["RELOAD-URI"] = config.reload_uri
    body["PATHWAY-PRIORITY"] = list(priority)
    return body


class _Server:
    """Container-lifetime state: config, client and the cached table read."""

    def __init__(self, config: SteeringConfig, clock: Callable[[], float]) -> None:
        self.config = config
        self.clock = clock
        self._client: Optional[DynamoDBClient] = None
        self._cached: Optional[tuple[float, dict[str, DomainState]]] = None
        self._expired: set[str] = set()  # domains whose old verdict was last warned about
        self._lock = threading.Lock()

    def states(self) -> Optional[dict[str, DomainState]]:
        """Rows by domain, or None when the table is unreadable."""
        now = self.clock()
        with self._lock:
            if self._cached is not None and now < self._cached[0]:
                return self._cached[1]
        if self._client is None:
            if not self.config.region:
                raise ConfigError("no region for the state table (set HLSPP_STATE_REGION or AWS_REGION)")
            self._client = make_client(self.config.region, self.config.timeout_seconds)
        try:
            rows = get_states(self._client, self.config.table, [p.domain for p in self.config.pathways])
        except StateUnavailable as exc:
            _log.warning("steering: state table unreadable (%s); serving the default order", exc)
            return None
        wall = time.time()
        expired = {
            row.domain
            for row in rows.values()
            if row.playlist_fresh is False and fresh_verdict(row, self.config.verdict_max_age, wall) is None
        }
        with self._lock:
            newly_expired, self._expired = expired - self._expired, expired
            self._cached = (self.clock() + self.config.cache_seconds, rows)
        for domain in sorted(newly_expired):  # once when it expires, not once a table read
            _log.warning("steering: %s: playlist_fresh false not renewed by the detector; not counted", domain)
        return rows


_server: Optional[_Server] = None
_clock: Callable[[], float] = time.monotonic


def reset(config: Optional[SteeringConfig] = None, clock: Optional[Callable[[], float]] = None) -> None:
    """Forgets the container state (as a cold start would); for tests and the e2e rig."""
    global _server, _clock
    _clock = clock or time.monotonic
    _server = _Server(config, _clock) if config is not None else None


def _headers(extra: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    out = {
        "content-type": "application/json",
        "cache-control": "no-store",
        "access-control-allow-origin": "*",
    }
    out.update(extra or {})
    return out


def _json(status: int, body: Mapping[str, Any], extra: Optional[Mapping[str, str]] = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": _headers(extra),
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def _error(status: int, message: str, extra: Optional[Mapping[str, str]] = None) -> dict[str, Any]:
    return _json(status, {"error": message}, extra)


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Function URL handler (payload 2.0): the steering manifest as JSON."""
    try:
        method = event["requestContext"]["http"]["method"]
    except (KeyError, TypeError):
        return _error(400, "not a function URL (payload format 2.0) request")
    if method == "OPTIONS":  # CORS preflight
        return {
            "statusCode": 204,
            "headers": _headers(
                {"access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-max-age": "86400"}
            ),
            "body": "",
            "isBase64Encoded": False,
        }
    if method not in ("GET", "HEAD"):
        return _error(405, f"method {method} not allowed; use GET", {"allow": "GET, HEAD, OPTIONS"})
    params = event.get("queryStringParameters") or {}
    current = params.get("_HLS_pathway") if isinstance(params, Mapping) else None
    # Players add _HLS_pathway and _HLS_throughput; anything else is ignored.
    if current is not None and not _PATHWAY_ID.fullmatch(current):
        return _error(400, "_HLS_pathway is not a valid Pathway ID")

    global _server
    try:
        if _server is None:
            _server = _Server(SteeringConfig.from_env(os.environ), _clock)
        server = _server
        states = server.states()
    except ConfigError as exc:
        _log.error("steering: %s", exc)
        return _error(500, f"steering server misconfigured: {exc}")
    priority = order_pathways(
        server.config.pathways, states, current, server.config.drop_unhealthy, server.config.verdict_max_age
    )
    state_header = {"x-hlspp-steering-state": "ok" if states is not None else "unavailable"}
    resp = _json(200, manifest(server.config, priority), state_header)
    if method == "HEAD":
        resp["body"] = ""
    return resp
