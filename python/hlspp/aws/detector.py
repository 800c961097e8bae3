# SPDX-License-Identifier: MIT
"""Stale playlist detector: one per stream region, run by EventBridge (Lambda
``handler``) or in a loop (``hlspp watch --detector``).

Each pass loads the origin's multivariant playlist, then every media playlist
it names (variants, renditions with a URI, I-frame playlists). A playlist is
**unhealthy** when it cannot be fetched (HTTP error, timeout, redirect loop,
oversized, binary or not a playlist), when hlspp.diff against the previous
snapshot says stale (1.5 x target duration without new media), stuck (3.5 x),
reset or invalid-update, or when the CDN's copy is so far behind that players
stall (hlspp.lag, when a CDN URL is configured). Nothing is ever fresh by
default: a playlist is healthy only when it was fetched and found advancing.

Snapshots (previous text, last change, health) are kept in DynamoDB (the
detector table), so a restart loses nothing. On every healthy/unhealthy
transition a JSON message goes to SNS; metrics go to CloudWatch; the
distribution's ``playlist_fresh`` goes to the state table. DynamoDB errors are
retried with bounded backoff, then the pass fails (raises) without writing
anything that claims fresh.

Configuration (environment):
    HLSPP_ORIGIN_URL       origin multivariant (or media) playlist URL (required)
    HLSPP_CDN_URL          the distribution's copy of it (DistributionPlaylistUrl), for lag
    HLSPP_DOMAIN           the distribution domain (default: the host of HLSPP_CDN_URL)
    HLSPP_REGION           stream region (default: AWS_REGION)
    HLSPP_STATE_TABLE      state table (playlist_fresh); unset: not written
    HLSPP_DETECTOR_TABLE   detector snapshot table (required)
    HLSPP_SNS_TOPIC_ARN    topic for transition messages; unset: none sent
    HLSPP_METRIC_NAMESPACE CloudWatch namespace (default "hlspp"); "" disables metrics
    HLSPP_FETCH_TIMEOUT    seconds per fetch (default 3)
    HLSPP_MAX_BYTES        largest playlist accepted (default 4 MiB)
    HLSPP_STALE_FACTOR / HLSPP_STUCK_FACTOR   (default 1.5 / 3.5)
    HLSPP_RUN_SECONDS      keep polling for this long in one invocation (default 0: one pass)
    HLSPP_POLL_SECONDS     seconds between passes (default: half the smallest target duration)
"""

from __future__ import annotations

import json
import logging
import os
import time
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional
from urllib.parse import urlsplit

import hlspp

from .state import DETECTOR_KEY, RETRY_ENV, Retry, StateError, dynamodb_client, iso_now, set_playlist_fresh

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.client import CloudWatchClient
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_sns.client import SNSClient

__all__ = [
    "ENV_VARS",
    "REQUIRED_ENV",
    "DetectorConfig",
    "DetectorError",
    "PassResult",
    "PlaylistCheck",
    "handler",
    "run",
    "run_pass",
]

log = logging.getLogger("hlspp.aws.detector")

#: Every environment variable the handler reads (the deploy templates' contract,
#: checked by tests/python/aws/test_contract.py), and those it cannot run without
#: (HLSPP_DOMAIN may be left to HLSPP_CDN_URL's host).
ENV_VARS = (
    "HLSPP_ORIGIN_URL",
    "HLSPP_CDN_URL",
    "HLSPP_DOMAIN",
    "HLSPP_REGION",
    "HLSPP_STATE_TABLE",
    "HLSPP_DETECTOR_TABLE",
    "HLSPP_SNS_TOPIC_ARN",
    "HLSPP_METRIC_NAMESPACE",
    "HLSPP_FETCH_TIMEOUT",
    "HLSPP_MAX_BYTES",
    "HLSPP_STALE_FACTOR",
    "HLSPP_STUCK_FACTOR",
    "HLSPP_RUN_SECONDS",
    "HLSPP_POLL_SECONDS",
    *RETRY_ENV,
)
REQUIRED_ENV = ("HLSPP_ORIGIN_URL", "HLSPP_DETECTOR_TABLE")

MESSAGE_VERSION = 1
_WORKERS = 8


class DetectorError(hlspp.Error):
    """The detector could not complete a pass (configuration, DynamoDB, SNS, ...);
    ``.result`` is the pass's verdict when it got that far."""

    def __init__(self, message: str, result: Optional[PassResult] = None) -> None:
        super().__init__(message)
        self.result = result


def _env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise DetectorError(f"{name}={raw!r} is not a number") from None


@dataclass(frozen=True)
class DetectorConfig:
    origin_url: str
    detector_table: str
    domain: str
    region: str
    cdn_url: Optional[str] = None
    state_table: Optional[str] = None
    topic_arn: Optional[str] = None
    namespace: str = "hlspp"
    timeout: float = 3.0
    max_bytes: int = 4 * 1024 * 1024
    stale_factor: float = 1.5
    stuck_factor: float = 3.5
    run_seconds: float = 0.0
    poll_seconds: Optional[float] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None, **overrides: Any) -> DetectorConfig:
        e = os.environ if env is None else env
        origin = overrides.pop("origin_url", None) or e.get("HLSPP_ORIGIN_URL", "").strip()
        if not origin:
            raise DetectorError("HLSPP_ORIGIN_URL (the origin playlist URL) is not set")
        cdn = overrides.pop("cdn_url", None) or e.get("HLSPP_CDN_URL", "").strip() or None
        domain = overrides.pop("domain", None) or e.get("HLSPP_DOMAIN", "").strip()
        if not domain and cdn:
            domain = urlsplit(cdn).hostname or ""
        if not domain:
            raise DetectorError("set HLSPP_DOMAIN (the CloudFront distribution domain) or HLSPP_CDN_URL")
        table = e.get("HLSPP_DETECTOR_TABLE", "").strip()
        if not table:
            raise DetectorError("HLSPP_DETECTOR_TABLE (the detector's DynamoDB table) is not set")
        region = (
            e.get("HLSPP_REGION", "").strip()
            or e.get("AWS_REGION", "").strip()
            or e.get("AWS_DEFAULT_REGION", "unknown")
        )
        poll = _env_float(e, "HLSPP_POLL_SECONDS", 0.0)
        cfg = cls(
            origin_url=origin,
            detector_table=table,
            domain=domain,
            region=region,
            cdn_url=cdn,
            state_table=e.get("HLSPP_STATE_TABLE", "").strip() or None,
            topic_arn=e.get("HLSPP_SNS_TOPIC_ARN", "").strip() or None,
            namespace=e.get("HLSPP_METRIC_NAMESPACE", "hlspp").strip(),
            timeout=_env_float(e, "HLSPP_FETCH_TIMEOUT", 3.0),
            max_bytes=int(_env_float(e, "HLSPP_MAX_BYTES", 4 * 1024 * 1024)),
            stale_factor=_env_float(e, "HLSPP_STALE_FACTOR", 1.5),
            stuck_factor=_env_float(e, "HLSPP_STUCK_FACTOR", 3.5),
            run_seconds=_env_float(e, "HLSPP_RUN_SECONDS", 0.0),
            poll_seconds=poll if poll > 0 else None,
        )
        if overrides:
            from dataclasses import replace

            cfg = replace(cfg, **overrides)
        return cfg


@dataclass
class PlaylistCheck:
    url: str
    healthy: bool
    #: first, advanced, unchanged, stale, stuck, reset, ended, invalid-update, error, lagging
    status: str
    reason: str
    previous_healthy: Optional[bool] = None
    target_duration: Optional[float] = None
    lag_seconds: Optional[float] = None
    cdn_url: Optional[str] = None


@dataclass
class PassResult:
    region: str
    domain: str
    origin_url: str
    healthy: bool
    reason: str
    at: str
    playlists: list[PlaylistCheck] = field(default_factory=list)
    unhealthy: int = 0
    worst_lag_seconds: Optional[float] = None
    transitions: list[dict[str, Any]] = field(default_factory=list)
    min_target_duration: Optional[float] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Clients:
    dynamodb: DynamoDBClient
    sns: Optional[SNSClient] = None
    cloudwatch: Optional[CloudWatchClient] = None

    @classmethod
    def create(cls, cfg: DetectorConfig) -> Clients:
        import boto3
        from botocore.config import Config

        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
        quick = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})
        return cls(
            dynamodb=dynamodb_client(region),
            sns=boto3.client("sns", region_name=region, config=quick) if cfg.topic_arn else None,
            cloudwatch=boto3.client("cloudwatch", region_name=region, config=quick) if cfg.namespace else None,
        )


# ---------------------------------------------------------------------------
# snapshots (detector table)


@dataclass
class Snapshot:
    text: Optional[str] = None
    last_change: Optional[float] = None
    healthy: Optional[bool] = None
    status: str = ""


def _get_snapshot(ddb: DynamoDBClient, table: str, key: str, retry: Retry) -> Optional[Snapshot]:
    out = retry.call(
        f"DynamoDB GetItem {table}[{key}]",
        lambda: ddb.get_item(TableName=table, Key={DETECTOR_KEY: {"S": key}}, ConsistentRead=True),
    )
    item = out.get("Item")
    if not item:
        return None
    snap = Snapshot()
    if "text" in item and "B" in item["text"]:
        snap.text = zlib.decompress(bytes(item["text"]["B"])).decode("utf-8")
    if "last_change" in item and "N" in item["last_change"]:
        snap.last_change = float(item["last_change"]["N"])
    if "healthy" in item and "BOOL" in item["healthy"]:
        snap.healthy = bool(item["healthy"]["BOOL"])
    if "status" in item and "S" in item["status"]:
        snap.status = str(item["status"]["S"])
    return snap


def _put_snapshot(
    ddb: DynamoDBClient, table: str, key: str, snap: Snapshot, reason: str, now: float, retry: Retry
) -> None:
    item: dict[str, Any] = {
        DETECTOR_KEY: {"S": key},
        "status": {"S": snap.status},
        "reason": {"S": reason[:1000]},
        "checked_at": {"S": iso_now(now)},
    }
    if snap.healthy is not None:
        item["healthy"] = {"BOOL": snap.healthy}
    if snap.last_change is not None:
        item["last_change"] = {"N": repr(round(snap.last_change, 3))}
    if snap.text is not None:
        item["text"] = {"B": zlib.compress(snap.text.encode("utf-8"), 6)}
    retry.call(f"DynamoDB PutItem {table}[{key}]", lambda: ddb.put_item(TableName=table, Item=item))


def _distribution_key(domain: str) -> str:
    return f"distribution:{domain}"


# ---------------------------------------------------------------------------
# one pass


def _load(url: str, cfg: DetectorConfig) -> hlspp.MasterPlaylist | hlspp.MediaPlaylist:
    return hlspp.load(url, timeout=cfg.timeout, max_bytes=cfg.max_bytes)


def _fetch_error(url: str, e: Exception) -> str:
    if isinstance(e, hlspp.ParseError):
        text = f"{url}: cannot parse: {e.line}:{e.column}: {e.code}: {e.message}"
    else:
        text = str(e)
    return " ".join(text.split())  # one line (urllib's redirect-loop reason has several)


def _media_urls(master: hlspp.MasterPlaylist, base: str) -> list[str]:
    refs: list[Optional[str]] = [v.uri for v in master.variants]
    refs += [r.uri for r in master.renditions]
    refs += [v.uri for v in master.iframe_variants]
    urls: list[str] = []
    for ref in refs:
        if ref:
            u = hlspp.resolve_uri(base, ref)
            if u not in urls:
                urls.append(u)
    return urls


def _cdn_url_for(origin_master: str, media_url: str, cdn_master: str) -> str:
    rel = hlspp.relativize_uri(origin_master, media_url)
    return hlspp.resolve_uri(cdn_master, rel if rel is not None else urlsplit(media_url).path)


def _check_media(
    url: str,
    snap: Optional[Snapshot],
    cfg: DetectorConfig,
    now: float,
) -> tuple[PlaylistCheck, Snapshot, Optional[hlspp.MediaPlaylist]]:
    prev_healthy = snap.healthy if snap else None
    new = Snapshot(
        text=snap.text if snap else None,
        last_change=snap.last_change if snap else None,
        status="error",
        healthy=False,
    )
    try:
        pl = _load(url, cfg)
    except (hlspp.FetchError, hlspp.ParseError) as e:
        return PlaylistCheck(url, False, "error", _fetch_error(url, e), prev_healthy), new, None
    if not isinstance(pl, hlspp.MediaPlaylist):
        return (
            PlaylistCheck(
                url, False, "error", f"{url}: a multivariant playlist where a media playlist was expected", prev_healthy
            ),
            new,
            None,
        )
    td = float(pl.target_duration) if pl.target_duration else None
    text = pl.dumps()
    if len(pl.segments) == 0 and not pl.endlist:
        return PlaylistCheck(url, False, "error", f"{url}: no segments", prev_healthy, td), new, None
    if snap is None or snap.text is None or snap.last_change is None:
        new.text, new.last_change, new.status, new.healthy = text, now, "first", True
        return PlaylistCheck(url, True, "first", "first snapshot", prev_healthy, td), new, pl
    try:
        previous = hlspp.parse(snap.text)
    except hlspp.ParseError:
        previous = None
    if not isinstance(previous, hlspp.MediaPlaylist):
        new.text, new.last_change, new.status, new.healthy = text, now, "first", True
        return (
            PlaylistCheck(url, True, "first", "previous snapshot unreadable; starting over", prev_healthy, td),
            new,
            pl,
        )
    elapsed = max(now - snap.last_change, 0.0)
    d = hlspp.diff(previous, pl, elapsed=elapsed, stale_factor=cfg.stale_factor, stuck_factor=cfg.stuck_factor)
    status = d.status
    healthy = status in ("advanced", "unchanged", "ended")
    if status in ("advanced", "reset"):
        new.last_change = now
    if status in ("stale", "stuck"):
        reason = f"no new segment for {elapsed:.1f} s (target duration {td or 0:g} s): {status}"
    elif status in ("invalid-update", "reset"):
        errs = [f"{v.line}:{v.column}: {v.code}: {v.message}" for v in d.violations if v.severity == "error"]
        reason = f"{status}: " + ("; ".join(errs[:3]) if errs else "media sequence went back")
    elif status == "advanced":
        reason = f"advanced by {d.segments_added} segment(s)"
    elif status == "ended":
        reason = "EXT-X-ENDLIST"
    else:
        reason = f"unchanged for {elapsed:.1f} s"
    new.text, new.status, new.healthy = text, status, healthy
    return PlaylistCheck(url, healthy, status, reason, prev_healthy, td), new, pl


def _message(
    cfg: DetectorConfig,
    scope: str,
    url: str,
    prev: Optional[bool],
    check_healthy: bool,
    status: str,
    reason: str,
    at: str,
    **extra: Any,
) -> dict[str, Any]:
    def word(h: Optional[bool]) -> Optional[str]:
        return None if h is None else ("healthy" if h else "unhealthy")

    msg: dict[str, Any] = {
        "version": MESSAGE_VERSION,
        "type": "hlspp.detector.transition",
        "scope": scope,
        "region": cfg.region,
        "domain": cfg.domain,
        "url": url,
        "origin_url": cfg.origin_url,
        "cdn_url": cfg.cdn_url,
        "from": word(prev),
        "to": word(check_healthy),
        "status": status,
        "reason": reason,
        "at": at,
    }
    msg.update(extra)
    return msg


def run_pass(
    cfg: DetectorConfig,
    clients: Clients,
    *,
    clock: Callable[[], float] = time.time,
    retry: Optional[Retry] = None,
) -> PassResult:
    """One detector pass (see the module doc). Raises DetectorError when DynamoDB,
    SNS or CloudWatch fail; nothing claims fresh then."""
    r = retry or Retry.from_env()
    ddb = clients.dynamodb
    now = clock()
    at = iso_now(now)
    result = PassResult(cfg.region, cfg.domain, cfg.origin_url, healthy=False, reason="", at=at)
    try:
        dist_prev = _get_snapshot(ddb, cfg.detector_table, _distribution_key(cfg.domain), r)
        new_snaps: dict[str, Snapshot] = {}
        reasons: dict[str, str] = {}
        master_error: Optional[str] = None
        try:
            top = _load(cfg.origin_url, cfg)
        except (hlspp.FetchError, hlspp.ParseError) as e:
            master_error = _fetch_error(cfg.origin_url, e)
            top = None
        if top is None:
            urls: list[str] = []
        elif isinstance(top, hlspp.MasterPlaylist):
            urls = _media_urls(top, top.base_uri or cfg.origin_url)
            if not urls:
                master_error = f"{cfg.origin_url}: the multivariant playlist names no media playlist"
        else:
            urls = [cfg.origin_url]
        origin_master = (top.base_uri if top is not None else None) or cfg.origin_url
        snaps = {url: _get_snapshot(ddb, cfg.detector_table, url, r) for url in urls}

        def check_one(url: str) -> tuple[PlaylistCheck, Snapshot]:
            check, new, pl = _check_media(url, snaps[url], cfg, now)
            if pl is not None and cfg.cdn_url and check.healthy:
                cdn = (
                    _cdn_url_for(origin_master, url, cfg.cdn_url)
                    if isinstance(top, hlspp.MasterPlaylist)
                    else cfg.cdn_url
                )
                check.cdn_url = cdn
                try:
                    cdn_pl = _load(cdn, cfg)
                    if not isinstance(cdn_pl, hlspp.MediaPlaylist):
                        raise hlspp.FetchError(f"{cdn}: not a media playlist", source=cdn)
                    lag = hlspp.lag(pl, cdn_pl)
                    check.lag_seconds = lag.seconds_behind
                    if lag.player_stall:
                        check.healthy, check.status = False, "lagging"
                        check.reason = (
                            f"CDN copy {cdn} is {lag.seconds_behind:.1f} s "
                            f"({lag.segments_behind} segments) behind the origin"
                        )
                except (hlspp.FetchError, hlspp.ParseError) as e:
                    check.healthy, check.status, check.reason = False, "error", "CDN: " + _fetch_error(cdn, e)
            return check, new

        # fetch in parallel: one slow playlist must not delay the others' verdicts
        with ThreadPoolExecutor(max_workers=max(1, min(_WORKERS, len(urls)))) as pool:
            checked = list(pool.map(check_one, urls))
        for url, (check, new) in zip(urls, checked):
            new_snaps[url] = new
            reasons[url] = check.reason
            result.playlists.append(check)
            if check.target_duration:
                td = check.target_duration
                result.min_target_duration = (
                    td if result.min_target_duration is None else min(td, result.min_target_duration)
                )
        if master_error is not None:
            result.playlists.insert(0, PlaylistCheck(cfg.origin_url, False, "error", master_error))
        result.unhealthy = sum(1 for c in result.playlists if not c.healthy)
        lags = [c.lag_seconds for c in result.playlists if c.lag_seconds is not None]
        result.worst_lag_seconds = max(lags) if lags else None
        result.healthy = result.unhealthy == 0 and bool(result.playlists)
        bad = [c for c in result.playlists if not c.healthy]
        if result.healthy:
            result.reason = f"all {len(result.playlists)} media playlists advancing"
        else:
            result.reason = (
                f"{len(bad)} of {len(result.playlists)} playlists unhealthy: "
                + "; ".join(c.reason for c in bad[:3])
                + (" ..." if len(bad) > 3 else "")
            )

        # transitions: a change of health, or a first observation that is unhealthy
        for c in result.playlists:
            if c.previous_healthy != c.healthy and (c.previous_healthy is not None or not c.healthy):
                result.transitions.append(
                    _message(cfg, "playlist", c.url, c.previous_healthy, c.healthy, c.status, c.reason, at)
                )
        dist_prev_healthy = dist_prev.healthy if dist_prev else None
        if dist_prev_healthy != result.healthy and (dist_prev_healthy is not None or not result.healthy):
            result.transitions.append(
                _message(
                    cfg,
                    "distribution",
                    cfg.origin_url,
                    dist_prev_healthy,
                    result.healthy,
                    "healthy" if result.healthy else "unhealthy",
                    result.reason,
                    at,
                    unhealthy_playlists=result.unhealthy,
                    playlists=len(result.playlists),
                )
            )

    except StateError as e:  # the snapshots could not be read: decide nothing
        raise DetectorError(f"detector {cfg.domain}: {e}; playlist_fresh not written") from None

    # Side effects, most important first; one failing does not stop the others.
    # The snapshots are written only when the transitions were sent, so a failed
    # SNS publish is retried by the next pass (at-least-once).
    errors: list[str] = []
    if cfg.state_table:
        try:
            set_playlist_fresh(ddb, cfg.state_table, cfg.domain, result.healthy, result.reason, now=now, retry=r)
        except StateError as e:
            errors.append(f"{e} (playlist_fresh not written)")
    sent = True
    if clients.sns is not None and cfg.topic_arn:
        try:
            for msg in result.transitions:
                _publish(clients.sns, cfg.topic_arn, msg)
        except StateError as e:
            sent = False
            errors.append(f"{e} (transitions will be sent again)")
    if clients.cloudwatch is not None and cfg.namespace:
        try:
            _put_metrics(clients.cloudwatch, cfg, result, now)
        except StateError as e:
            errors.append(str(e))
    if sent:
        try:
            for url, snap in new_snaps.items():
                _put_snapshot(ddb, cfg.detector_table, url, snap, reasons[url], now, r)
            _put_snapshot(
                ddb,
                cfg.detector_table,
                _distribution_key(cfg.domain),
                Snapshot(healthy=result.healthy, status="healthy" if result.healthy else "unhealthy"),
                result.reason,
                now,
                r,
            )
        except StateError as e:
            errors.append(f"{e} (snapshots not saved)")
    if errors:
        raise DetectorError(f"detector {cfg.domain}: " + "; ".join(errors), result)
    return result


def _publish(sns: SNSClient, topic: str, msg: dict[str, Any]) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    subject = f"hlspp detector: {msg['domain']} {msg['scope']} {msg['to']}"[:100]
    try:
        sns.publish(
            TopicArn=topic,
            Subject=subject,
            Message=json.dumps(msg, sort_keys=True),
            MessageAttributes={
                "scope": {"DataType": "String", "StringValue": str(msg["scope"])},
                "to": {"DataType": "String", "StringValue": str(msg["to"])},
            },
        )
    except (BotoCoreError, ClientError) as e:
        raise StateError(f"SNS Publish to {topic} failed: {e}") from None


def _put_metrics(cw: CloudWatchClient, cfg: DetectorConfig, result: PassResult, now: float) -> None:
    from datetime import datetime, timezone

    from botocore.exceptions import BotoCoreError, ClientError

    ts = datetime.fromtimestamp(now, timezone.utc)
    dims = [{"Name": "Region", "Value": cfg.region}]
    data: list[Any] = [
        {
            "MetricName": "UnhealthyPlaylists",
            "Dimensions": dims,
            "Timestamp": ts,
            "Value": float(result.unhealthy),
            "Unit": "Count",
        },
        {
            "MetricName": "Playlists",
            "Dimensions": dims,
            "Timestamp": ts,
            "Value": float(len(result.playlists)),
            "Unit": "Count",
        },
    ]
    if result.worst_lag_seconds is not None:
        data.append(
            {
                "MetricName": "WorstLagSeconds",
                "Dimensions": dims,
                "Timestamp": ts,
                "Value": float(result.worst_lag_seconds),
                "Unit": "Seconds",
            }
        )
    try:
        cw.put_metric_data(Namespace=cfg.namespace, MetricData=data)
    except (BotoCoreError, ClientError) as e:
        raise StateError(f"CloudWatch PutMetricData failed: {e}") from None


# ---------------------------------------------------------------------------
# entry points


def run(
    cfg: DetectorConfig,
    clients: Optional[Clients] = None,
    *,
    seconds: Optional[float] = None,
    count: Optional[int] = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    on_pass: Optional[Callable[[PassResult], None]] = None,
    on_error: Optional[Callable[[DetectorError], None]] = None,
) -> list[PassResult]:
    """Passes until ``seconds`` have elapsed or ``count`` passes were made (both
    None: one pass). The pause between passes is cfg.poll_seconds, else half the
    smallest target duration seen (at least 0.5 s).

    A failed pass raises DetectorError, unless ``on_error`` is given: then it gets
    the error and the passes go on; the error is raised at the end only when the
    last pass failed. Returns the results of the passes that completed."""
    c = clients or Clients.create(cfg)
    start = clock()
    results: list[PassResult] = []
    passes = 0
    while True:
        passes += 1
        failed: Optional[DetectorError] = None
        try:
            res: Optional[PassResult] = run_pass(cfg, c, clock=clock)
        except DetectorError as e:
            if on_error is None:
                raise
            on_error(e)
            failed, res = e, None
        if res is not None:
            results.append(res)
            if on_pass is not None:
                on_pass(res)
        td = res.min_target_duration if res is not None else None
        pause = cfg.poll_seconds or max(0.5, (td or 2.0) / 2)
        done = (
            (count is not None and passes >= count)
            or (seconds is None and count is None)
            or (seconds is not None and clock() + pause - start > seconds)
        )
        if done:
            if failed is not None:
                raise failed
            return results
        sleep(pause)


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (EventBridge scheduled event). Returns the last pass's
    result; raises DetectorError when a pass could not complete."""
    cfg = DetectorConfig.from_env()
    seconds = cfg.run_seconds
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining) and seconds > 0:
        seconds = min(seconds, max(0.0, remaining() / 1000.0 - 2 * cfg.timeout - 5))
    log.info("detector %s: event %s", cfg.domain, event.get("id"))
    results = run(cfg, seconds=seconds if seconds > 0 else None)
    last = results[-1]
    for t in last.transitions:
        log.warning("transition: %s", json.dumps(t, sort_keys=True))
    out = last.to_dict()
    out["passes"] = len(results)
    return out
