# SPDX-License-Identifier: MIT
"""hlspp.load(): a playlist from a file path or an http(s) URL, standard library only."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing's, see below
if TYPE_CHECKING:
    import urllib.request
    from typing import Literal, Union

# pathlib, urllib (parse and request), http.client, socket and ipaddress are imported
# when a playlist is loaded, and typing only by type checkers, not with the package:
# `import hlspp` stays fast (e.g. on AWS Lambda).

from ._core import MasterPlaylist, MediaPlaylist, __version__, parse
from ._errors import FetchError

__all__ = ["DEFAULT_MAX_BYTES", "load"]

#: The default of load(max_bytes=...): the parser's own input limit (64 MiB).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_CHUNK = 64 * 1024
_ACCEPT = (
    "application/vnd.apple.mpegurl, application/x-mpegurl, audio/mpegurl, "
    "audio/x-mpegurl, text/plain;q=0.5, */*;q=0.1"
)


def load(
    source: Union[str, "os.PathLike[str]"],
    *,
    timeout: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    strictness: Literal["lenient", "default", "strict"] = "default",
    base_uri: str | None = None,
) -> MasterPlaylist | MediaPlaylist:
    """Reads and parses the playlist at ``source``: a file path, a ``file:`` URL or
    an ``http(s)://`` URL.

    The playlist's ``base_uri`` is the final URL after redirects (for a file, its
    absolute ``file:`` URL) unless ``base_uri`` is given. ``timeout`` bounds the
    whole download, in seconds; a body larger than ``max_bytes`` is refused.

    Raises FetchError for HTTP errors, timeouts, unreachable hosts, unreadable
    files, oversized or binary bodies and bodies that are not playlists, and
    ParseError when the playlist cannot be parsed at ``strictness``.
    """
    src = os.fspath(source)
    if not isinstance(src, str):
        raise TypeError(f"load() needs a str or os.PathLike[str] source, not {type(src).__name__}")
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    from urllib.parse import urlsplit

    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        body, final = _read_url(src, timeout=timeout, max_bytes=max_bytes)
    elif scheme == "file":
        from urllib.request import url2pathname

        path = url2pathname(parts.path)
        body = _read_file(src, path, max_bytes=max_bytes)
        final = src
    elif len(scheme) > 1:  # one letter: a Windows drive ("C:\\...")
        raise FetchError(
            f"{src}: unsupported URL scheme '{parts.scheme}' (use a file path, file:, http: or https:)",
            source=src,
        )
    else:
        body = _read_file(src, src, max_bytes=max_bytes)
        from pathlib import Path

        final = Path(src).resolve().as_uri()
    _check_playlist(body, src, final, strictness)
    return parse(body, base_uri=base_uri if base_uri is not None else final, strictness=strictness)


def _read_file(source: str, path: str, *, max_bytes: int) -> bytes:
    try:
        with open(path, "rb") as f:
            body = f.read(max_bytes + 1)
    except OSError as e:
        reason = e.strerror or str(e)
        raise FetchError(f"{source}: cannot read: {reason}", source=source) from e
    if len(body) > max_bytes:
        raise FetchError(f"{source}: larger than max_bytes ({max_bytes} bytes)", source=source)
    return body


def _is_loopback(host: str | None) -> bool:
    import ipaddress

    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_url(url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str]:
    import http.client
    import socket
    import time
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url, headers={"User-Agent": f"hlspp/{__version__}", "Accept": _ACCEPT}
    )
    handlers: list[urllib.request.BaseHandler] = []
    if _is_loopback(urlsplit(url).hostname):
        handlers.append(urllib.request.ProxyHandler({}))  # never send loopback traffic to a proxy
    opener = urllib.request.build_opener(*handlers)
    current = url
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as e:
        final = e.geturl() or url
        e.close()
        if 300 <= e.code < 400:
            # urllib's message for this spans three lines; errors here are one line.
            reason = "redirect loop (or more than 10 redirects)"
        else:
            reason = " ".join(str(e.reason).split())
        raise FetchError(
            f"{url}: HTTP {e.code} {reason}" + (f" (from {final})" if final != url else ""),
            source=url,
            url=final,
            status=e.code,
        ) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"{url}: timed out after {timeout:g} s", source=url, url=url) from None
        raise FetchError(f"{url}: cannot connect: {' '.join(str(e.reason).split())}", source=url, url=url) from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"{url}: timed out after {timeout:g} s", source=url, url=url) from None
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise FetchError(f"{url}: {' '.join(str(e).split())}", source=url, url=url) from None

    with response:
        current = response.geturl()
        status = getattr(response, "status", None)
        length = response.headers.get("Content-Length")
        if length is not None and length.strip().isdigit() and int(length) > max_bytes:
            raise FetchError(
                f"{current}: body of {int(length)} bytes is larger than max_bytes ({max_bytes})",
                source=url,
                url=current,
                status=status,
            )
        chunks: list[bytes] = []
        total = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"{current}: timed out after {timeout:g} s while reading the body",
                        source=url,
                        url=current,
                        status=status,
                    )
                chunk = response.read1(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(
                        f"{current}: body is larger than max_bytes ({max_bytes})",
                        source=url,
                        url=current,
                        status=status,
                    )
                chunks.append(chunk)
        except (socket.timeout, TimeoutError):
            raise FetchError(
                f"{current}: timed out after {timeout:g} s while reading the body",
                source=url,
                url=current,
                status=status,
            ) from None
        except (OSError, http.client.HTTPException) as e:
            raise FetchError(
                f"{current}: error while reading the body: {e!r}", source=url, url=current, status=status
            ) from None
    return b"".join(chunks), current


def _check_playlist(body: bytes, source: str, final: str, strictness: str) -> None:
    url = final if final.startswith(("http:", "https:")) else None

    def fail(why: str) -> FetchError:
        where = source if url is None or url == source else f"{source} (from {url})"
        return FetchError(f"{where}: {why}", source=source, url=url)

    if not body.strip():
        raise fail("empty body, not a playlist")
    if b"\x00" in body:
        raise fail("binary content (NUL bytes), not a playlist")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise fail(f"binary content (not UTF-8 text at byte {e.start}), not a playlist") from None
    if strictness != "lenient":
        head = body[:64].lstrip(b"\xef\xbb\xbf").lstrip()
        if not head.startswith(b"#EXTM3U"):
            raise fail("not an HLS playlist (it does not start with #EXTM3U)")
