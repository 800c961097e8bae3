# SPDX-License-Identifier: MIT
"""hlspp.load() from files and from a real HTTP server on 127.0.0.1: redirects,
HTTP errors, slow and oversized responses, binary and non-playlist bodies."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

import hlspp
from support import MASTER, MEDIA, PlaylistServer


def test_load_http(server: PlaylistServer) -> None:
    url = server.body("/live/master.m3u8", MASTER.encode())
    pl = hlspp.load(url)
    assert isinstance(pl, hlspp.MasterPlaylist)
    assert pl.base_uri == url
    assert pl.dumps() == MASTER
    assert hlspp.resolve_uri(pl.base_uri, pl.variants[0].uri) == server.url("/live/video/720p.m3u8")


def test_load_follows_redirects_and_uses_the_final_url(server: PlaylistServer) -> None:
    final = server.body("/region-b/out/v1/index.m3u8", MASTER.encode())
    server.redirect("/hop2", "/region-b/out/v1/index.m3u8", status=301)
    start = server.redirect("/entry/master.m3u8", server.url("/hop2"), status=302)
    pl = hlspp.load(start)
    assert pl.base_uri == final
    assert isinstance(pl, hlspp.MasterPlaylist)
    assert hlspp.resolve_uri(pl.base_uri, pl.variants[1].uri) == server.url("/region-b/out/v1/video/360p.m3u8")


def test_load_base_uri_override(server: PlaylistServer) -> None:
    url = server.body("/m.m3u8", MEDIA.encode())
    pl = hlspp.load(url, base_uri="https://cdn.example/live/m.m3u8")
    assert pl.base_uri == "https://cdn.example/live/m.m3u8"


@pytest.mark.parametrize("status", [404, 500, 403, 503])
def test_http_errors(server: PlaylistServer, status: int) -> None:
    url = server.body("/x.m3u8", b"error page", status=status, content_type="text/html")
    with pytest.raises(hlspp.FetchError) as info:
        hlspp.load(url)
    e = info.value
    assert e.status == status
    assert f"HTTP {status}" in str(e)
    assert e.source == url
    assert isinstance(e, OSError) and isinstance(e, hlspp.Error)


def test_missing_route_is_404(server: PlaylistServer) -> None:
    with pytest.raises(hlspp.FetchError, match="HTTP 404"):
        hlspp.load(server.url("/nothing-here.m3u8"))


def test_redirect_to_an_error_reports_the_final_url(server: PlaylistServer) -> None:
    server.redirect("/moved.m3u8", "/gone.m3u8")
    with pytest.raises(hlspp.FetchError) as info:
        hlspp.load(server.url("/moved.m3u8"))
    assert info.value.status == 404
    assert info.value.url == server.url("/gone.m3u8")


def test_redirect_loop_is_one_clear_line(server: PlaylistServer) -> None:
    server.redirect("/loop-a.m3u8", "/loop-b.m3u8")
    server.redirect("/loop-b.m3u8", "/loop-a.m3u8")
    with pytest.raises(hlspp.FetchError) as info:
        hlspp.load(server.url("/loop-a.m3u8"))
    message = str(info.value)
    assert "redirect loop" in message
    assert "\n" not in message
    assert 300 <= (info.value.status or 0) < 400


def test_slow_response_times_out(server: PlaylistServer) -> None:
    url = server.slow("/slow.m3u8", 3.0, MEDIA.encode())
    t0 = time.monotonic()
    with pytest.raises(hlspp.FetchError, match="timed out"):
        hlspp.load(url, timeout=0.5)
    assert time.monotonic() - t0 < 2.5


def test_trickling_body_hits_the_overall_timeout(server: PlaylistServer) -> None:
    # Each chunk arrives well within the socket timeout; the whole body does not.
    url = server.drip("/drip.m3u8", b"#EXTM3U\n", interval=0.2, count=50)
    t0 = time.monotonic()
    with pytest.raises(hlspp.FetchError, match="timed out"):
        hlspp.load(url, timeout=1.0)
    assert time.monotonic() - t0 < 3.0


def test_oversized_body_with_content_length(server: PlaylistServer) -> None:
    url = server.body("/big.m3u8", MEDIA.encode() + b"#" * 5000)
    with pytest.raises(hlspp.FetchError, match="larger than max_bytes"):
        hlspp.load(url, max_bytes=1000)


def test_oversized_body_without_content_length(server: PlaylistServer) -> None:
    url = server.body("/big-unsized.m3u8", b"#EXTM3U\n" + b"# filler\n" * 200_000, length=False)
    with pytest.raises(hlspp.FetchError, match="larger than max_bytes"):
        hlspp.load(url, max_bytes=100_000)


def test_body_at_the_limit_is_fine(server: PlaylistServer) -> None:
    body = MEDIA.encode()
    url = server.body("/exact.m3u8", body, length=False)
    assert hlspp.load(url, max_bytes=len(body)).dumps() == MEDIA


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\xff\xd8" * 100, "binary"),
        (b"<!DOCTYPE html><html><body>Access denied</body></html>", "not an HLS playlist"),
        (b"", "empty"),
        (b"  \n\n", "empty"),
    ],
    ids=["nul-bytes", "not-utf8", "html", "empty", "blank"],
)
def test_non_playlist_bodies(server: PlaylistServer, body: bytes, why: str) -> None:
    url = server.body("/weird.m3u8", body)
    with pytest.raises(hlspp.FetchError, match=why) as info:
        hlspp.load(url)
    assert info.value.url == url


def test_lenient_accepts_text_without_extm3u(server: PlaylistServer) -> None:
    url = server.body("/noheader.m3u8", b"#EXTINF:4,\na.ts\n")
    pl = hlspp.load(url, strictness="lenient")
    assert isinstance(pl, hlspp.MediaPlaylist) and pl.segments[0].uri == "a.ts"
    with pytest.raises(hlspp.FetchError):
        hlspp.load(url)  # default strictness wants #EXTM3U


def test_playlist_errors_are_parse_errors(server: PlaylistServer) -> None:
    text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:12,\na.ts\n"
    url = server.body("/bad.m3u8", text.encode())
    assert isinstance(hlspp.load(url), hlspp.MediaPlaylist)
    with pytest.raises(hlspp.ParseError) as info:
        hlspp.load(url, strictness="strict")
    assert (info.value.line, info.value.code) == (3, "extinf-exceeds-target-duration")


def test_connection_refused(closed_port: int) -> None:
    with pytest.raises(hlspp.FetchError, match="cannot connect"):
        hlspp.load(f"http://127.0.0.1:{closed_port}/x.m3u8", timeout=2.0)


def test_unsupported_scheme() -> None:
    with pytest.raises(hlspp.FetchError, match="unsupported URL scheme"):
        hlspp.load("ftp://example.invalid/x.m3u8")


def test_load_file(tmp_path: Path) -> None:
    path = tmp_path / "media.m3u8"
    path.write_bytes(MEDIA.encode())
    pl = hlspp.load(path)
    assert pl.dumps() == MEDIA
    assert pl.base_uri == path.resolve().as_uri()
    assert hlspp.load(str(path)).base_uri == path.resolve().as_uri()
    assert hlspp.load(path.resolve().as_uri()).dumps() == MEDIA
    assert hlspp.load(path, base_uri="https://cdn.example/media.m3u8").base_uri == "https://cdn.example/media.m3u8"
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        assert hlspp.load("media.m3u8").base_uri == path.resolve().as_uri()
    finally:
        os.chdir(cwd)


def test_load_file_errors(tmp_path: Path) -> None:
    with pytest.raises(hlspp.FetchError, match="cannot read") as info:
        hlspp.load(tmp_path / "missing.m3u8")
    assert info.value.url is None and info.value.status is None
    with pytest.raises(hlspp.FetchError, match="cannot read"):
        hlspp.load(tmp_path)  # a directory
    big = tmp_path / "big.m3u8"
    big.write_bytes(MEDIA.encode())
    with pytest.raises(hlspp.FetchError, match="larger than max_bytes"):
        hlspp.load(big, max_bytes=100)
    binary = tmp_path / "video.ts"
    binary.write_bytes(b"\x47\x40\x00\x10" * 100)
    with pytest.raises(hlspp.FetchError, match="binary"):
        hlspp.load(binary)


def test_argument_checks() -> None:
    with pytest.raises(ValueError):
        hlspp.load("x.m3u8", timeout=0)
    with pytest.raises(ValueError):
        hlspp.load("x.m3u8", max_bytes=0)
    with pytest.raises(TypeError):
        hlspp.load(b"x.m3u8")  # type: ignore[arg-type]


def test_fetch_error_pickles() -> None:
    e = hlspp.FetchError("http://a/x: HTTP 404 Not Found", source="http://a/x", url="http://a/x", status=404)
    again = pickle.loads(pickle.dumps(e))
    assert (str(again), again.source, again.url, again.status) == (str(e), e.source, e.url, e.status)
