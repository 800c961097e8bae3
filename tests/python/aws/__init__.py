# SPDX-License-Identifier: MIT
"""AWS tooling tests (a package: its conftest and support modules stay apart from the main suite's)."""
