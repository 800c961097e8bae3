# SPDX-License-Identifier: MIT
"""Copilot: CloudFront origin-request Lambda@Edge gate for one regional distribution.

On every cache miss CloudFront calls :func:`handler`. It reads ``distro_open``
(and, in ``auto`` mode, ``playlist_fresh``) for the distribution's domain from
the state table and either returns the request unchanged (pass to the origin)
or a well-formed generated 404 that players treat as "this region is gone".

Lambda@Edge has no environment variables, so the configuration is the JSON
file ``copilot_config.json`` next to this module (written by
``deploy/build-s3-dist.sh``); the environment variable ``HLSPP_COPILOT_CONFIG``
(a path) overrides it for tests and local use. Keys:

``table`` (required)
    state table name.
``table_region`` (required)
    region of the replica to read (the table is a global table).
``fallback_regions`` (default none)
    other replicas to try, in order, when ``table_region`` cannot be read; with
    them a regional outage of the table does not put every region on fail_mode.
``domain``
    domain to look up instead of the event's ``config.distributionDomainName``.
``cache_seconds`` (default 5)
    how long a decision is kept in the container; failures are cached too, so
    an unreachable table costs one timeout per window, not one per request.
``fail_mode`` (default ``"open"``)
    what to do when the table cannot be read or has no row (or a malformed
    row) for the domain: ``"open"`` passes requests through (a broken control
    plane must not take a healthy region down), ``"closed"`` answers 404.
``auto`` (default false)
    also close when the detector wrote ``playlist_fresh = false``.
``verdict_max_age_seconds`` (default 300)
    in ``auto`` mode, a ``playlist_fresh = false`` whose ``updated_at`` is older
    than this is not acted on (reason ``verdict-expired``): the detector writes
    on every pass (every minute by default), so an old verdict means it stopped
    or cannot reach the table, and a dead detector must not keep a recovered
    region closed. 0 acts on a false verdict of any age.

A row without ``distro_open`` (the detector's UpdateItem creates one when it
writes before the deploy seeded the row) is open: the operator has not closed
it. A ``distro_open`` or ``playlist_fresh`` that is not a BOOL follows
``fail_mode``.
``timeout_seconds`` (default 1)
    boto3 connect and read timeouts; at most 2 attempts per replica, so an
    uncached decision takes at most 4 x timeout_seconds per replica tried.

Only cache misses reach an origin-request function: objects already cached
keep being served until their TTL ends, and the generated 404 carries
``Cache-Control: no-store`` so reopening takes effect on the next request.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping, Optional, cast

from ._edgestate import DomainState, StateUnavailable, fresh_verdict, get_state, make_client, verdict_age

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "CONFIG_ENV",
    "CONFIG_FILE",
    "ConfigError",
    "CopilotConfig",
    "Decision",
    "decide",
    "decide_from_state",
    "handler",
    "load_config",
    "not_found_response",
    "reset",
]

CONFIG_ENV = "HLSPP_COPILOT_CONFIG"
CONFIG_FILE = "copilot_config.json"

FailMode = Literal["open", "closed"]

_log = logging.getLogger("hlspp.aws.copilot")


class ConfigError(ValueError):
    """copilot_config.json is missing or invalid."""


@dataclass(frozen=True)
class CopilotConfig:
    table: str
    table_region: str
    domain: Optional[str] = None
    fallback_regions: tuple[str, ...] = ()
    cache_seconds: float = 5.0
    fail_mode: FailMode = "open"
    auto: bool = False
    timeout_seconds: float = 1.0
    verdict_max_age_seconds: float = 300.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CopilotConfig:
        """Validated configuration from parsed JSON; raises ConfigError."""
        known = {
            "table", "table_region", "fallback_regions", "domain", "cache_seconds", "fail_mode", "auto",
            "timeout_seconds", "verdict_max_age_seconds",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown copilot config keys: {', '.join(unknown)}")
        table = data.get("table")
        region = data.get("table_region")
        if not isinstance(table, str) or not table:
            raise ConfigError("copilot config: 'table' must be a non-empty string")
        if not isinstance(region, str) or not region:
            raise ConfigError("copilot config: 'table_region' must be a non-empty string")
        domain = data.get("domain")
        if domain is not None and (not isinstance(domain, str) or not domain):
            raise ConfigError("copilot config: 'domain' must be a non-empty string or null")
        fallback = data.get("fallback_regions", [])
        if not isinstance(fallback, list) or not all(isinstance(r, str) and r for r in fallback):
            raise ConfigError("copilot config: 'fallback_regions' must be a list of region names")
        fail_mode = data.get("fail_mode", "open")
        if fail_mode not in ("open", "closed"):
            raise ConfigError("copilot config: 'fail_mode' must be \"open\" or \"closed\"")
        auto = data.get("auto", False)
        if not isinstance(auto, bool):
            raise ConfigError("copilot config: 'auto' must be true or false")
        nums: dict[str, float] = {}
        for key, default in (("cache_seconds", 5.0), ("timeout_seconds", 1.0), ("verdict_max_age_seconds", 300.0)):
            value = data.get(key, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"copilot config: '{key}' must be a number >= 0")
            nums[key] = float(value)
        if nums["timeout_seconds"] == 0:
            raise ConfigError("copilot config: 'timeout_seconds' must be > 0")
        return cls(
            table=table,
            table_region=region,
            domain=domain,
            fallback_regions=tuple(r for r in fallback if r != region),
            cache_seconds=nums["cache_seconds"],
            fail_mode=cast(FailMode, fail_mode),
            auto=auto,
            timeout_seconds=nums["timeout_seconds"],
            verdict_max_age_seconds=nums["verdict_max_age_seconds"],
        )


def load_config(path: Optional[str] = None) -> CopilotConfig:
    """Configuration from ``path``, else $HLSPP_COPILOT_CONFIG, else the packaged file."""
    chosen = path or os.environ.get(CONFIG_ENV) or str(Path(__file__).with_name(CONFIG_FILE))
    try:
        with open(chosen, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise ConfigError(f"cannot read copilot config {chosen}: {exc}") from exc
    except ValueError as exc:
        raise ConfigError(f"copilot config {chosen} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"copilot config {chosen} must hold a JSON object")
    return CopilotConfig.from_mapping(data)


@dataclass(frozen=True)
class Decision:
    """Whether requests for ``domain`` go to the origin, and why.

    ``reason`` is one of: ``open``, ``closed`` (distro_open false), ``stale``
    (auto mode, playlist_fresh false), ``verdict-expired`` (auto mode,
    playlist_fresh false but older than verdict_max_age_seconds: open),
    ``no-item``, ``malformed-item``, ``unavailable`` (the last three follow
    fail_mode).
    """

    domain: str
    open: bool
    reason: str
    detail: str = ""


def decide_from_state(
    domain: str, state: Optional[DomainState], config: CopilotConfig, now: Optional[float] = None
) -> Decision:
    """Pure decision from a state row (None: no row for the domain) at ``now``
    (epoch seconds, default the current time: the age of the detector's verdict)."""
    fail_open = config.fail_mode == "open"
    if state is None:
        return Decision(domain, fail_open, "no-item")
    if state.malformed:
        return Decision(domain, fail_open, "malformed-item", "distro_open or playlist_fresh not BOOL")
    if state.distro_open is False:
        return Decision(domain, False, "closed")
    if config.auto and state.playlist_fresh is False:
        at = time.time() if now is None else now
        if fresh_verdict(state, config.verdict_max_age_seconds, at) is False:
            return Decision(domain, False, "stale")
        age = verdict_age(state, at)
        detail = (
            f"playlist_fresh false written {age:.0f} s ago, over {config.verdict_max_age_seconds:g} s: "
            "the detector has not renewed it"
        )
        return Decision(domain, True, "verdict-expired", detail)
    # distro_open absent: a row the detector created before any operator write;
    # the operator has not closed the region.
    return Decision(domain, True, "open", "" if state.distro_open else "distro_open not set")


def decide(
    domain: str,
    config: CopilotConfig,
    clients: Optional[Mapping[str, DynamoDBClient]] = None,
    now: Optional[float] = None,
) -> Decision:
    """Reads the table now (no cache) and decides; an unreadable table follows fail_mode.

    Tries ``table_region`` then each of ``fallback_regions``; ``clients`` maps
    region to a client to reuse (others are made on the spot).
    """
    errors: list[str] = []
    for region in (config.table_region, *config.fallback_regions):
        client = (clients or {}).get(region) or make_client(region, config.timeout_seconds)
        try:
            state = get_state(client, config.table, domain)
        except StateUnavailable as exc:
            errors.append(f"{region}: {exc}")
            continue
        return decide_from_state(domain, state, config, now)
    return Decision(domain, config.fail_mode == "open", "unavailable", "; ".join(errors))


def not_found_response(decision: Decision) -> dict[str, Any]:
    """The generated CloudFront response sent instead of going to the origin."""

    def h(key: str, value: str) -> list[dict[str, str]]:
        return [{"key": key, "value": value}]

    return {
        "status": "404",
        "statusDescription": "Not Found",
        "headers": {
            "content-type": h("Content-Type", "text/plain"),
            "cache-control": h("Cache-Control", "no-store, max-age=0"),
            # Without CORS headers browsers report status 0 instead of 404.
            "access-control-allow-origin": h("Access-Control-Allow-Origin", "*"),
            "x-hlspp-copilot": h("X-Hlspp-Copilot", decision.reason),
        },
        "bodyEncoding": "text",
        "body": f"distribution {decision.domain} is closed ({decision.reason})\n",
    }


class _Gate:
    """Container-lifetime state: config, client and the decision cache."""

    def __init__(self, config: CopilotConfig, clock: Callable[[], float]) -> None:
        self.config = config
        self.clock = clock
        self._clients: dict[str, DynamoDBClient] = {}
        self._cache: dict[str, tuple[float, Decision]] = {}
        self._expired: set[str] = set()  # domains last decided "verdict-expired" (warned once)
        self._lock = threading.Lock()

    def decision(self, domain: str) -> Decision:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(domain)
            if hit is not None and now < hit[0]:
                return hit[1]
        if not self._clients:  # one client per replica for the container's life
            for region in (self.config.table_region, *self.config.fallback_regions):
                self._clients[region] = make_client(region, self.config.timeout_seconds)
        result = decide(domain, self.config, self._clients)
        if result.reason == "unavailable":
            _log.warning(
                "copilot: state table unreadable for %s (%s); fail %s", domain, result.detail, self.config.fail_mode
            )
        expired = result.reason == "verdict-expired"
        with self._lock:
            newly_expired = expired and domain not in self._expired
            if expired:
                self._expired.add(domain)
            else:
                self._expired.discard(domain)
            self._cache[domain] = (self.clock() + self.config.cache_seconds, result)
        if newly_expired:  # once, not once a cache window in every container
            _log.warning("copilot: %s: %s; open", domain, result.detail)
        return result


_gate: Optional[_Gate] = None
_clock: Callable[[], float] = time.monotonic


def reset(config: Optional[CopilotConfig] = None, clock: Optional[Callable[[], float]] = None) -> None:
    """Forgets the container state (as a cold start would); for tests and the e2e rig.

    ``config`` replaces the configuration file, ``clock`` the monotonic clock.
    """
    global _gate, _clock
    _clock = clock or time.monotonic
    _gate = _Gate(config, _clock) if config is not None else None


def _current_gate() -> _Gate:
    global _gate
    if _gate is None:
        _gate = _Gate(load_config(), _clock)
    return _gate


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """CloudFront origin-request handler: the request unchanged, or a generated 404."""
    try:
        cf = event["Records"][0]["cf"]
        request = cf["request"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError("not a CloudFront origin-request event") from exc
    gate = _current_gate()
    domain = gate.config.domain or cf.get("config", {}).get("distributionDomainName")
    if not isinstance(domain, str) or not domain:
        raise ValueError("event has no config.distributionDomainName and the config sets no domain")
    result = gate.decision(domain)
    if result.open:
        return cast("dict[str, Any]", request)
    return not_found_response(result)
