# SPDX-License-Identifier: MIT
"""Issue 9: a real player keeps playing when a region fails.

Two regions serve the same live stream (ffmpeg-encoded ladder, sliding window
advancing with the wall clock) behind the copilot Lambda@Edge handler, whose
state table is on moto server mode; ``hlspp merge`` merges their master
playlists; hls.js in headless Chromium plays the merged playlist. Mid-playback
the region the player is using is closed (distro_open = false) and the player
must carry on from the other region: segment requests move, the playhead keeps
advancing, the longest stall stays under 2 s, no fatal hls.js error. Once with
redundant streams, once with content steering (steering handler behind a
loopback function URL). ffprobe reads the merged playlist and the regions'
variants as a second client. Writes build/e2e/<mode>-timeline.png.

Run: bash scripts/test.sh e2e   (or python -m pytest tests/e2e -q with hlspp,
boto3, moto[server], matplotlib importable and tests/e2e/node_modules installed)
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote

import pytest

import media as media_mod
import rig
import timeline

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "build" / "e2e"
TABLE = "hlspp-e2e-state"
DOMAINS = {"a": "d1regiona0e2e.cloudfront.net", "b": "d2regionb0e2e.cloudfront.net"}
REGIONS = {"a": "eu-west-1", "b": "us-west-2"}

# Bounds (seconds)
START_TIMEOUT = 45  # page open -> playhead advanced PLAYED_BEFORE_CLOSE s
PLAYED_BEFORE_CLOSE = 6
# The copilot keeps a decision for cache_seconds (deployment default 5 s), so a
# close reaches the player within cache + one playlist reload (target duration 2 s).
COPILOT_CACHE_SECONDS = 5
STEERING_TTL = 10  # the steering handler's default TTL
FAILOVER_BOUND = COPILOT_CACHE_SECONDS + 2 * 2 + 1  # close -> first segment from the other region
AFTER_CLOSE = 24  # how long playback is watched after the close
MAX_STALL = 2.0


# ---------------------------------------------------------------------------
# player: node + playwright-core + Debian chromium

def _node_modules() -> Path:
    nm = HERE / "node_modules"  # player.mjs imports playwright-core from here (ESM resolution)
    for pkg in ("hls.js", "playwright-core"):
        if not (nm / pkg / "package.json").is_file():
            pytest.fail(f"{nm / pkg} missing: run `npm ci` in tests/e2e (scripts/test.sh e2e does)")
    return nm


class Player:
    """``node player.mjs`` (one Chromium) in its own process group; progress lines
    in a thread-fed queue; ``stop()`` returns the page's record."""

    def __init__(self, url: str, max_seconds: float) -> None:
        _node_modules()
        self.proc = subprocess.Popen(["node", str(HERE / "player.mjs"), url, str(max_seconds)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
        self.lines: "queue.Queue[dict[str, Any]]" = queue.Queue()
        self.progress: dict[str, Any] = {}
        self.final: dict[str, Any] | None = None
        self.problems: list[str] = []
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr or []), daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout
        for line in self.proc.stdout:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if "final" in obj:
                self.final = obj["final"]
            elif "setupError" in obj:
                self.problems.append(obj["setupError"])
            elif "console" in obj or "pageerror" in obj:
                self.problems.append(str(obj))
            else:
                self.progress = obj
            self.lines.put(obj)

    def wait_for(self, pred: Callable[[dict[str, Any]], bool], timeout: float, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                obj = self.lines.get(timeout=0.5)
            except queue.Empty:
                obj = None
            if self.proc.poll() is not None and self.lines.empty():
                break
            if obj and "setupError" in obj:
                pytest.fail(f"player setup: {obj['setupError']}")
            if self.progress and pred(self.progress):
                return self.progress
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last progress {self.progress}; "
                             f"player problems {self.problems[-5:]}; stderr {''.join(self.stderr)[-2000:]}")

    def stop(self) -> dict[str, Any]:
        if self.proc.poll() is None and self.proc.stdin:
            try:
                self.proc.stdin.write("stop\n")
                self.proc.stdin.flush()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        deadline = time.monotonic() + 5
        while self.final is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if self.final is None:
            raise AssertionError(f"player gave no record: {self.problems[-5:]} {''.join(self.stderr)[-2000:]}")
        return self.final

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


# ---------------------------------------------------------------------------
# the rig for one run

class Rig:
    """One run's servers, all stopped by the ExitStack. The handlers are the real
    ones (hlspp.aws.copilot / hlspp.aws.steering), called in this process; their
    container state (decision cache, boto3 client) is reset per rig, as a cold
    start would, because each rig has a new moto server."""

    def __init__(self, stack: ExitStack, media: media_mod.Media, tmp: Path, steering_mode: bool) -> None:
        from hlspp.aws import copilot, steering

        copilot.reset()
        steering.reset()
        stack.callback(steering.reset)
        stack.callback(copilot.reset)
        self.log = rig.Log()
        self.state = rig.StateTable(TABLE, [{"domain": DOMAINS[k], "name": f"region-{k}", "region": REGIONS[k]}
                                            for k in DOMAINS])
        stack.callback(self.state.close)
        config = tmp / "copilot.json"
        config.write_text(json.dumps({"table": TABLE, "table_region": "us-east-1",
                                      "cache_seconds": COPILOT_CACHE_SECONDS, "fail_mode": "open",
                                      "auto": False}))
        self._env(stack, {"HLSPP_COPILOT_CONFIG": str(config), "HLSPP_STATE_TABLE": TABLE,
                          "HLSPP_PATHWAYS": json.dumps([{"id": k, "domain": d} for k, d in DOMAINS.items()]),
                          "HLSPP_STEERING_TTL": str(STEERING_TTL)})
        clock = rig.LiveClock(media)
        self.regions = {k: rig.Region(k, DOMAINS[k], clock, self.log, lambda e: copilot.handler(e, None))
                        for k in DOMAINS}
        for r in self.regions.values():
            stack.callback(r.close)
        self.viewer = rig.Viewer(self.log, _node_modules() / "hls.js" / "dist" / "hls.js")
        stack.callback(self.viewer.close)
        self.steering: rig.Steering | None = None
        args = ["merge", self.regions["a"].master_url, self.regions["b"].master_url]
        if steering_mode:
            self.steering = rig.Steering(self.log, lambda e: steering.handler(e, None))
            stack.callback(self.steering.close)
            args += ["--mode", "steering", "--id", "a", "--id", "b", "--steering-uri", self.steering.url]
        merged = tmp / "merged.m3u8"
        done = subprocess.run([sys.executable, "-m", "hlspp.cli", *args, "-o", str(merged)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"hlspp merge failed ({done.returncode}): {done.stderr}"
        self.merged_text = merged.read_text()
        self.merged_url = self.viewer.put("/merged.m3u8", merged.read_bytes())

    @staticmethod
    def _env(stack: ExitStack, values: dict[str, str]) -> None:
        saved = {k: os.environ.get(k) for k in values}
        os.environ.update(values)

        def restore() -> None:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        stack.callback(restore)

    def handler_errors(self) -> list[str]:
        errs = [e for r in self.regions.values() for e in r.errors]
        return errs + (self.steering.errors if self.steering else [])


@pytest.fixture(scope="session")
def media() -> media_mod.Media:
    if not shutil.which("ffmpeg"):
        pytest.fail("ffmpeg missing (Debian package ffmpeg)")
    return media_mod.ensure_media()


@pytest.fixture
def make_rig(media: media_mod.Media, tmp_path: Path) -> Iterator[Callable[[bool], Rig]]:
    with ExitStack() as stack:
        yield lambda steering_mode: Rig(stack, media, tmp_path, steering_mode)


# ---------------------------------------------------------------------------
# the failover run

def _current_region(log: rig.Log) -> str:
    segs = [r for r in log.snapshot() if r.kind == "segment" and r.status == 200 and r.server in DOMAINS]
    assert segs, "no segment served yet"
    return segs[-1].server


def _failover(r: Rig, mode: str, drain: bool = False) -> dict[str, Any]:
    """Plays, then closes the region in use (distro_open = false), or with
    ``drain`` only marks its playlists stale (playlist_fresh = false: the copilot,
    not in auto mode, keeps serving it; the steering server demotes it)."""
    page = f"{r.viewer.server.base}/player.html?src={quote(r.merged_url, safe='')}"
    player = Player(page, max_seconds=START_TIMEOUT + AFTER_CLOSE + 30)
    try:
        # 1. playback starts and the playhead advances
        # (hls.js first seeks to the live start position, then plays from there)
        t_open = time.monotonic()
        started = player.wait_for(lambda p: p.get("ct", 0) > 0 or bool(p.get("fatal")), START_TIMEOUT, "playback to start")
        base = started.get("ct", 0)
        player.wait_for(lambda p: p.get("ct", 0) >= base + PLAYED_BEFORE_CLOSE or bool(p.get("fatal")),
                        START_TIMEOUT - (time.monotonic() - t_open) + PLAYED_BEFORE_CLOSE + 2,
                        f"the playhead to advance {PLAYED_BEFORE_CLOSE} s")
        assert not player.progress.get("fatal"), "hls.js reported a fatal error before the close"
        # 2. close the region the player is using (from the servers' request logs)
        closed = _current_region(r.log)
        other = "b" if closed == "a" else "a"
        t_close = time.time()
        if drain:
            r.state.set_fresh(DOMAINS[closed], False)
        else:
            r.state.set_open(DOMAINS[closed], False)
        # 3. watch playback from the other region
        time.sleep(AFTER_CLOSE)
        record = player.stop()
    finally:
        player.kill()

    samples, events = record["samples"], record["events"]
    requests = r.log.snapshot()
    segs = [q for q in requests if q.kind == "segment" and q.server in DOMAINS]
    first_other = next((q.t for q in segs if q.server == other and q.t > t_close and q.status == 200), None)
    if drain:  # the drained region still serves; the player must have left it
        late_closed_ok = [q for q in segs if q.server == closed and first_other is not None
                          and q.t > first_other + 2 * media_mod.SEGMENT]
    else:
        late_closed_ok = [q for q in segs if q.server == closed and q.status == 200
                          and q.t > t_close + COPILOT_CACHE_SECONDS + 0.5]
    closed_404 = [q for q in requests if q.server == closed and q.status == 404 and q.t > t_close]
    t_start = timeline.playing_start(samples)
    t_end = samples[-1]["t"] / 1000
    stall = timeline.longest_stall(samples, t_start or t_close, t_end)
    advanced = timeline.playhead_at(samples, t_end) - timeline.playhead_at(samples, t_close)
    fatal = [e for e in events if e["e"] == "error" and e.get("fatal")]
    errors = [f"{e['details']}{' (fatal)' if e.get('fatal') else ''} {e.get('code')} {e.get('url')}"
              for e in events if e["e"] == "error"]
    steering_after = []
    if r.steering:
        steering_after = [(t, body) for t, _, status, body in r.steering.responses if t > t_close and status == 200]
    demoted = next((t for t, b in steering_after if json.loads(b)["PATHWAY-PRIORITY"][0] != closed), None)
    player_steered = [e for e in events if e["e"] == "steeringLoaded" and e["t"] / 1000 > t_close]
    summary = {
        "mode": mode, "hls.js": record.get("hlsVersion"), "closed": closed,
        "first_other_segment_after_close_s": None if first_other is None else round(first_other - t_close, 2),
        "longest_stall_s": round(stall.seconds, 2), "playhead_advance_after_close_s": round(advanced, 2),
        "watched_after_close_s": round(t_end - t_close, 2), "closed_region_404s": len(closed_404),
        "first_404_after_close_s": round(closed_404[0].t - t_close, 2) if closed_404 else None,
        "hls_errors": errors[:12], "steering_responses_after_close": [b for _, b in steering_after[:3]],
        "steering_demoted_closed_after_s": None if demoted is None else round(demoted - t_close, 2),
        "player_steering_priorities_after_close": [e.get("priority") for e in player_steered][:3],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{mode}-record.json").write_text(json.dumps({"summary": summary, "record": record,
                                                         "requests": [q.__dict__ for q in requests],
                                                         "t_close": t_close, "merged": r.merged_text}, indent=1))
    timeline.plot(OUT / f"{mode}-timeline.png",
                  f"hls.js {record.get('hlsVersion')} ({mode}): region {closed} closed, "
                  f"longest stall {stall.seconds:.2f} s", samples, requests, t_close, closed, stall, first_other,
                  [(t, "") for t, *_ in r.steering.responses] if r.steering else None)
    print(json.dumps(summary, indent=1))

    assert not r.handler_errors(), f"handlers raised: {r.handler_errors()[:5]}"
    assert t_start is not None, "the playhead never advanced"
    bound = STEERING_TTL + 2 * 2 + 1 if drain else FAILOVER_BOUND
    assert first_other is not None and first_other - t_close <= bound, (
        f"no segment from region {other} within {bound} s of closing {closed}: {summary}")
    assert not late_closed_ok, f"region {closed} still used: {late_closed_ok[:3]}"
    assert advanced >= (t_end - t_close) - MAX_STALL - 0.5, f"playhead did not keep advancing: {summary}"
    assert stall.seconds < MAX_STALL, f"longest stall {stall.seconds:.2f} s: {summary}"
    assert not fatal, f"hls.js fatal error: {fatal}"
    return summary


def test_failover_redundant_streams(make_rig: Callable[[bool], Rig]) -> None:
    r = make_rig(False)
    assert r.merged_text.count("#EXT-X-STREAM-INF") == 4
    s = _failover(r, "redundant")
    assert s["closed_region_404s"] > 0, "the closed region never answered 404 (copilot not consulted?)"


def test_failover_content_steering(make_rig: Callable[[bool], Rig]) -> None:
    r = make_rig(True)
    assert "#EXT-X-CONTENT-STEERING" in r.merged_text and 'PATHWAY-ID="a"' in r.merged_text
    s = _failover(r, "steering")
    other = "b" if s["closed"] == "a" else "a"
    assert r.steering is not None
    # the steering server was asked after the close, steered away from the closed
    # pathway, and hls.js received that manifest
    assert s["steering_responses_after_close"], "no steering manifest requested after the close"
    priorities = [json.loads(b)["PATHWAY-PRIORITY"] for b in s["steering_responses_after_close"]]
    assert all(p and p[0] == other for p in priorities), f"steering still prefers {s['closed']}: {priorities}"
    assert s["player_steering_priorities_after_close"], "hls.js reported no steering manifest after the close"
    assert all(p and p[0] == other for p in s["player_steering_priorities_after_close"]), s


def test_steering_update_alone_moves_the_player(make_rig: Callable[[bool], Rig]) -> None:
    """A stale region (playlist_fresh = false, copilot not in auto mode) keeps
    serving, so nothing fails: the player must move because the steering server
    put the other pathway first, with no error at all."""
    r = make_rig(True)
    s = _failover(r, "steering-drain", drain=True)
    other = "b" if s["closed"] == "a" else "a"
    assert s["closed_region_404s"] == 0 and not s["hls_errors"], s
    assert s["steering_demoted_closed_after_s"] is not None, s
    assert s["steering_demoted_closed_after_s"] <= s["first_other_segment_after_close_s"], (
        f"the player moved before the steering manifest demoted {s['closed']}: {s}")
    assert all(p and p[0] == other for p in s["player_steering_priorities_after_close"]), s


def test_ffprobe_reads_merged_and_regions(make_rig: Callable[[bool], Rig]) -> None:
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        pytest.fail("ffprobe missing (Debian package ffmpeg)")
    r = make_rig(False)

    def probe(url: str) -> list[dict[str, Any]]:
        p = subprocess.run([ffprobe, "-v", "error", "-rw_timeout", "10000000", "-print_format", "json",
                            "-show_streams", url], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, f"ffprobe {url}: {p.stderr[-1500:]}"
        return list(json.loads(p.stdout)["streams"])

    streams = probe(r.merged_url)
    heights = sorted({int(s["height"]) for s in streams if s["codec_type"] == "video"})
    assert heights == sorted(v.height for v in media_mod.ensure_media().variants), streams
    assert any(s["codec_name"] == "aac" for s in streams)
    for region in r.regions.values():
        for i, v in enumerate(media_mod.ensure_media().variants):
            s = probe(region.master_url.replace("index.m3u8", f"index_{i + 1}.m3u8"))
            assert {(x["codec_name"], x.get("height")) for x in s} == {("h264", v.height), ("aac", None)}, s
