# SPDX-License-Identifier: MIT
"""Publish a (merged) master playlist to every region's bucket, all or nothing.

    result = publish(text, ["cvs-east@us-east-1", "cvs-west@us-west-2"], key="live/master.m3u8",
                     distribution_ids=["E2ABC"])

Steps: refuse a playlist with validation errors; read what every bucket holds
now (a bucket that cannot be read stops everything before any write); upload
to the buckets whose object differs, read each back and compare; on any
failure put back the previous objects (or delete the new ones) in the buckets
already written, so that no bucket holds a different playlist from the
others; create a CloudFront invalidation of the key only when an existing
object was replaced.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal, Optional, Union

import hlspp

if TYPE_CHECKING:
    from mypy_boto3_cloudfront.client import CloudFrontClient
    from mypy_boto3_s3.client import S3Client

__all__ = [
    "CONTENT_TYPE",
    "DEFAULT_CACHE_CONTROL",
    "Bucket",
    "BucketOutcome",
    "PublishError",
    "PublishResult",
    "publish",
]

CONTENT_TYPE = "application/vnd.apple.mpegurl"
#: A merged master changes rarely, but a changed one should reach players soon.
DEFAULT_CACHE_CONTROL = "max-age=60"

Action = Literal["created", "replaced", "unchanged", "failed", "restored", "deleted", "rollback-failed", "skipped"]


@dataclass(frozen=True)
class Bucket:
    """A bucket and its region (None: the default region)."""

    name: str
    region: Optional[str] = None

    @classmethod
    def parse(cls, spec: Union[str, Bucket]) -> Bucket:
        """``"name"`` or ``"name@region"``."""
        if isinstance(spec, Bucket):
            return spec
        name, _, region = spec.partition("@")
        name, region = name.strip(), region.strip()
        if not name:
            raise ValueError(f"bad bucket {spec!r}: expected NAME or NAME@REGION")
        return cls(name, region or None)

    def __str__(self) -> str:
        return self.name + (f"@{self.region}" if self.region else "")


@dataclass
class BucketOutcome:
    bucket: str
    region: Optional[str]
    action: Action
    error: Optional[str] = None


@dataclass
class PublishResult:
    key: str
    ok: bool
    #: True when at least one bucket got new bytes.
    changed: bool
    sha256: str
    buckets: list[BucketOutcome] = field(default_factory=list)
    #: distribution id -> invalidation id
    invalidations: dict[str, str] = field(default_factory=dict)
    error: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "ok": self.ok,
            "changed": self.changed,
            "sha256": self.sha256,
            "buckets": [vars(b) for b in self.buckets],
            "invalidations": dict(self.invalidations),
            "error": self.error,
        }


class PublishError(hlspp.Error):
    """Publishing failed; ``.result`` says what each bucket holds now."""

    def __init__(self, message: str, result: Optional[PublishResult] = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class _Previous:
    body: bytes
    content_type: Optional[str]
    cache_control: Optional[str]


S3Factory = Callable[[Optional[str]], "S3Client"]


def _default_s3(region: Optional[str]) -> S3Client:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        region_name=region,
        config=Config(connect_timeout=5, read_timeout=15, retries={"max_attempts": 3, "mode": "standard"}),
    )


def _default_cloudfront() -> CloudFrontClient:
    import boto3

    return boto3.client("cloudfront", region_name="us-east-1")


def _error_text(e: Exception) -> str:
    from botocore.exceptions import ClientError

    if isinstance(e, ClientError):
        err = e.response.get("Error", {})
        code = str(err.get("Code", "")) or "error"
        msg = str(err.get("Message", ""))
        return f"{code}: {msg}" if msg and msg != code else code
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__


def _read(s3: S3Client, bucket: str, key: str) -> Optional[_Previous]:
    from botocore.exceptions import ClientError

    try:
        obj = s3.get_object(Bucket=bucket, Key=key)
    except ClientError as e:
        code = str(e.response.get("Error", {}).get("Code", ""))
        if code in ("NoSuchKey", "404"):
            return None
        raise
    with obj["Body"] as body:
        data = body.read()
    return _Previous(data, obj.get("ContentType"), obj.get("CacheControl"))


def check_playlist(body: bytes) -> None:
    """Raises PublishError when ``body`` is not a playlist without validation errors."""
    try:
        pl = hlspp.parse(body)
    except hlspp.ParseError as e:
        raise PublishError(f"not publishing: the playlist does not parse: {e}") from None
    errors = [d for d in hlspp.validate(pl) if d.severity == "error"]
    if errors:
        d = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise PublishError(
            f"not publishing: the playlist does not validate: {d.line}:{d.column}: {d.code}: {d.message}{more}"
        )


def publish(
    playlist: Union[str, bytes],
    buckets: Iterable[Union[str, Bucket]],
    key: str,
    *,
    distribution_ids: Sequence[str] = (),
    cache_control: str = DEFAULT_CACHE_CONTROL,
    s3: Optional[S3Factory] = None,
    cloudfront: Optional[CloudFrontClient] = None,
) -> PublishResult:
    """Publishes ``playlist`` at ``key`` in every bucket (see the module doc).

    Returns the result when every bucket holds the playlist; raises PublishError
    (with ``.result``) when the playlist is invalid, a bucket failed (the others
    are then rolled back) or the invalidation failed (the buckets are consistent).
    """
    body = playlist.encode("utf-8") if isinstance(playlist, str) else bytes(playlist)
    targets = [Bucket.parse(b) for b in buckets]
    if not targets:
        raise ValueError("publish needs at least one bucket")
    if len({t.name for t in targets}) != len(targets):
        raise ValueError("a bucket is listed twice")
    key = key.lstrip("/")
    if not key:
        raise ValueError("the key is empty")
    check_playlist(body)
    make_s3 = s3 or _default_s3
    result = PublishResult(key=key, ok=False, changed=False, sha256=hashlib.sha256(body).hexdigest())

    clients: dict[Optional[str], S3Client] = {}

    def client(t: Bucket) -> S3Client:
        if t.region not in clients:
            clients[t.region] = make_s3(t.region)
        return clients[t.region]

    # 1. what every bucket holds now (nothing is written if one cannot be read)
    previous: list[Optional[_Previous]] = []
    for t in targets:
        try:
            previous.append(_read(client(t), t.name, key))
        except Exception as e:  # noqa: BLE001 - any failure: stop before writing
            why = _error_text(e)
            result.buckets = [
                BucketOutcome(x.name, x.region, "failed" if x is t else "skipped", why if x is t else None)
                for x in targets
            ]
            result.error = f"bucket {t}: cannot read s3://{t.name}/{key}: {why}; nothing was written"
            raise PublishError(result.error, result) from None

    # 2. write where the bytes differ, read back, compare
    outcomes = [BucketOutcome(t.name, t.region, "unchanged") for t in targets]
    written: list[int] = []
    failure: Optional[str] = None
    for i, t in enumerate(targets):
        prev = previous[i]
        if (
            prev is not None
            and prev.body == body
            and prev.cache_control == cache_control
            and prev.content_type == CONTENT_TYPE
        ):
            continue
        written.append(i)
        try:
            client(t).put_object(
                Bucket=t.name, Key=key, Body=body, ContentType=CONTENT_TYPE, CacheControl=cache_control
            )
            back = _read(client(t), t.name, key)
            if back is None or back.body != body:
                raise RuntimeError("read back different bytes")
        except Exception as e:  # noqa: BLE001
            outcomes[i] = BucketOutcome(t.name, t.region, "failed", _error_text(e))
            failure = f"bucket {t}: upload of s3://{t.name}/{key} failed: {_error_text(e)}"
            break
        if prev is None:
            outcomes[i].action = "created"
        elif prev.body != body:
            outcomes[i].action = "replaced"
        # same bytes, new headers: "unchanged" (no invalidation needed for the body)

    result.buckets = outcomes
    if failure is not None:
        # 3. roll back every bucket written so far (the failed one too: a put may have landed)
        notes: list[str] = []
        for i in written:
            t, prev, o = targets[i], previous[i], outcomes[i]
            try:
                if o.action == "failed":
                    # the failed put may or may not have landed: look before writing
                    now = _read(client(t), t.name, key)
                    if (now.body if now else None) == (prev.body if prev else None):
                        continue
                if prev is None:
                    client(t).delete_object(Bucket=t.name, Key=key)
                    if _read(client(t), t.name, key) is not None:
                        raise RuntimeError("object still there after delete")
                    action: Action = "deleted"
                else:
                    put: dict[str, Any] = {"Bucket": t.name, "Key": key, "Body": prev.body}
                    if prev.content_type:
                        put["ContentType"] = prev.content_type
                    if prev.cache_control:
                        put["CacheControl"] = prev.cache_control
                    client(t).put_object(**put)
                    back = _read(client(t), t.name, key)
                    if back is None or back.body != prev.body:
                        raise RuntimeError("read back different bytes after restore")
                    action = "restored"
                if o.action != "failed":
                    o.action = action
            except Exception as e:  # noqa: BLE001
                o.action = "rollback-failed"
                o.error = _error_text(e)
                notes.append(f"ROLLBACK FAILED for bucket {t}: {_error_text(e)}")
        result.error = failure + ("; " + "; ".join(notes) if notes else "; the other buckets were rolled back")
        raise PublishError(result.error, result)

    result.changed = any(o.action in ("created", "replaced") for o in outcomes)
    result.ok = True
    # 4. invalidate only when an object that viewers may have cached was replaced
    if distribution_ids and any(o.action == "replaced" for o in outcomes):
        cf = cloudfront or _default_cloudfront()
        for dist in distribution_ids:
            try:
                out = cf.create_invalidation(
                    DistributionId=dist,
                    InvalidationBatch={
                        "Paths": {"Quantity": 1, "Items": ["/" + key]},
                        "CallerReference": f"hlspp-{result.sha256[:16]}-{time.time_ns()}",
                    },
                )
                result.invalidations[dist] = out["Invalidation"]["Id"]
            except Exception as e:  # noqa: BLE001
                result.ok = False
                result.error = (
                    f"distribution {dist}: invalidation of /{key} failed: {_error_text(e)} "
                    "(every bucket holds the new playlist)"
                )
        if not result.ok:
            raise PublishError(result.error or "invalidation failed", result)
    return result
