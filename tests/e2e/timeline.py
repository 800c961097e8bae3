# SPDX-License-Identifier: MIT
"""Analysis of one player run (samples, hls.js events, server request logs) and
its PNG timeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rig import Request


@dataclass
class Stall:
    start: float  # wall clock, s
    seconds: float


def playing_start(samples: list[dict[str, Any]]) -> float | None:
    """Wall clock (s) at which playback started: the first sample whose playhead
    moved forward from a non-zero position (hls.js first seeks from 0 to the live
    start position; the wait before the first frame is start-up, not a stall)."""
    for prev, cur in zip(samples, samples[1:]):
        if prev["ct"] > 0 and cur["ct"] > prev["ct"]:
            return float(prev["t"]) / 1000
    return None


def longest_stall(samples: list[dict[str, Any]], since: float, until: float) -> Stall:
    """The most playback time lost in any interval within [since, until]: the
    maximum over intervals of (wall-clock time elapsed - playhead advance), from
    the page's 100 ms samples. While playing at rate 1 each step adds ~0; a
    frozen playhead adds its whole duration; a late sample (a busy machine
    delaying the page's timer) adds nothing, because the playhead advanced too;
    a forward jump of the playhead pays back earlier loss. Overestimates by at
    most one sampling interval."""
    pts = [(s["t"] / 1000, float(s["ct"])) for s in samples if since <= s["t"] / 1000 <= until]
    best = Stall(since, 0.0)
    loss, loss_start = 0.0, pts[0][0] if pts else since
    for (t0, c0), (t1, c1) in zip(pts, pts[1:]):
        step = (t1 - t0) - (c1 - c0)
        if loss <= 0:
            loss, loss_start = 0.0, t0
        loss += step
        if loss > best.seconds:
            best = Stall(loss_start, loss)
    return best


def playhead_at(samples: list[dict[str, Any]], t: float) -> float:
    ct = 0.0
    for s in samples:
        if s["t"] / 1000 > t:
            break
        ct = s["ct"]
    return float(ct)


def plot(path: Path, title: str, samples: list[dict[str, Any]], requests: list[Request], t_close: float,
         closed: str, stall: Stall, t_first_other: float | None, steering: list[tuple[float, str]] | None = None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t0 = samples[0]["t"] / 1000
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 5.2), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    xs = [s["t"] / 1000 - t0 for s in samples]
    ax1.plot(xs, [s["ct"] for s in samples], color="tab:blue", lw=1.5, label="playhead (video.currentTime)")
    ax1.plot(xs, [s["bufEnd"] for s in samples], color="tab:blue", lw=0.8, ls=":", label="buffered to")
    ax1.set_ylabel("media time (s)")
    ax1.axvspan(stall.start - t0, stall.start - t0 + stall.seconds, color="tab:red", alpha=0.25,
                label=f"longest stall {stall.seconds:.2f} s")
    for ax in (ax1, ax2):
        ax.axvline(t_close - t0, color="black", ls="--", lw=1)
    ax1.text(t_close - t0, ax1.get_ylim()[1], f" region {closed} closed", va="top", fontsize=9)
    ax1.legend(loc="lower right", fontsize=8)
    rows = {"a": 1.0, "b": 0.0}
    for region in ("a", "b"):
        for ok, marker, color in ((True, "|", "tab:green"), (False, "x", "tab:red")):
            pts = [r.t - t0 for r in requests if r.server == region and r.kind in ("segment", "media")
                   and (r.status < 400) == ok]
            kind_y = [rows[region] + (0.15 if r.kind == "segment" else -0.15) for r in requests
                      if r.server == region and r.kind in ("segment", "media") and (r.status < 400) == ok]
            if pts:
                ax2.scatter(pts, kind_y, marker=marker, color=color, s=60 if ok else 30,
                            label=("200" if ok else "404") if region == "a" else None)
    if steering:
        ax2.scatter([t - t0 for t, _ in steering], [0.5] * len(steering), marker="D", color="tab:purple", s=20,
                    label="steering manifest")
    if t_first_other is not None:
        ax2.annotate("first segment\nfrom other region", (t_first_other - t0, 1.15 if closed == "b" else 0.15),
                     xytext=(8, 0), textcoords="offset points", fontsize=8, va="center")
    ax2.set_yticks([1.15, 0.85, 0.15, -0.15])
    ax2.set_yticklabels(["a segments", "a playlists", "b segments", "b playlists"], fontsize=8)
    ax2.set_ylim(-0.5, 1.5)
    ax2.set_xlabel("seconds since the player page opened")
    ax2.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
