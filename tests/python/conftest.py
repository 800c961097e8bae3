# SPDX-License-Identifier: MIT
"""Fixtures of the Python suite (helpers are in support.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from support import PlaylistServer


@pytest.fixture
def server() -> Iterator[PlaylistServer]:
    srv = PlaylistServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
        srv.thread.join(timeout=5)


@pytest.fixture
def closed_port() -> int:
    """A local port with nothing listening on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
