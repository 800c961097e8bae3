# SPDX-License-Identifier: MIT
"""The ``hlspp`` command line: every command in-process through main(), the
installed console script through subprocess, URL sources from a real HTTP
server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import hlspp
from hlspp.cli import main

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"
REGION_ONE = "https://d1q747mcnm9q46.cloudfront.net/out/v1/f53b2dd7810e43f4a05bffec4aa5c7a1/index.m3u8"
REGION_TWO = "https://d3623mp9gw7c0l.cloudfront.net/out/v1/3889cc3066c34b11ad01a1be071fb09a/index.m3u8"

Route = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """http.server in a thread on 127.0.0.1 with scripted routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        routes, hits = self.routes, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                hits[path] = hits.get(path, 0) + 1
                route = routes.get(path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Httpd(ThreadingHTTPServer):
            daemon_threads = True

        self.httpd = Httpd(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def text(self, path: str, body: str | Callable[[], str]) -> None:
        def route(h: BaseHTTPRequestHandler) -> None:
            data = (body() if callable(body) else body).encode("utf-8")
            h.send_response(200)
            h.send_header("Content-Type", "application/vnd.apple.mpegurl")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)

        self.routes[path] = route

    def status(self, path: str, code: int) -> None:
        def route(h: BaseHTTPRequestHandler) -> None:
            h.send_error(code)

        self.routes[path] = route


@pytest.fixture
def http() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    srv.text("/one/index.m3u8", (SEED / "region-one.m3u8").read_text(encoding="utf-8"))
    srv.text("/two/index.m3u8", (SEED / "region-two.m3u8").read_text(encoding="utf-8"))
    srv.status("/broken/index.m3u8", 500)
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
        srv.thread.join(timeout=5)


def seed_merged() -> str:
    return (SEED / "merged.m3u8").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def console_script() -> str:
    here = Path(sys.executable).parent / "hlspp"
    found = str(here) if here.exists() else shutil.which("hlspp")
    if found is None:
        pytest.skip("the hlspp console script is not installed")
    return found


# ---------------------------------------------------------------- merge


def test_merge_two_http_regions_matches_seed(http: Server, capsys: pytest.CaptureFixture[str]) -> None:
    one, two = http.url("/one/index.m3u8"), http.url("/two/index.m3u8")
    code, out, err = run(capsys, "merge", one, two)
    assert code == 0, err
    expected = (
        seed_merged()
        .replace(REGION_ONE.rsplit("/", 1)[0] + "/", http.url("/one/"))
        .replace(REGION_TWO.rsplit("/", 1)[0] + "/", http.url("/two/"))
    )
    assert out == expected
    uris = [line for line in out.splitlines() if line and not line.startswith("#")]
    assert uris[0::2] == [http.url(f"/one/index_{i}.m3u8") for i in (1, 2, 3)]
    assert uris[1::2] == [http.url(f"/two/index_{i}.m3u8") for i in (1, 2, 3)]
    assert err == ""  # no progress line: stderr is not a terminal


def test_merge_file_base_byte_exact(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    one, two = SEED / "region-one.m3u8", SEED / "region-two.m3u8"
    code, out, err = run(capsys, "merge", f"{one}={REGION_ONE}", f"{two}={REGION_TWO}")
    assert (code, err) == (0, "")
    assert out == seed_merged()
    target = tmp_path / "merged.m3u8"
    code, out, err = run(capsys, "merge", str(one), str(two), "--base", REGION_ONE, "--base", REGION_TWO, "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_bytes() == (SEED / "merged.m3u8").read_bytes()


def test_merge_steering_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    one, two = SEED / "region-one.m3u8", SEED / "region-two.m3u8"
    code, out, err = run(
        capsys, "merge", f"{one}={REGION_ONE}", f"{two}={REGION_TWO}", "--mode", "steering",
        "--id", "east", "--id", "west", "--steering-uri", "https://steer.example/s.json",
        "--default-pathway", "west",
    )
    assert code == 0, err
    merged = hlspp.parse(out)
    assert isinstance(merged, hlspp.MasterPlaylist)
    assert merged.content_steering is not None and merged.content_steering.pathway_id == "west"
    assert {v.pathway_id for v in merged.variants} == {"east", "west"}
    code, out, err = run(capsys, "merge", f"{one}={REGION_ONE}", f"{two}={REGION_TWO}", "--json")
    assert code == 0
    assert len(json.loads(out)["variants"]) == 6


def test_merge_errors(http: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    one = http.url("/one/index.m3u8")
    for bad, status in (("/missing/index.m3u8", "404"), ("/broken/index.m3u8", "500")):
        code, out, err = run(capsys, "merge", one, http.url(bad))
        assert code == 3
        assert out == ""
        assert len(err.splitlines()) == 1 and status in err and "Traceback" not in err
    code, out, err = run(capsys, "merge", one)
    assert code == 2 and "at least two" in err
    # a ladder that does not match: data error, exit 1
    short = tmp_path / "short.m3u8"
    short.write_text("\n".join((SEED / "region-one.m3u8").read_text().splitlines()[:5]) + "\n")
    code, out, err = run(capsys, "merge", one, f"{short}={REGION_TWO}")
    assert code == 1 and out == "" and "ladder-mismatch" in err
    code, out, err = run(capsys, "merge", one, f"{short}={REGION_TWO}", "--allow-partial")
    assert code == 0 and out.startswith("#EXTM3U")
    # --base count must match the files lacking one
    code, out, err = run(capsys, "merge", str(short), str(short), "--base", REGION_ONE)
    assert code == 2


def test_merge_through_console_script() -> None:
    script = console_script()
    one, two = SEED / "region-one.m3u8", SEED / "region-two.m3u8"
    proc = subprocess.run(
        [script, "merge", f"{one}={REGION_ONE}", f"{two}={REGION_TWO}"], capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (SEED / "merged.m3u8").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "hlspp.cli", "merge", "--help"], capture_output=True, timeout=60)
    assert proc.returncode == 0 and b"example" in proc.stdout


# ---------------------------------------------------------------- check

BAD_MEDIA = """\
#EXTM3U
#EXT-X-TARGETDURATION:2
#EXTINF:9.5,
a.ts
#EXT-X-ENDLIST
"""


def test_check_clean_and_findings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = SEED / "region-one.m3u8"
    code, out, err = run(capsys, "check", str(good))
    assert (code, err) == (0, "")
    bad = tmp_path / "bad.m3u8"
    bad.write_text(BAD_MEDIA)
    expected = [d for d in hlspp.validate(hlspp.parse(BAD_MEDIA)) if d.severity == "error"]
    assert expected, "the sample must have a validation error"
    code, out, err = run(capsys, "check", str(good), str(bad))
    assert code == 1
    lines = out.splitlines()
    d = expected[0]
    assert f"{bad}:{d.line}:{d.column}: error: {d.code}: {d.message}" in lines
    for line in lines:
        src, ln, col, rest = line.split(":", 3)
        assert src == str(bad) and ln.isdigit() and col.isdigit()
        assert rest.split(":")[0].strip() in ("info", "warning", "error")


def test_check_parse_error_line_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "notm3u.m3u8"
    bad.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:abc\n#EXTINF:1,\na.ts\n")
    try:
        hlspp.parse(bad.read_text(), strictness="strict")
    except hlspp.ParseError as e:
        code, out, err = run(capsys, "check", "--strict", str(bad))
        assert code == 1
        assert f"{bad}:{e.line}:{e.column}: error: {e.code}: " in out
    else:  # pragma: no cover - depends on the parser's rules
        pytest.fail("strict parsing should reject a non-numeric target duration")


def test_check_json(http: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.m3u8"
    bad.write_text(BAD_MEDIA)
    code, out, err = run(capsys, "check", "--json", http.url("/one/index.m3u8"), str(bad))
    assert code == 1
    reports = json.loads(out)
    assert [r["source"] for r in reports] == [http.url("/one/index.m3u8"), str(bad)]
    assert reports[0]["ok"] is True and reports[0]["kind"] == "master"
    assert reports[1]["ok"] is False and reports[1]["kind"] == "media"
    assert all({"line", "column", "severity", "code", "message"} <= set(d) for d in reports[1]["diagnostics"])


def test_check_fetch_errors(http: Server, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", http.url("/broken/index.m3u8"))
    assert code == 3 and len(err.splitlines()) == 1 and "500" in err
    code, out, err = run(capsys, "check", http.url("/nope.m3u8"), http.url("/one/index.m3u8"))
    assert code == 3 and len(err.splitlines()) == 1 and "404" in err


# ---------------------------------------------------------------- rebase, fmt


def test_rebase(http: Server, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rebase", str(SEED / "region-one.m3u8"), "--base", REGION_ONE)
    assert (code, err) == (0, "")
    pl = hlspp.parse(out)
    assert isinstance(pl, hlspp.MasterPlaylist)
    assert [v.uri for v in pl.variants] == [REGION_ONE.replace("index.m3u8", f"index_{i}.m3u8") for i in (1, 2, 3)]
    # a URL source defaults to its own URL
    code, out, err = run(capsys, "rebase", http.url("/two/index.m3u8"))
    assert code == 0 and http.url("/two/index_4.m3u8") in out
    code, out, err = run(capsys, "rebase", str(SEED / "region-one.m3u8"), "--base", "not a url")
    assert code == 2 and len(err.splitlines()) == 1


def test_fmt(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n# a comment\n#EXTINF:6.000,\na.ts\n#EXT-X-ENDLIST\n"
    src = tmp_path / "m.m3u8"
    src.write_text(text)
    code, out, err = run(capsys, "fmt", str(src))
    assert (code, out, err) == (0, text, "")
    code, out, err = run(capsys, "fmt", "--canonical", str(src))
    assert code == 0 and out == hlspp.parse(text).dumps(canonical=True)
    code, out, err = run(capsys, "fmt", "--json", str(src))
    assert code == 0 and json.loads(out)["target_duration"] == 6
    code, out, err = run(capsys, "fmt", str(tmp_path / "absent.m3u8"))
    assert code == 3 and len(err.splitlines()) == 1


# ---------------------------------------------------------------- usage


def test_usage_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    for cmd in ("merge", "check", "rebase", "fmt", "diff", "lag", "align", "watch"):
        code, out, err = run(capsys, cmd, "--help")
        assert code == 0 and "example" in out and "exit codes" in out
    code, out, err = run(capsys)
    assert code == 2
    code, out, err = run(capsys, "frobnicate")
    assert code == 2
    code, out, err = run(capsys, "diff", "a.m3u8", "b.m3u8")  # --elapsed is required
    assert code == 2 and "--elapsed" in err


# ---------------------------------------------------------------- diff, lag, align


def snapshot(seq: int, count: int = 3, *, target: int = 6, dur: float = 6.0, endlist: bool = False) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{target}", f"#EXT-X-MEDIA-SEQUENCE:{seq}"]
    for i in range(seq, seq + count):
        lines += [f"#EXTINF:{dur:.3f},", f"seg{i}.ts"]
    if endlist:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def media(text: str) -> hlspp.MediaPlaylist:
    pl = hlspp.parse(text)
    assert isinstance(pl, hlspp.MediaPlaylist)
    return pl


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_diff(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = write(tmp_path, "old.m3u8", snapshot(10))
    new = write(tmp_path, "new.m3u8", snapshot(11))
    code, out, err = run(capsys, "diff", old, new, "--elapsed", "6")
    assert (code, err) == (0, "")
    assert "status: advanced" in out.splitlines()
    assert "media_sequence_delta: 1" in out.splitlines()
    code, out, err = run(capsys, "diff", old, new, "--elapsed", "6", "--json")
    expected = hlspp.diff(media(snapshot(10)), media(snapshot(11)), elapsed=6).to_dict()
    assert code == 0 and json.loads(out) == json.loads(json.dumps(expected))
    # no change for far longer than the target duration: stale or worse, exit 1
    code, out, err = run(capsys, "diff", old, old, "--elapsed", "30", "--json")
    assert code == 1 and json.loads(out)["status"] in ("stale", "stuck")
    # the media sequence went back
    code, out, err = run(capsys, "diff", new, old, "--elapsed", "1", "--json")
    assert code == 1 and json.loads(out)["status"] in ("reset", "invalid-update")
    master = str(SEED / "region-one.m3u8")
    code, out, err = run(capsys, "diff", master, new, "--elapsed", "1")
    assert code == 1 and len(err.splitlines()) == 1 and "media playlist" in err


def test_lag(http: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    http.text("/origin/720p.m3u8", snapshot(20))
    http.text("/cdn/720p.m3u8", snapshot(18))
    code, out, err = run(capsys, "lag", http.url("/origin/720p.m3u8"), http.url("/cdn/720p.m3u8"), "--json")
    result = json.loads(out)
    assert result["segments_behind"] == 2
    api = hlspp.lag(media(snapshot(20)), media(snapshot(18)))
    assert code == (1 if api.stale_edge or api.player_stall else 0)
    same = write(tmp_path, "same.m3u8", snapshot(20))
    code, out, err = run(capsys, "lag", same, same)
    assert code == 0 and "segments_behind: 0" in out.splitlines()
    code, out, err = run(capsys, "lag", same, http.url("/cdn/missing.m3u8"))
    assert code == 3 and len(err.splitlines()) == 1


def test_align(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a = write(tmp_path, "a.m3u8", snapshot(100))
    b = write(tmp_path, "b.m3u8", snapshot(100))
    code, out, err = run(capsys, "align", a, b)
    assert code == 0 and "aligned: yes" in out.splitlines()
    other = snapshot(100, dur=4.0, target=4)
    c = write(tmp_path, "c.m3u8", other)
    api = hlspp.align(media(snapshot(100)), media(other))
    code, out, err = run(capsys, "align", a, c, "--json")
    assert json.loads(out)["aligned"] is api.aligned
    assert code == (0 if api.aligned else 1)


# ---------------------------------------------------------------- watch


class LivePlaylist:
    """A live media playlist that gains a segment on each of its first `advances`
    requests and then freezes."""

    def __init__(self, advances: int, target: int = 1, seg: float = 0.5, count: int = 8) -> None:
        self.advances = advances
        self.count = count
        self.target = target
        self.seg = seg
        self.requests = 0
        self.lock = threading.Lock()

    def __call__(self) -> str:
        with self.lock:
            self.requests += 1
            n = min(self.requests, self.advances)
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{self.target}", f"#EXT-X-MEDIA-SEQUENCE:{n}"]
        for i in range(n, n + self.count):
            lines += [f"#EXTINF:{self.seg:.3f},", f"seg{i}.ts"]
        return "\n".join(lines) + "\n"


def test_watch_live_then_stale(http: Server, capsys: pytest.CaptureFixture[str]) -> None:
    live = LivePlaylist(advances=3)
    http.text("/live/index.m3u8", live)
    url = http.url("/live/index.m3u8")
    started = time.monotonic()
    code, out, err = run(capsys, "watch", "--json", "--duration", "4", url)
    elapsed = time.monotonic() - started
    assert code == 1, err  # stale at the end
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["status"] for e in events] == ["live", "stale"]
    assert all(e["url"] == url for e in events)
    assert events[1]["media_sequence"] == 3 and events[1]["previous"] == "live"
    assert 3.5 <= elapsed < 7
    # reload timing: 3 changed loads 0.5 s (the last segment) apart, then one every
    # 0.5 s (half the target duration): 0, 0.5, 1, 1.5, 2, 2.5, 3 (stale), 3.5
    assert 7 <= live.requests <= 9


def test_watch_reports_invalid_updates(http: Server, capsys: pytest.CaptureFixture[str]) -> None:
    # a window shorter than 3 target durations that drops segments breaks an update rule
    http.text("/short/index.m3u8", LivePlaylist(advances=100, seg=0.2, count=3))
    code, out, err = run(capsys, "watch", "--count", "3", http.url("/short/index.m3u8"))
    assert code == 1
    lines = out.splitlines()
    assert ": live (" in lines[0]
    assert len(lines) == 3 and all(": invalid-update (" in line and "update-window-too-short" in line for line in lines[1:])


def test_watch_master_follows_all_media(http: Server, capsys: pytest.CaptureFixture[str]) -> None:
    ended = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\na.ts\n#EXT-X-ENDLIST\n"
    http.text("/m/hi.m3u8", ended)
    http.text("/m/lo.m3u8", LivePlaylist(advances=100))
    http.text("/m/audio.m3u8", ended)
    http.text("/m/iframes.m3u8", ended)
    http.text(
        "/m/master.m3u8",
        "#EXTM3U\n"
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio.m3u8"\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=2000000,AUDIO="a"\nhi.m3u8\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=1000000,AUDIO="a"\nlo.m3u8\n'
        '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,URI="iframes.m3u8"\n',
    )
    code, out, err = run(capsys, "watch", "--count", "3", http.url("/m/master.m3u8"))
    assert code == 0, err
    lines = out.splitlines()
    for name in ("hi", "audio", "iframes"):
        assert any(line.endswith(f"{http.url(f'/m/{name}.m3u8')}: ended (EXT-X-ENDLIST, 1 segments)") for line in lines)
    assert any(f"{http.url('/m/lo.m3u8')}: live (" in line for line in lines)
    assert http.hits["/m/lo.m3u8"] == 3 and http.hits["/m/hi.m3u8"] == 1


def test_watch_errors(http: Server, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "watch", "--count", "1", http.url("/gone.m3u8"))
    assert code == 3 and len(err.splitlines()) == 1 and "404" in err
    code, out, err = run(capsys, "watch", str(SEED / "region-one.m3u8"))
    assert code == 2


def test_watch_interrupt_in_process(http: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    http.text("/live/index.m3u8", LivePlaylist(advances=100))

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupt)
    code, out, err = run(capsys, "watch", http.url("/live/index.m3u8"))
    assert code == 130 and "Traceback" not in err


@pytest.mark.skipif(os.name != "posix", reason="SIGINT delivery")
def test_watch_ctrl_c_console_script(http: Server) -> None:
    script = console_script()
    http.text("/live/index.m3u8", LivePlaylist(advances=1000))
    proc = subprocess.Popen(
        [script, "watch", http.url("/live/index.m3u8")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert b": live (" in first
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert b"Traceback" not in err
