# SPDX-License-Identifier: MIT
"""Helpers of the Python suite: sample playlists, the corpus location and a real
HTTP server on 127.0.0.1 for hlspp.load()."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def corpus_dir() -> Path:
    """The shared playlist corpus: $HLSPP_CORPUS_DIR (relative to the repository
    root when relative), by default ../shared/corpus."""
    path = Path(os.environ.get("HLSPP_CORPUS_DIR") or "../shared/corpus")
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


MEDIA = """\
#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:6
#EXT-X-MEDIA-SEQUENCE:100
#EXT-X-DISCONTINUITY-SEQUENCE:2
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-START:TIME-OFFSET=-12.5,PRECISE=YES
#EXT-X-DEFINE:NAME="cdn",VALUE="https://cdn.example"
# encoded by the test suite
#EXT-X-MAP:URI="init.mp4",BYTERANGE="720@0"
#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:00.000Z
#EXT-X-KEY:METHOD=AES-128,URI="https://keys.example/k1",IV=0x00000000000000000000000000000001
#EXTINF:6.006,first
seg100.ts
#EXT-X-BYTERANGE:1000@2000
#EXT-X-BITRATE:1500
#EXTINF:5.5,
seg101.ts
#EXT-X-DISCONTINUITY
#EXT-X-DATERANGE:ID="ad-1",CLASS="com.example.ad",START-DATE="2024-05-01T12:00:11.506Z",DURATION=30.0,X-AD-ID="abc"
#EXT-X-GAP
#EXTINF:6,
seg102.ts
#EXT-X-FOO:bar
#EXTINF:4.004,
seg103.ts
#EXT-X-ENDLIST
"""

LL_MEDIA = """\
#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:4
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=24.0,PART-HOLD-BACK=3.0
#EXT-X-PART-INF:PART-TARGET=1.0
#EXT-X-MEDIA-SEQUENCE:266
#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:00.000Z
#EXT-X-MAP:URI="init.mp4"
#EXTINF:4.0,
fileSequence266.mp4
#EXT-X-PART:DURATION=1.0,URI="filePart267.0.mp4",INDEPENDENT=YES
#EXT-X-PART:DURATION=1.0,URI="filePart267.1.mp4"
#EXTINF:4.0,
fileSequence267.mp4
#EXT-X-PART:DURATION=1.0,URI="filePart268.0.mp4",INDEPENDENT=YES
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="filePart268.1.mp4"
#EXT-X-RENDITION-REPORT:URI="../1M/waitForMSN.php",LAST-MSN=267,LAST-PART=1
"""

MASTER = """\
#EXTM3U
#EXT-X-VERSION:6
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-CONTENT-STEERING:SERVER-URI="https://steer.example/v1",PATHWAY-ID="CDN-A"
#EXT-X-SESSION-DATA:DATA-ID="com.example.title",VALUE="Example",LANGUAGE="en"
#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="skd://key1",KEYFORMAT="com.apple.streamingkeydelivery",KEYFORMATVERSIONS="1"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/en.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Deutsch",LANGUAGE="de",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio/de.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subs/en.m3u8"
#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="CC1",INSTREAM-ID="CC1"
# the ladder
#EXT-X-STREAM-INF:BANDWIDTH=4285600,AVERAGE-BANDWIDTH=4000000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.4D401F,mp4a.40.2",AUDIO="aac",SUBTITLES="subs",CLOSED-CAPTIONS="cc",PATHWAY-ID="CDN-A",STABLE-VARIANT-ID="v720"
video/720p.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=1425600,RESOLUTION=640x360,CODECS="avc1.4D401E,mp4a.40.2",AUDIO="aac",SUBTITLES="subs",CLOSED-CAPTIONS=NONE,X-CUSTOM="kept"
video/360p.m3u8
#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=190000,CODECS="avc1.4D401F",RESOLUTION=1280x720,URI="video/720p-iframes.m3u8"
"""


def big_media(segments: int) -> str:
    """A media playlist with `segments` segments (about 70 bytes each)."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:6", "#EXT-X-MEDIA-SEQUENCE:0"]
    for i in range(segments):
        lines.append("#EXTINF:6.006,")
        lines.append(f"https://cdn.example.com/live/1080p/segment_{i:06d}.ts")
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


Handler = Callable[[BaseHTTPRequestHandler], None]


class PlaylistServer:
    """A real HTTP server on 127.0.0.1 (ephemeral port) with scripted routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        routes = self.routes

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                handler = routes.get(self.path)
                if handler is None:
                    self.send_error(404, "Not Found")
                    return
                try:
                    handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.httpd = Server(("127.0.0.1", 0), RequestHandler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def body(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "application/vnd.apple.mpegurl",
        length: bool = True,
    ) -> str:
        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            h.send_header("Content-Type", content_type)
            if length:
                h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)

        return self.route(path, handler)

    def redirect(self, path: str, location: str, *, status: int = 302) -> str:
        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            h.send_header("Location", location)
            h.send_header("Content-Length", "0")
            h.end_headers()

        return self.route(path, handler)

    def slow(self, path: str, delay: float, body: bytes) -> str:
        """Answers only after `delay` seconds."""

        def handler(h: BaseHTTPRequestHandler) -> None:
            time.sleep(delay)
            h.send_response(200)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)

        return self.route(path, handler)

    def drip(self, path: str, chunk: bytes, interval: float, count: int) -> str:
        """Sends the headers at once, then `chunk` every `interval` seconds."""

        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Length", str(len(chunk) * count))
            h.end_headers()
            for _ in range(count):
                h.wfile.write(chunk)
                h.wfile.flush()
                time.sleep(interval)

        return self.route(path, handler)
