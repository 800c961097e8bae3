# SPDX-License-Identifier: MIT
"""The end-to-end rig: two regional "CloudFront distributions" serving a live
window of the same media, gated by the copilot handler against a DynamoDB state
table on moto server mode; a viewer server for the merged playlist, the player
page and hls.js; a content steering server in front of the steering handler.
Everything listens on 127.0.0.1 and is stopped by ``close()``.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from media import Media

HERE = Path(__file__).resolve().parent
WINDOW = 6  # segments in each live media playlist (12 s, like a short MediaPackage window)
PRELOAD = 6  # segments "already produced" when the stream starts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Request:
    t: float  # wall clock (time.time())
    server: str  # "a", "b", "viewer", "steering"
    path: str
    status: int
    kind: str  # "master", "media", "segment", "steering", "page", "other"


class Log:
    """Every request every server answered, in order (thread safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.items: list[Request] = []

    def add(self, r: Request) -> None:
        with self._lock:
            self.items.append(r)

    def snapshot(self) -> list[Request]:
        with self._lock:
            return list(self.items)


class _QuietHTTPServer(ThreadingHTTPServer):
    """Players and ffprobe drop connections they no longer need (a segment fetch
    abandoned on a level switch, a probe that has read enough): that is ordinary
    client behaviour, not a server fault, so it is not printed as a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 running in a thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = _QuietHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# --------------------------------------------------------------------------
# Live window

class LiveClock:
    """Sequence numbers from the wall clock, shared by both regions so their
    playlists name the same segments: at ``t`` the newest segment is number
    ``PRELOAD + (t - t0) // segment - 1``; segment ``s`` is file ``s % N``, a
    DISCONTINUITY where the media loops."""

    def __init__(self, media: Media, t0: float | None = None) -> None:
        self.media = media
        self.t0 = time.time() if t0 is None else t0

    def produced(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return PRELOAD + int((now - self.t0) // self.media.segment_seconds)

    def media_playlist(self, variant: int, now: float | None = None) -> str:
        v = self.media.variants[variant]
        n = len(v.segments)
        count = self.produced(now)
        first = max(0, count - WINDOW)
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{self.media.segment_seconds}",
                 f"#EXT-X-MEDIA-SEQUENCE:{first}", f"#EXT-X-DISCONTINUITY-SEQUENCE:{first // n}",
                 "#EXT-X-INDEPENDENT-SEGMENTS"]
        for s in range(first, count):
            if s % n == 0 and s > first:
                lines.append("#EXT-X-DISCONTINUITY")
            lines.append(f"#EXTINF:{v.segments[s % n][1]:.3f},")
            lines.append(f"index_{variant + 1}_{s:05d}.ts")
        return "\n".join(lines) + "\n"

    def segment_file(self, variant: int, seq: int) -> Path | None:
        if not 0 <= variant < len(self.media.variants) or seq < 0 or seq >= self.produced():
            return None
        v = self.media.variants[variant]
        return self.media.directory / v.name / v.segments[seq % len(v.segments)][0]

    def master(self) -> str:
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
        for i, v in enumerate(self.media.variants):
            lines.append(f"#EXT-X-STREAM-INF:BANDWIDTH={v.bandwidth},RESOLUTION={v.width}x{v.height},"
                         f'FRAME-RATE=30.000,CODECS="{v.codecs}"')
            lines.append(f"index_{i + 1}.m3u8")
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Regions: CloudFront distribution + Lambda@Edge copilot + origin

# The origin's CORS headers (MediaPackage answers every playlist and segment
# with Access-Control-Allow-Origin: *). The copilot's own responses are passed
# through as the handler generated them: CloudFront adds nothing to them here.
ORIGIN_CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "*"}


def origin_request_event(domain: str, method: str, path: str, query: str, headers: dict[str, str]) -> dict[str, Any]:
    """A CloudFront origin-request event (Lambda@Edge) for one viewer request."""
    cf_headers: dict[str, list[dict[str, str]]] = {}
    for k, v in headers.items():
        cf_headers.setdefault(k.lower(), []).append({"key": k, "value": v})
    cf_headers["host"] = [{"key": "Host", "value": domain}]
    return {"Records": [{"cf": {
        "config": {"distributionDomainName": domain, "distributionId": "E" + domain[:12].upper().replace(".", ""),
                   "eventType": "origin-request", "requestId": uuid.uuid4().hex},
        "request": {"clientIp": "127.0.0.1", "headers": cf_headers, "method": method,
                    "querystring": query, "uri": path,
                    "origin": {"custom": {"domainName": "origin.invalid", "port": 443, "protocol": "https",
                                          "path": "", "sslProtocols": ["TLSv1.2"], "readTimeout": 30,
                                          "keepaliveTimeout": 5, "customHeaders": {}}}},
    }}]}


class Region:
    """One region's distribution on its own port: each request goes through
    ``copilot(event)``; a returned response (closed distribution) is sent as is,
    a returned request is served by the origin (master, live media playlists,
    segments)."""

    PREFIX = "/out/v1/"

    def __init__(self, name: str, domain: str, clock: LiveClock, log: Log,
                 copilot: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.name, self.domain, self.clock, self.log = name, domain, clock, log
        self.copilot = copilot
        self.path = f"{self.PREFIX}{uuid.uuid5(uuid.NAMESPACE_DNS, domain).hex}/"
        self.errors: list[str] = []
        region = self

        class H(_Handler):
            def do_GET(self) -> None:  # noqa: N802
                region._serve(self)

            do_HEAD = do_GET  # noqa: N815

            def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight
                self.send(204, b"", {**ORIGIN_CORS, "Access-Control-Allow-Methods": "GET, HEAD",
                                     "Access-Control-Allow-Headers": "*"})

        self.server = _Server(H)

    @property
    def master_url(self) -> str:
        return f"{self.server.base}{self.path}index.m3u8"

    def _serve(self, h: _Handler) -> None:
        u = urlsplit(h.path)
        kind = ("master" if u.path.endswith("/index.m3u8") else "media" if u.path.endswith(".m3u8")
                else "segment" if u.path.endswith(".ts") else "other")
        event = origin_request_event(self.domain, h.command, u.path, u.query, dict(h.headers.items()))
        try:
            result = self.copilot(event)
        except Exception as e:  # a crashing Lambda@Edge function: CloudFront answers 502
            self.errors.append(f"{type(e).__name__}: {e}")
            result = {"status": "502", "statusDescription": "Bad Gateway", "headers": {}, "body": ""}
        if "status" in result:  # generated response
            status = int(result["status"])
            headers = {v["key"]: v["value"] for vals in result.get("headers", {}).values() for v in vals}
            body = result.get("body", "")
            data = body.encode() if isinstance(body, str) else bytes(body)
            self.log.add(Request(time.time(), self.name, u.path, status, kind))
            h.send(status, data, headers)
            return
        status, data, ctype = self._origin(result.get("uri", u.path))
        self.log.add(Request(time.time(), self.name, u.path, status, kind))
        h.send(status, data, {"Content-Type": ctype, "Cache-Control": "max-age=1" if kind == "media" else "max-age=60",
                              **ORIGIN_CORS})

    def _origin(self, path: str) -> tuple[int, bytes, str]:
        m3u8 = "application/vnd.apple.mpegurl"
        if not path.startswith(self.path):
            return 404, b"not found\n", "text/plain"
        name = path[len(self.path):]
        if name == "index.m3u8":
            return 200, self.clock.master().encode(), m3u8
        if name.startswith("index_") and name.endswith(".m3u8"):
            try:
                variant = int(name[6:-5]) - 1
            except ValueError:
                return 404, b"not found\n", "text/plain"
            if 0 <= variant < len(self.clock.media.variants):
                return 200, self.clock.media_playlist(variant).encode(), m3u8
        if name.startswith("index_") and name.endswith(".ts"):
            try:
                v, s = name[6:-3].split("_")
                f = self.clock.segment_file(int(v) - 1, int(s))
            except ValueError:
                f = None
            if f is not None:
                return 200, f.read_bytes(), "video/MP2T"
        return 404, b"not found\n", "text/plain"

    def close(self) -> None:
        self.server.close()


# --------------------------------------------------------------------------
# Viewer server (the merged playlist's distribution, the test page, hls.js)

class Viewer:
    def __init__(self, log: Log, hlsjs: Path) -> None:
        self.log = log
        self.files: dict[str, tuple[bytes, str]] = {
            "/player.html": ((HERE / "player.html").read_bytes(), "text/html; charset=utf-8"),
            "/hls.js": (hlsjs.read_bytes(), "text/javascript"),
        }
        viewer = self

        class H(_Handler):
            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                body, ctype = viewer.files.get(path, (b"not found\n", "text/plain"))
                status = 200 if path in viewer.files else 404
                kind = "master" if path.endswith(".m3u8") else "page"
                viewer.log.add(Request(time.time(), "viewer", path, status, kind))
                self.send(status, body, {"Content-Type": ctype, "Cache-Control": "no-cache"})

        self.server = _Server(H)

    def put(self, path: str, body: bytes, ctype: str = "application/vnd.apple.mpegurl") -> str:
        self.files[path] = (body, ctype)
        return self.server.base + path

    def close(self) -> None:
        self.server.close()


# --------------------------------------------------------------------------
# Steering server: Lambda function URL (payload format 2.0) on loopback

def function_url_event(method: str, path: str, query: str, headers: dict[str, str]) -> dict[str, Any]:
    qs = {k: ",".join(v) for k, v in parse_qs(query, keep_blank_values=True).items()}
    now = time.time()
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": query,
        "headers": {k.lower(): v for k, v in headers.items()},
        **({"queryStringParameters": qs} if qs else {}),
        "requestContext": {
            "accountId": "anonymous", "apiId": "e2esteering", "domainName": "e2esteering.lambda-url.us-east-1.on.aws",
            "domainPrefix": "e2esteering", "requestId": uuid.uuid4().hex, "routeKey": "$default", "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)), "timeEpoch": int(now * 1000),
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                     "userAgent": headers.get("User-Agent", "")},
        },
        "isBase64Encoded": False,
    }


class Steering:
    """The steering handler behind a loopback "function URL" without a CORS
    configuration (as deploy/clustered-video-stream.yaml creates it): the
    function's own status, headers (CORS included) and body go to the player
    unchanged, OPTIONS preflights included."""

    def __init__(self, log: Log, handler: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.log = log
        self.handler = handler
        self.responses: list[tuple[float, str, int, str]] = []  # (t, query, status, body)
        self.errors: list[str] = []
        steering = self

        class H(_Handler):
            def do_GET(self) -> None:  # noqa: N802
                steering._serve(self)

            do_OPTIONS = do_HEAD = do_GET  # noqa: N815

        self.server = _Server(H)

    @property
    def url(self) -> str:
        return self.server.base + "/steering.json"

    def _serve(self, h: _Handler) -> None:
        u = urlsplit(h.path)
        try:
            r = self.handler(function_url_event(h.command, u.path, u.query, dict(h.headers.items())))
        except Exception as e:  # the function URL answers 502 when the function fails
            self.errors.append(f"{type(e).__name__}: {e}")
            r = {"statusCode": 502, "body": "Internal Server Error"}
        status = int(r.get("statusCode", 200))
        body = r.get("body", "")
        if r.get("isBase64Encoded"):
            import base64
            data = base64.b64decode(body)
        else:
            data = body.encode() if isinstance(body, str) else bytes(body)
        headers = {k: str(v) for k, v in (r.get("headers") or {}).items()}
        if not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"  # the function URL's default
        if h.command == "GET":
            self.responses.append((time.time(), u.query, status, data.decode(errors="replace")))
        self.log.add(Request(time.time(), "steering", u.path, status, "steering"))
        h.send(status, data, headers)

    def close(self) -> None:
        self.server.close()


# --------------------------------------------------------------------------
# State table on moto server mode

class StateTable:
    """moto's ThreadedMotoServer on 127.0.0.1 and the state table in it; the
    process environment points boto3 there (AWS_ENDPOINT_URL)."""

    ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}

    def __init__(self, table: str, items: list[dict[str, Any]]) -> None:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per DynamoDB call otherwise

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self._saved = {k: os.environ.get(k) for k in [*self.ENV, "AWS_ENDPOINT_URL"]}
        os.environ.update(self.ENV)
        os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{self.port}"
        import urllib.request

        import boto3

        # moto's backends live in this process and outlive a stopped server: start empty
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{self.port}/moto-api/reset", method="POST"),
                               timeout=10).close()
        self.table = table
        self.client = boto3.client("dynamodb", region_name="us-east-1")
        self.client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                                 AttributeDefinitions=[{"AttributeName": "domain", "AttributeType": "S"}],
                                 KeySchema=[{"AttributeName": "domain", "KeyType": "HASH"}])
        for item in items:
            self.client.put_item(TableName=table, Item={
                "domain": {"S": item["domain"]}, "name": {"S": item["name"]}, "region": {"S": item["region"]},
                "distro_open": {"BOOL": True}, "playlist_fresh": {"BOOL": True}})

    def set_open(self, domain: str, is_open: bool) -> None:
        self.client.update_item(TableName=self.table, Key={"domain": {"S": domain}},
                                UpdateExpression="SET distro_open = :o",
                                ExpressionAttributeValues={":o": {"BOOL": is_open}})

    def set_fresh(self, domain: str, fresh: bool) -> None:
        self.client.update_item(TableName=self.table, Key={"domain": {"S": domain}},
                                UpdateExpression="SET playlist_fresh = :f",
                                ExpressionAttributeValues={":f": {"BOOL": fresh}})

    def close(self) -> None:
        try:
            self.server.stop()
        finally:
            for k, v in self._saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
