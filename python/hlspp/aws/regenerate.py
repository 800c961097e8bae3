# SPDX-License-Identifier: MIT
"""Scheduled re-merge of the regions' multivariant playlists (Lambda ``handler``,
run by an EventBridge schedule).

Each run fetches every region's playlist (DistributionPlaylistUrl), merges them
with hlspp.merge and publishes the result with hlspp.aws.publish, which writes
only when the merged bytes differ from what the buckets hold and invalidates
CloudFront only when an object was replaced. A region that cannot be fetched
stops the run (nothing is published) unless HLSPP_ALLOW_PARTIAL is set.

Configuration (environment):
    HLSPP_REGION_URLS          region playlist URLs, comma or space separated (required, 1+)
    HLSPP_IDS                  one id per region (merge ids / steering pathways)
    HLSPP_MERGE_MODE           redundant (default) or steering
    HLSPP_STEERING_URI         EXT-X-CONTENT-STEERING SERVER-URI (steering mode)
    HLSPP_DEFAULT_PATHWAY      EXT-X-CONTENT-STEERING PATHWAY-ID
    HLSPP_BUCKETS              NAME[@REGION] list (required)
    HLSPP_KEY                  object key (required), e.g. live/master.m3u8
    HLSPP_DISTRIBUTION_IDS     CloudFront distributions to invalidate on change
    HLSPP_CACHE_CONTROL        Cache-Control of the object (default max-age=60)
    HLSPP_ALLOW_PARTIAL        true: publish without the regions that failed
    HLSPP_ALLOW_PARTIAL_LADDER true: keep variants missing from some regions (merge allow_partial)
    HLSPP_FETCH_TIMEOUT        seconds per fetch (default 5)
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

import hlspp

from .publish import DEFAULT_CACHE_CONTROL, PublishError, PublishResult, S3Factory, publish

__all__ = [
    "ENV_VARS",
    "REQUIRED_ENV",
    "RegenerateConfig",
    "RegenerateError",
    "RegenerateFailed",
    "RegenerateResult",
    "handler",
    "regenerate",
]

log = logging.getLogger("hlspp.aws.regenerate")

_MAX_BYTES = 4 * 1024 * 1024

#: Every environment variable the handler reads, and the required ones (the
#: deploy templates' contract, checked by tests/python/aws/test_contract.py).
ENV_VARS = (
    "HLSPP_REGION_URLS",
    "HLSPP_IDS",
    "HLSPP_MERGE_MODE",
    "HLSPP_STEERING_URI",
    "HLSPP_DEFAULT_PATHWAY",
    "HLSPP_BUCKETS",
    "HLSPP_KEY",
    "HLSPP_DISTRIBUTION_IDS",
    "HLSPP_CACHE_CONTROL",
    "HLSPP_ALLOW_PARTIAL",
    "HLSPP_ALLOW_PARTIAL_LADDER",
    "HLSPP_FETCH_TIMEOUT",
)
REQUIRED_ENV = ("HLSPP_REGION_URLS", "HLSPP_BUCKETS", "HLSPP_KEY")


class RegenerateError(hlspp.Error):
    """Bad configuration."""


class RegenerateFailed(hlspp.Error):
    """A run that published nothing because a region, the merge or the publish
    failed (raised by :func:`handler` so that Lambda counts the invocation in its
    Errors metric). ``result`` is the run's result as a dict."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__(str(result.get("message", "")))
        self.result = result


def _list(raw: str) -> list[str]:
    return [x for x in re.split(r"[\s,]+", raw.strip()) if x]


def _flag(raw: str) -> bool:
    return raw.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class RegenerateConfig:
    urls: Sequence[str]
    buckets: Sequence[str]
    key: str
    ids: Optional[Sequence[str]] = None
    mode: Literal["redundant", "steering"] = "redundant"
    steering_uri: Optional[str] = None
    default_pathway: Optional[str] = None
    distribution_ids: Sequence[str] = ()
    cache_control: str = DEFAULT_CACHE_CONTROL
    allow_partial: bool = False
    allow_partial_ladder: bool = False
    timeout: float = 5.0

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> RegenerateConfig:
        e = os.environ if env is None else env
        urls = _list(e.get("HLSPP_REGION_URLS", ""))
        if not urls:
            raise RegenerateError("HLSPP_REGION_URLS (the regions' playlist URLs) is not set")
        buckets = _list(e.get("HLSPP_BUCKETS", ""))
        if not buckets:
            raise RegenerateError("HLSPP_BUCKETS (NAME[@REGION] list) is not set")
        key = e.get("HLSPP_KEY", "").strip()
        if not key:
            raise RegenerateError("HLSPP_KEY (the object key of the merged playlist) is not set")
        ids = _list(e.get("HLSPP_IDS", "")) or None
        if ids is not None and len(ids) != len(urls):
            raise RegenerateError(f"HLSPP_IDS has {len(ids)} ids for {len(urls)} region URLs")
        mode = e.get("HLSPP_MERGE_MODE", "redundant").strip() or "redundant"
        if mode not in ("redundant", "steering"):
            raise RegenerateError(f"HLSPP_MERGE_MODE={mode!r}: expected redundant or steering")
        try:
            timeout = float(e.get("HLSPP_FETCH_TIMEOUT", "5") or "5")
        except ValueError:
            raise RegenerateError("HLSPP_FETCH_TIMEOUT is not a number") from None
        return cls(
            urls=urls,
            buckets=buckets,
            key=key,
            ids=ids,
            mode="steering" if mode == "steering" else "redundant",
            steering_uri=e.get("HLSPP_STEERING_URI", "").strip() or None,
            default_pathway=e.get("HLSPP_DEFAULT_PATHWAY", "").strip() or None,
            distribution_ids=_list(e.get("HLSPP_DISTRIBUTION_IDS", "")),
            cache_control=e.get("HLSPP_CACHE_CONTROL", "").strip() or DEFAULT_CACHE_CONTROL,
            allow_partial=_flag(e.get("HLSPP_ALLOW_PARTIAL", "")),
            allow_partial_ladder=_flag(e.get("HLSPP_ALLOW_PARTIAL_LADDER", "")),
            timeout=timeout,
        )


@dataclass
class RegenerateResult:
    #: published, unchanged, error
    status: str
    message: str
    regions_ok: list[str] = field(default_factory=list)
    regions_failed: dict[str, str] = field(default_factory=dict)
    publish: Optional[dict[str, Any]] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "regions_ok": list(self.regions_ok),
            "regions_failed": dict(self.regions_failed),
            "publish": self.publish,
        }


def regenerate(cfg: RegenerateConfig, *, s3: Optional[S3Factory] = None, cloudfront: Any = None) -> RegenerateResult:
    """Fetch, merge, publish (see the module doc). Never raises for fetch, merge
    or publish failures: they are in the result (status "error")."""
    masters: list[hlspp.MasterPlaylist] = []
    ids: list[str] = []
    res = RegenerateResult(status="error", message="")
    for i, url in enumerate(cfg.urls):
        rid = cfg.ids[i] if cfg.ids else url
        try:
            pl = hlspp.load(url, timeout=cfg.timeout, max_bytes=_MAX_BYTES)
            if not isinstance(pl, hlspp.MasterPlaylist):
                raise hlspp.FetchError(f"{url}: a media playlist, not a multivariant playlist", source=url)
        except (hlspp.FetchError, hlspp.ParseError) as e:
            why = str(e) if isinstance(e, hlspp.FetchError) else f"{url}: cannot parse: {e}"
            res.regions_failed[url] = " ".join(why.split())  # one line
            continue
        masters.append(pl)
        ids.append(rid)
        res.regions_ok.append(url)
    if res.regions_failed and not cfg.allow_partial:
        res.message = (
            f"{len(res.regions_failed)} of {len(cfg.urls)} regions could not be fetched; not publishing a playlist "
            "without them (set HLSPP_ALLOW_PARTIAL=true to allow): " + "; ".join(res.regions_failed.values())
        )
        return res
    if not masters:
        res.message = "no region could be fetched: " + "; ".join(res.regions_failed.values())
        return res
    try:
        if len(masters) == 1:
            merged = masters[0]
            hlspp.rebase(merged)  # absolute URIs: the playlist is served from the buckets
        else:
            merged = hlspp.merge(
                masters,
                mode=cfg.mode,
                ids=ids if cfg.ids else None,
                steering_uri=cfg.steering_uri,
                default_pathway=cfg.default_pathway,
                allow_partial=cfg.allow_partial_ladder,
            )
        text = merged.dumps()
    except hlspp.Error as e:
        res.message = f"merge failed: {e}"
        return res
    try:
        out: PublishResult = publish(
            text,
            cfg.buckets,
            cfg.key,
            distribution_ids=cfg.distribution_ids,
            cache_control=cfg.cache_control,
            s3=s3,
            cloudfront=cloudfront,
        )
    except PublishError as e:
        res.message = f"publish failed: {e}"
        res.publish = e.result.to_dict() if e.result else None
        return res
    res.publish = out.to_dict()
    res.status = "published" if out.changed else "unchanged"
    partial = f" without {len(res.regions_failed)} failed region(s)" if res.regions_failed else ""
    res.message = (
        f"published s3 key {cfg.key} to {len(cfg.buckets)} bucket(s){partial}"
        + (f", invalidations {out.invalidations}" if out.invalidations else "")
        if out.changed
        else f"unchanged: every bucket already holds the merged playlist{partial}"
    )
    return res


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (EventBridge scheduled event): the run's result, or
    RegenerateFailed (holding it) when the run failed. A scheduled run has no
    caller to read a returned "error": only a failed invocation shows in the
    function's Errors metric, where an alarm can see it."""
    cfg = RegenerateConfig.from_env()
    res = regenerate(cfg)
    if res.status == "error":
        log.error("regenerate (event %s): %s", event.get("id"), res.message)
        raise RegenerateFailed(res.to_dict())
    log.info("regenerate (event %s): %s", event.get("id"), res.message)
    return res.to_dict()
