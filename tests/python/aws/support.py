# SPDX-License-Identifier: MIT
"""Helpers and fixtures of the AWS tooling tests (conftest.py exposes the
fixtures): moto in server mode on 127.0.0.1 (real HTTP, real boto3), a
fault-injecting HTTP proxy in front of it, and live HLS origins on loopback
that tests advance, freeze and break.

Everything is skipped when boto3 or moto is not installed."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional

import pytest
from hlspp.aws.publish import Bucket

try:
    import boto3  # noqa: F401
    from moto.server import ThreadedMotoServer

    HAVE_AWS = True
except ImportError:  # pragma: no cover - CI installs them
    HAVE_AWS = False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------------
# moto


@dataclass
class Moto:
    url: str

    def reset(self) -> None:
        req = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as r:
            r.read()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Moto]:
    if not HAVE_AWS:
        pytest.skip("boto3 and moto[server] are needed for the AWS tests")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield Moto(f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture
def aws(moto_server: Moto, monkeypatch: pytest.MonkeyPatch) -> Iterator[Moto]:
    """A clean moto account; boto3 clients made with no endpoint go to it."""
    moto_server.reset()
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("HLSPP_DDB_ATTEMPTS", "3")
    monkeypatch.setenv("HLSPP_DDB_BACKOFF", "0.05")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    yield moto_server


def client(service: str, endpoint: str, region: str = "us-east-1", **config: Any) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,  # type: ignore[call-overload]
        region_name=region,
        endpoint_url=endpoint,
        config=Config(**config) if config else None,
    )


# ---------------------------------------------------------------------------
# fault-injecting proxy (in front of moto)

Rule = Callable[[str, str, dict[str, str], bytes], Optional[tuple[int, dict[str, str], bytes]]]


class FaultProxy:
    """Forwards every request to ``target`` unless a rule answers it first."""

    def __init__(self, target: str) -> None:
        self.target = target.split("://", 1)[1]
        self.rules: list[Rule] = []
        self.requests: list[tuple[str, str, str]] = []  # method, path, X-Amz-Target
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items()}
                proxy.requests.append((self.command, self.path, headers.get("X-Amz-Target", "")))
                for rule in list(proxy.rules):
                    answer = rule(self.command, self.path, headers, body)
                    if answer is not None:
                        status, h, out = answer
                        self.send_response(status)
                        for k, v in h.items():
                            self.send_header(k, v)
                        self.send_header("Content-Length", str(len(out)))
                        self.end_headers()
                        self.wfile.write(out)
                        return
                conn = http.client.HTTPConnection(proxy.target, timeout=30)
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    r = conn.getresponse()
                    data = r.read()
                    self.send_response(r.status)
                    for k, v in r.getheaders():
                        if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                finally:
                    conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def count(self, method: str, path_prefix: str = "", target: str = "") -> int:
        return sum(1 for m, p, t in self.requests if m == method and p.startswith(path_prefix) and t.endswith(target))


@pytest.fixture
def fault_proxy(aws: Moto) -> Iterator[FaultProxy]:
    p = FaultProxy(aws.url)
    p.thread.start()
    try:
        yield p
    finally:
        p.httpd.shutdown()
        p.httpd.server_close()


def dynamodb_error(code: str, message: str, status: int = 400) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}).encode()
    return status, {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": code}, body


# ---------------------------------------------------------------------------
# live origin: a multivariant playlist, two variants, an audio rendition and an
# I-frame playlist; /origin/... is the origin, /cdn/... a copy `cdn_lag` behind


@dataclass
class LiveStream:
    target_duration: int = 1
    window: int = 4
    seq: int = 100
    cdn_lag: int = 0
    #: path (or "*") -> fault: 404, 500, slow, garbage, redirect, oversized, binary, empty
    faults: dict[str, str] = field(default_factory=dict)
    slow_seconds: float = 3.0
    #: BANDWIDTH of the first variant (change it to change the ladder)
    bandwidth: int = 1200000
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    MEDIA = ("v1.m3u8", "v2.m3u8", "audio.m3u8", "iframe.m3u8")

    def advance(self, n: int = 1) -> None:
        with self.lock:
            self.seq += n

    def master(self) -> str:
        return (
            "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",LANGUAGE="en",DEFAULT=YES,'
            'AUTOSELECT=YES,URI="audio.m3u8"\n'
            f"#EXT-X-STREAM-INF:BANDWIDTH={self.bandwidth},AVERAGE-BANDWIDTH=1100000,RESOLUTION=640x360,"
            'CODECS="avc1.4d401e,mp4a.40.2",AUDIO="aud"\nv1.m3u8\n'
            "#EXT-X-STREAM-INF:BANDWIDTH=2500000,AVERAGE-BANDWIDTH=2300000,RESOLUTION=1280x720,"
            'CODECS="avc1.4d401f,mp4a.40.2",AUDIO="aud"\nv2.m3u8\n'
            '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=300000,RESOLUTION=640x360,CODECS="avc1.4d401e",'
            'URI="iframe.m3u8"\n'
        )

    def media(self, name: str, seq: int) -> str:
        stem = name.split(".")[0]
        iframe = name == "iframe.m3u8"
        lines = [
            "#EXTM3U",
            f"#EXT-X-VERSION:{4 if iframe else 3}",
            f"#EXT-X-TARGETDURATION:{self.target_duration}",
            f"#EXT-X-MEDIA-SEQUENCE:{seq}",
        ]
        if iframe:
            lines.append("#EXT-X-I-FRAMES-ONLY")
        for n in range(seq, seq + self.window):
            lines.append(f"#EXTINF:{self.target_duration:.3f},")
            if iframe:
                lines.append("#EXT-X-BYTERANGE:1000@0")
                lines.append(f"v1_{n}.ts")
            else:
                lines.append(f"{stem}_{n}.ts")
        return "\n".join(lines) + "\n"

    def respond(self, path: str) -> tuple[int, dict[str, str], bytes, float]:
        """status, headers, body, delay"""
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            fault = self.faults.get(path) or self.faults.get("*")
            seq = self.seq
        m3u8 = {"Content-Type": "application/vnd.apple.mpegurl"}
        if fault == "404":
            return 404, {}, b"not found\n", 0
        if fault == "500":
            return 500, {}, b"origin error\n", 0
        if fault == "redirect":
            return 302, {"Location": path}, b"", 0
        if fault == "garbage":
            return 200, {"Content-Type": "text/html"}, b"<html><body>Service Unavailable</body></html>\n", 0
        if fault == "binary":
            return 200, m3u8, bytes(range(256)) * 4, 0
        if fault == "empty":
            return 200, m3u8, b"", 0
        if fault == "oversized":
            return 200, m3u8, b"#EXTM3U\n" + b"#" * (200 * 1024) + b"\n", 0
        delay = self.slow_seconds if fault == "slow" else 0.0
        prefix, _, name = path.lstrip("/").partition("/")
        if prefix not in ("origin", "cdn"):
            return 404, {}, b"", 0
        if prefix == "cdn":
            seq -= self.cdn_lag
        if name == "master.m3u8":
            return 200, m3u8, self.master().encode(), delay
        if name in self.MEDIA:
            return 200, m3u8, self.media(name, seq).encode(), delay
        return 404, {}, b"", 0


class LiveServer:
    def __init__(self, stream: LiveStream) -> None:
        self.stream = stream
        srv = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                status, headers, body, delay = srv.stream.respond(self.path.split("?")[0])
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return self.base + "/origin/master.m3u8"

    @property
    def cdn(self) -> str:
        return self.base + "/cdn/master.m3u8"

    def media(self, name: str, prefix: str = "origin") -> str:
        return f"{self.base}/{prefix}/{name}"


def _serve(stream: LiveStream) -> Iterator[LiveServer]:
    s = LiveServer(stream)
    s.thread.start()
    try:
        yield s
    finally:
        s.httpd.shutdown()
        s.httpd.server_close()


@pytest.fixture
def live() -> Iterator[LiveServer]:
    yield from _serve(LiveStream())


@pytest.fixture
def live2() -> Iterator[LiveServer]:
    """A second region's origin."""
    yield from _serve(LiveStream())


@pytest.fixture
def closed_port() -> int:
    return free_port()


def scheduled_event(region: str = "us-east-1") -> dict[str, Any]:
    """An EventBridge scheduled event, as Lambda receives it."""
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "region": region,
        "resources": [f"arn:aws:events:{region}:123456789012:rule/hlspp-schedule"],
        "detail": {},
    }


# ---------------------------------------------------------------------------
# publishing: buckets in three regions, a CloudFront distribution

MASTER = (
    "#EXTM3U\n#EXT-X-VERSION:3\n"
    '#EXT-X-STREAM-INF:BANDWIDTH=1200000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"\n'
    "https://a.example/out/v1.m3u8\n"
    '#EXT-X-STREAM-INF:BANDWIDTH=1200000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"\n'
    "https://b.example/out/v1.m3u8\n"
)
MASTER2 = MASTER.replace("1200000", "1300000")
KEY = "live/master.m3u8"
BUCKETS = ["pl-east@us-east-1", "pl-west@us-west-2", "pl-eu@eu-west-1"]


def make_buckets(endpoint: str, specs: list[str] = BUCKETS) -> None:
    for spec in specs:
        b = Bucket.parse(spec)
        s3 = client("s3", endpoint, b.region or "us-east-1")
        if b.region and b.region != "us-east-1":
            s3.create_bucket(Bucket=b.name, CreateBucketConfiguration={"LocationConstraint": b.region})
        else:
            s3.create_bucket(Bucket=b.name)


def make_distribution(endpoint: str) -> str:
    cf = client("cloudfront", endpoint)
    out = cf.create_distribution(
        DistributionConfig={
            "CallerReference": "hlspp-test",
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "s3",
                        "DomainName": "pl-east.s3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "allow-all", "MinTTL": 0},
        }
    )
    return str(out["Distribution"]["Id"])


def invalidations(endpoint: str, dist: str) -> list[str]:
    cf = client("cloudfront", endpoint)
    out = cf.list_invalidations(DistributionId=dist)
    return [str(i["Id"]) for i in out["InvalidationList"].get("Items", [])]


def contents(endpoint: str, specs: list[str] = BUCKETS) -> dict[str, Any]:
    """bucket -> (body, content type, cache control) or None"""
    out: dict[str, Any] = {}
    for spec in specs:
        b = Bucket.parse(spec)
        s3 = client("s3", endpoint, b.region or "us-east-1")
        try:
            obj = s3.get_object(Bucket=b.name, Key=KEY)
        except s3.exceptions.NoSuchKey:
            out[b.name] = None
            continue
        out[b.name] = (obj["Body"].read(), obj.get("ContentType"), obj.get("CacheControl"))
    return out
