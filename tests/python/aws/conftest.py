# SPDX-License-Identifier: MIT
"""Fixtures of the AWS tooling tests (defined in support.py)."""

from __future__ import annotations

from .support import aws, closed_port, fault_proxy, live, live2, moto_server

__all__ = ["aws", "closed_port", "fault_proxy", "live", "live2", "moto_server"]
