# SPDX-License-Identifier: MIT
"""The arithmetic of bench/compare_peers' scaling report, on made-up results: the
ratios and the least ratio an operation can show are what the targets table states
about issue 7, so they are checked here rather than trusted (the benchmarks
themselves run in the bench-smoke leg)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from types import ModuleType
from typing import Any

import pytest

from support import REPO_ROOT


@pytest.fixture(scope="module")
def compare_peers() -> ModuleType:
    path = str(REPO_ROOT / "bench" / "compare_peers")
    loader = importlib.machinery.SourceFileLoader("compare_peers", path)
    spec = importlib.util.spec_from_loader("compare_peers", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def rec(impl: str, size: int, op: str, ns_per_segment: float) -> dict[str, Any]:
    """A result as the harnesses report it: median CPU ns per call."""
    return {"impl": impl, "workload": "scale_%d" % size, "op": op, "median_ns": ns_per_segment * size}


RESULTS = [
    rec("hlspp", 1000, "parse", 70.0), rec("hlspp", 1_000_000, "parse", 210.0),
    rec("hlspp", 1000, "model_floor", 20.0), rec("hlspp", 1_000_000, "model_floor", 140.0),
    rec("hlspp", 1000, "parse_recycling", 70.0), rec("hlspp", 1_000_000, "parse_recycling", 77.0),
    rec("hlspp", 1000, "write_lossless", 30.0), rec("hlspp", 1_000_000, "write_lossless", 33.0),
    rec("hlspp", 1000, "write_floor", 3.0), rec("hlspp", 1_000_000, "write_floor", 45.0),
    rec("hlspp", 1000, "write_lossless_into", 30.0), rec("hlspp", 1_000_000, "write_lossless_into", 39.0),
    rec("quick-m3u8", 1000, "parse", 120.0), rec("quick-m3u8", 1_000_000, "parse", 126.0),
    rec("m3u8-rs", 1000, "parse", 400.0), rec("m3u8-rs", 1_000_000, "parse", 1200.0),
    rec("m3u8-rs", 1000, "write", 100.0),  # no 1M write: no ratio
]


def test_per_segment_ratio(compare_peers: ModuleType) -> None:
    assert compare_peers.scaling_ratio(RESULTS, "hlspp", "parse") == pytest.approx(3.0)
    assert compare_peers.scaling_ratio(RESULTS, "quick-m3u8", "parse") == pytest.approx(1.05)
    assert compare_peers.scaling_ratio(RESULTS, "m3u8-rs", "write") is None
    assert compare_peers.scaling_ratio(RESULTS, "hls_m3u8", "parse") is None


def test_least_ratio_is_the_floor_at_1m_over_the_operation_at_1k(compare_peers: ModuleType) -> None:
    # parse at 1M cannot take less than its floor there (140 ns), 2x its 1k cost (70).
    assert compare_peers.scaling_bound(RESULTS, "parse") == pytest.approx(2.0)
    assert compare_peers.scaling_bound(RESULTS, "write_lossless") == pytest.approx(1.5)
    assert compare_peers.scaling_bound(RESULTS, "write_canonical") is None  # not measured
    assert compare_peers.scaling_bound(RESULTS, "parse_recycling") is None  # fresh memory is not its floor


def test_targets_name_the_limit_and_the_peers_that_build_a_model(compare_peers: ModuleType) -> None:
    rows = {t["target"]: t for t in compare_peers.targets(RESULTS)}
    parse = rows["parse linear: per-segment cost 1M / 1k <= 1.2×"]
    assert parse["met"] is False
    assert parse["measured"] == "3.00× (least possible with this model's memory: 2.00×; m3u8-rs 3.00×)"
    recycled = rows["parse_recycling linear: per-segment cost 1M / 1k <= 1.2×"]
    assert recycled["met"] is True
    assert recycled["measured"] == "1.10× (m3u8-rs 3.00×)"
    into = rows["write_lossless_into linear: per-segment cost 1M / 1k <= 1.2×"]
    assert into["met"] is False
    assert into["measured"] == "1.30×"  # no floor bounds it; m3u8-rs wrote no 1M playlist
    lossless = rows["write_lossless linear: per-segment cost 1M / 1k <= 1.2×"]
    assert lossless["met"] is True
    assert lossless["measured"].startswith("1.10× (least possible with this model's memory: 1.50×")
    # A floor at 1M below the operation's own 1k cost bounds nothing: not stated.
    cheap_floor = [r for r in RESULTS if r["op"] != "write_floor"] + [
        rec("hlspp", 1_000_000, "write_floor", 15.0)]
    rows = {t["target"]: t for t in compare_peers.targets(cheap_floor)}
    assert rows["write_lossless linear: per-segment cost 1M / 1k <= 1.2×"]["measured"] == "1.10×"


def test_scaling_table_rows(compare_peers: ModuleType) -> None:
    table = compare_peers.scaling_table(RESULTS)
    lines = table.splitlines()
    assert "| hlspp | parse | typed model | 70.0 | 210.0 | 3.00× |" in lines
    assert "| hlspp | parse_recycling | typed model, in the previous reading's storage | 70.0 | 77.0 | 1.10× |" in lines
    assert "| quick-m3u8 | parse | no model: one line at a time | 120.0 | 126.0 | 1.05× |" in lines
    assert "| m3u8-rs | parse | model | 400.0 | 1200.0 | 3.00× |" in lines
    assert not any(line.startswith("| m3u8-rs | write") for line in lines)  # 1k only
    assert lines[-1].endswith("parse 2.00×, write_lossless 1.50×.")
    assert compare_peers.scaling_table([]) == ""


def test_scaling_rows_get_their_own_longer_budget(compare_peers: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 1M segments a call takes ~0.1 s: the scaling rows are run apart, with at
    least SCALING_BUDGET s each, while the workload rows keep the budget given."""
    import re

    calls: list[tuple[str, str, float, str]] = []

    def fake_gbench(exe: str, flt: str, budget: float, wdir: str, extra: Any = (), tag: str = "") -> Any:
        calls.append((exe.rsplit("/", 1)[-1], flt, budget, tag))
        return {}, {}

    monkeypatch.setattr(compare_peers, "gbench", fake_gbench)
    compare_peers.run_cpp("/nonexistent/bench", "/nonexistent/w", {"vod_10k": "/nonexistent/vod_10k.m3u8"}, 0.5)
    parse_calls = [c for c in calls if c[0] == "hlspp_bench_parse"]
    assert len(parse_calls) == 2
    (workloads,) = [c for c in parse_calls if c[3] == ""]
    (scaling,) = [c for c in parse_calls if c[3] == "scaling"]
    assert workloads[2] == 0.5 and scaling[2] == compare_peers.SCALING_BUDGET >= 1.5
    for name in ("parse/scale_1000000", "parse_recycling/scale_1000", "write_lossless_into/scale_1000000",
                 "model_floor/scale_1000"):
        assert re.search(scaling[1], name) and not re.search(workloads[1], name), name
    assert re.search(workloads[1], "parse/vod_10k") and not re.search(scaling[1], "parse/vod_10k")
    calls.clear()
    compare_peers.run_cpp("/nonexistent/bench", "/nonexistent/w", {"vod_10k": "/x"}, 3.0)
    assert [c[2] for c in calls if c[3] == "scaling"] == [3.0]  # a longer budget given wins
