# SPDX-License-Identifier: MIT
"""The ``hlspp`` command line (standard library only).

    hlspp merge   SOURCE... [-o FILE] [--mode redundant|steering] [--id ID]...
    hlspp check   SOURCE... [--json] [--strict]
    hlspp rebase  SOURCE [--base URL]
    hlspp fmt     SOURCE [--canonical]
    hlspp diff    OLD NEW --elapsed SECONDS [--json]
    hlspp lag     ORIGIN CDN [--json]
    hlspp align   A B [--json]
    hlspp watch   URL... [--json] [--count N] [--duration S]
    hlspp watch   --detector [ORIGIN_URL] [--cdn URL] [--interval S] [--count N]
    hlspp publish FILE --bucket NAME[@REGION]... --key KEY [--distribution-id ID]...

Exit codes (every command):
    0    success
    1    findings or errors in the data (validation errors, unmergeable ladders,
         unparsable playlists, stale or failing live playlists)
    2    usage error (bad arguments)
    3    fetch or I/O error (HTTP error, timeout, unreadable file, cannot write)
    130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Literal, NoReturn, TextIO, Union, cast
from urllib.parse import urlsplit

import hlspp

__all__ = ["EXIT_DATA", "EXIT_INTERRUPTED", "EXIT_IO", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_IO = 3
EXIT_INTERRUPTED = 130

Playlist = Union[hlspp.MasterPlaylist, hlspp.MediaPlaylist]
Strictness = Literal["lenient", "default", "strict"]

_EXIT_CODES = """\
exit codes:
  0    success
  1    findings or errors in the data
  2    usage error
  3    fetch or I/O error (HTTP error, timeout, unreadable file, cannot write)
  130  interrupted (Ctrl-C)
"""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class CliError(Exception):
    """An error reported as one line on stderr with an exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class UsageError(CliError):
    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


# ---------------------------------------------------------------------------
# helpers


def _is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def _split_file_base(source: str) -> tuple[str, str | None]:
    """``FILE=BASE_URL`` -> (FILE, BASE_URL); a plain file or URL -> (source, None)."""
    if _is_url(source) or source == "-" or os.path.exists(source):
        return source, None
    start = 0
    while True:
        i = source.find("=", start)
        if i < 0:
            return source, None
        if i > 0 and _SCHEME.match(source[i + 1 :]):
            return source[:i], source[i + 1 :]
        start = i + 1


def _load(source: str, *, timeout: float, base: str | None = None, strictness: Strictness = "default") -> Playlist:
    """A playlist from a URL, a file or ``-`` (stdin)."""
    if source == "-":
        data = sys.stdin.buffer.read()
        return hlspp.parse(data, base_uri=base, strictness=strictness)
    return hlspp.load(source, timeout=timeout, base_uri=base, strictness=strictness)


class _Progress:
    """A one-line progress indicator on stderr, only on a terminal and only when
    several URLs are fetched."""

    def __init__(self, urls: int) -> None:
        self.total = urls
        self.done = 0
        self.enabled = urls > 1 and _isatty(sys.stderr)

    def step(self, url: str) -> None:
        self.done += 1
        if self.enabled:
            sys.stderr.write(f"\r\x1b[Kfetching {self.done}/{self.total}: {url}")
            sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _write_output(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(output, "wb") as f:
            f.write(text.encode("utf-8"))
    except OSError as e:
        raise CliError(f"{output}: cannot write: {e.strerror or e}", EXIT_IO) from e


def _emit_playlist(pl: Playlist, args: argparse.Namespace, *, canonical: bool = False) -> None:
    if getattr(args, "json", False):
        text = json.dumps(pl.to_dict(), indent=2, sort_keys=False) + "\n"
    else:
        text = pl.dumps(canonical)
    _write_output(text, getattr(args, "output", None))


def _diag_line(source: str, d: Any) -> str:
    return f"{source}:{d.line}:{d.column}: {d.severity}: {d.code}: {d.message}"


def _parse_error_line(source: str, e: hlspp.ParseError) -> str:
    return f"{source}:{e.line}:{e.column}: {e.severity}: {e.code}: {e.message}"


# ---------------------------------------------------------------------------
# merge


def cmd_merge(args: argparse.Namespace) -> int:
    sources: list[str] = args.sources
    if len(sources) < 2:
        raise UsageError("merge needs at least two sources")
    bases: list[str] = list(args.base or [])
    plan: list[tuple[str, str, str | None]] = []  # (label, path-or-url, base)
    needs_base = 0
    for s in sources:
        path, base = _split_file_base(s)
        if not _is_url(path) and base is None:
            needs_base += 1
        plan.append((s, path, base))
    if bases and len(bases) != needs_base:
        raise UsageError(
            f"--base was given {len(bases)} time(s) but {needs_base} file source(s) lack a base URL"
            " (give one --base per file, in order, or use FILE=BASE_URL)"
        )
    it = iter(bases)
    resolved: list[tuple[str, str, str | None]] = []
    for label, path, base in plan:
        if not _is_url(path) and base is None and bases:
            base = next(it)
        resolved.append((label, path, base))

    progress = _Progress(sum(1 for _, p, _ in resolved if _is_url(p)))
    origins: list[hlspp.MasterPlaylist] = []
    try:
        for label, path, base in resolved:
            if _is_url(path):
                progress.step(path)
            try:
                pl = _load(path, timeout=args.timeout, base=base)
            except hlspp.ParseError as e:
                raise CliError(_parse_error_line(label, e), EXIT_DATA) from e
            if not isinstance(pl, hlspp.MasterPlaylist):
                raise CliError(f"{label}: a media playlist; merge needs multivariant (master) playlists", EXIT_DATA)
            origins.append(pl)
    finally:
        progress.finish()

    try:
        merged = hlspp.merge(
            origins,
            mode=args.mode,
            ids=args.ids or None,
            steering_uri=args.steering_uri,
            default_pathway=args.default_pathway,
            allow_partial=args.allow_partial,
        )
    except hlspp.MergeError as e:
        lines = [f"hlspp merge: {e.code}: {e.message}"]
        for d in e.diagnostics:
            if d.message != e.message:
                lines.append(f"hlspp merge: {d.code}: {d.message}")
        raise CliError("\n".join(lines), EXIT_DATA) from e
    _emit_playlist(merged, args)
    return EXIT_OK


# ---------------------------------------------------------------------------
# check


def cmd_check(args: argparse.Namespace) -> int:
    strictness: Strictness = "strict" if args.strict else "default"
    progress = _Progress(sum(1 for s in args.sources if _is_url(s)))
    reports: list[dict[str, Any]] = []
    worst = EXIT_OK
    try:
        for source in args.sources:
            if _is_url(source):
                progress.step(source)
            report: dict[str, Any] = {"source": source, "kind": None, "ok": False, "error": None, "diagnostics": []}
            reports.append(report)
            try:
                pl = _load(source, timeout=args.timeout, base=args.base, strictness=strictness)
            except hlspp.FetchError as e:
                report["error"] = {"type": "fetch", "message": str(e)}
                progress.finish()
                print(f"hlspp check: {e}", file=sys.stderr)
                worst = EXIT_IO
                continue
            except hlspp.ParseError as e:
                report["error"] = {"type": "parse", "message": e.message}
                report["diagnostics"] = [
                    {"line": e.line, "column": e.column, "severity": e.severity, "code": e.code, "message": e.message}
                ]
                if not args.json:
                    progress.finish()
                    print(_parse_error_line(source, e))
                worst = max(worst, EXIT_DATA)
                continue
            report["kind"] = pl.kind
            # validate() re-checks what parsing already reported, in its own words:
            # one finding per position and code, validate()'s first.
            seen: set[tuple[int, int, str, str]] = set()
            diags: list[Any] = []
            for d in list(hlspp.validate(pl)) + list(pl.diagnostics):
                key = (d.line, d.column, d.code, d.severity)
                if key not in seen:
                    seen.add(key)
                    diags.append(d)
            diags.sort(key=lambda d: (d.line, d.column))
            failing = [d for d in diags if d.severity == "error" or (args.strict and d.severity == "warning")]
            report["ok"] = not failing
            report["diagnostics"] = [
                {"line": d.line, "column": d.column, "severity": d.severity, "code": d.code, "message": d.message}
                for d in diags
            ]
            if failing:
                worst = max(worst, EXIT_DATA)
            if not args.json:
                progress.finish()
                for d in diags:
                    print(_diag_line(source, d))
    finally:
        progress.finish()
    if args.json:
        json.dump(reports, sys.stdout, indent=2)
        sys.stdout.write("\n")
    sys.stdout.flush()
    return worst


# ---------------------------------------------------------------------------
# rebase / fmt


def _load_one(args: argparse.Namespace, source: str, base: str | None) -> Playlist:
    try:
        return _load(source, timeout=args.timeout, base=base)
    except hlspp.ParseError as e:
        raise CliError(_parse_error_line(source, e), EXIT_DATA) from e


def cmd_rebase(args: argparse.Namespace) -> int:
    pl = _load_one(args, args.source, None)
    base = args.base if args.base is not None else pl.base_uri
    if base is None:
        raise UsageError("rebase needs --base URL when reading standard input")
    try:
        if args.relative:
            result = hlspp.relativize(pl, base)
        else:
            result = hlspp.rebase(pl, base)
    except hlspp.RebaseError as e:
        raise UsageError(f"--base {base!r}: {e.message}") from e
    for d in result.diagnostics:
        print(_diag_line(args.source, d), file=sys.stderr)
    _emit_playlist(pl, args)
    return EXIT_OK


def cmd_fmt(args: argparse.Namespace) -> int:
    pl = _load_one(args, args.source, None)
    _emit_playlist(pl, args, canonical=args.canonical)
    return EXIT_OK


# ---------------------------------------------------------------------------
# diff / lag / align


_DIFF_PROBLEMS = ("stale", "stuck", "reset", "invalid-update", "unavailable")


def _load_media_pair(args: argparse.Namespace, first: str, second: str) -> tuple[hlspp.MediaPlaylist, hlspp.MediaPlaylist]:
    progress = _Progress(sum(1 for s in (first, second) if _is_url(s)))
    out: list[hlspp.MediaPlaylist] = []
    try:
        for source in (first, second):
            if _is_url(source):
                progress.step(source)
            pl = _load_one(args, source, None)
            if not isinstance(pl, hlspp.MediaPlaylist):
                raise CliError(f"{source}: a multivariant (master) playlist; {args.command} needs media playlists", EXIT_DATA)
            out.append(pl)
    finally:
        progress.finish()
    return out[0], out[1]


def _print_result(fields: Sequence[tuple[str, Any]], diagnostics: Sequence[Any], source: str) -> None:
    for name, value in fields:
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, float):
            value = f"{value:g}"
        print(f"{name}: {value}")
    for d in diagnostics:
        print(_diag_line(source, d))
    sys.stdout.flush()


def _print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")
    sys.stdout.flush()


def cmd_diff(args: argparse.Namespace) -> int:
    if args.elapsed < 0:
        raise UsageError("--elapsed must be >= 0")
    old, new = _load_media_pair(args, args.old, args.new)
    d = hlspp.diff(old, new, elapsed=args.elapsed)
    if args.json:
        _print_json(d.to_dict())
    else:
        _print_result(
            [
                ("status", d.status),
                ("media_sequence_delta", d.media_sequence_delta),
                ("discontinuity_sequence_delta", d.discontinuity_sequence_delta),
                ("segments_added", d.segments_added),
                ("segments_removed", d.segments_removed),
                ("parts_added", d.parts_added),
                ("preload_hint_moved", d.preload_hint_moved),
                ("dateranges_added", d.dateranges_added),
                ("dateranges_changed", d.dateranges_changed),
                ("dateranges_removed", d.dateranges_removed),
                ("seconds_added", d.seconds_added),
                ("seconds_since_change", d.seconds_since_change),
            ],
            d.violations,
            args.new,
        )
    bad = d.status in _DIFF_PROBLEMS or any(v.severity == "error" for v in d.violations)
    return EXIT_DATA if bad else EXIT_OK


def cmd_lag(args: argparse.Namespace) -> int:
    origin, cdn = _load_media_pair(args, args.origin, args.cdn)
    r = hlspp.lag(origin, cdn)
    if args.json:
        _print_json(r.to_dict())
    else:
        _print_result(
            [
                ("segments_behind", r.segments_behind),
                ("seconds_behind", r.seconds_behind),
                ("stale_edge", r.stale_edge),
                ("player_stall", r.player_stall),
            ],
            r.diagnostics,
            args.cdn,
        )
    bad = r.stale_edge or r.player_stall or any(d.severity == "error" for d in r.diagnostics)
    return EXIT_DATA if bad else EXIT_OK


def cmd_align(args: argparse.Namespace) -> int:
    a, b = _load_media_pair(args, args.a, args.b)
    r = hlspp.align(a, b)
    if args.json:
        _print_json(r.to_dict())
    else:
        _print_result(
            [
                ("aligned", r.aligned),
                ("offset_seconds", r.offset_seconds),
                ("media_sequence_offset", r.media_sequence_offset),
            ],
            r.diagnostics,
            args.b,
        )
    return EXIT_OK if r.aligned else EXIT_DATA


# ---------------------------------------------------------------------------
# watch


@dataclass
class _Watched:
    url: str
    parent: str | None = None
    status: str = "new"
    detail: str = ""
    loads: int = 0
    text: str | None = None
    last_change: float = 0.0
    target_duration: float | None = None
    media_sequence: int | None = None
    segments: int = 0
    playlist: hlspp.MediaPlaylist | None = None
    done: bool = False


def _now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class _Watcher:
    """Follows live media playlists with RFC 8216's reload timing (section 6.3.4):
    after a load that changed the playlist, wait the last segment's duration;
    after one that did not, wait half the target duration. Statuses come from
    hlspp.diff (stale after 1.5 target durations without new media)."""

    MIN_WAIT = 0.05

    def __init__(self, args: argparse.Namespace, clock: Callable[[], float] = time.monotonic) -> None:
        self.args = args
        self.clock = clock
        self.items: list[_Watched] = []
        self.queue: list[tuple[float, int]] = []

    def emit(self, w: _Watched, status: str, detail: str) -> None:
        previous = w.status
        w.status, w.detail = status, detail
        if self.args.json:
            event = {
                "time": _now_iso(),
                "url": w.url,
                "master": w.parent,
                "status": status,
                "previous": None if previous == "new" else previous,
                "media_sequence": w.media_sequence,
                "segments": w.segments,
                "target_duration": w.target_duration,
                "detail": detail,
            }
            sys.stdout.write(json.dumps(event) + "\n")
        else:
            sys.stdout.write(f"{_now_iso()} {w.url}: {status}" + (f" ({detail})" if detail else "") + "\n")
        sys.stdout.flush()

    def add(self, url: str, parent: str | None, at: float) -> None:
        if any(w.url == url for w in self.items):
            return
        self.items.append(_Watched(url=url, parent=parent))
        heapq.heappush(self.queue, (at, len(self.items) - 1))

    def expand(self, urls: Sequence[str]) -> None:
        """Loads each URL once: a master adds all its media playlists."""
        progress = _Progress(len(urls))
        try:
            for url in urls:
                progress.step(url)
                try:
                    pl = hlspp.load(url, timeout=self.args.timeout)
                except hlspp.ParseError as e:
                    raise CliError(_parse_error_line(url, e), EXIT_DATA) from e
                now = self.clock()
                if isinstance(pl, hlspp.MasterPlaylist):
                    base = pl.base_uri or url
                    refs: list[str | None] = [v.uri for v in pl.variants]
                    refs += [r.uri for r in pl.renditions]
                    refs += [v.uri for v in pl.iframe_variants]
                    for ref in refs:
                        if ref:
                            self.add(hlspp.resolve_uri(base, ref), url, now)
                else:
                    self.add(url, None, now)
        finally:
            progress.finish()

    def load(self, w: _Watched) -> float:
        """Reloads one playlist, reports a status change, and returns the seconds to
        wait before the next load (RFC 8216 section 6.3.4)."""
        w.loads += 1
        now = self.clock()
        try:
            pl = hlspp.load(w.url, timeout=self.args.timeout)
        except (hlspp.FetchError, hlspp.ParseError) as e:
            message = str(e) if isinstance(e, hlspp.FetchError) else f"{e.line}:{e.column}: {e.code}: {e.message}"
            if w.status != "error" or w.detail != message:
                self.emit(w, "error", message)
            return max((w.target_duration or 2.0) / 2, self.MIN_WAIT)
        if not isinstance(pl, hlspp.MediaPlaylist):
            self.emit(w, "error", "not a media playlist")
            w.done = True
            return 0.0
        text = pl.dumps()
        td = float(pl.target_duration) if pl.target_duration else None
        w.target_duration = td
        changed = text != w.text
        previous = w.playlist
        w.text, w.playlist = text, pl
        w.media_sequence = pl.media_sequence or 0
        w.segments = len(pl.segments)
        if previous is None:
            w.last_change = now
            if pl.endlist:
                status, detail = "ended", f"EXT-X-ENDLIST, {w.segments} segments"
            else:
                status, detail = "live", f"media sequence {w.media_sequence}, {w.segments} segments"
        else:
            d = hlspp.diff(previous, pl, elapsed=max(now - w.last_change, 0.0))
            if d.status == "advanced":
                w.last_change = now
            status = {"advanced": "live", "unchanged": "live"}.get(d.status, d.status)
            if status == "live":
                detail = f"media sequence {w.media_sequence}, {w.segments} segments"
            elif status in ("stale", "stuck"):
                detail = f"no new media for {now - w.last_change:.1f} s, target duration {td or 0:g} s"
            elif status == "ended":
                detail = f"EXT-X-ENDLIST, {w.segments} segments"
            elif status == "reset":
                detail = f"media sequence went back to {w.media_sequence}"
            else:
                detail = "; ".join(f"{v.line}:{v.column}: {v.code}: {v.message}" for v in d.violations)
            if status == "invalid-update" or status != w.status:
                self.emit(w, status, detail)
        if previous is None:
            self.emit(w, status, detail)
        if status == "ended":
            w.done = True
            return 0.0
        if changed:
            wait = pl.segments[-1].duration if len(pl.segments) else (td or 2.0)
        else:
            wait = (td or 2.0) / 2
        return max(wait, self.MIN_WAIT)

    def run(self) -> int:
        start = self.clock()
        deadline = start + self.args.duration if self.args.duration is not None else None
        count: int | None = self.args.count
        while self.queue:
            at, i = heapq.heappop(self.queue)
            w = self.items[i]
            if deadline is not None and at > deadline:
                remaining = deadline - self.clock()
                if remaining > 0:
                    time.sleep(remaining)
                break
            delay = at - self.clock()
            if delay > 0:
                time.sleep(delay)
            wait = self.load(w)
            if w.done or (count is not None and w.loads >= count):
                continue
            heapq.heappush(self.queue, (self.clock() + wait, i))
        bad = [w for w in self.items if w.status not in ("live", "ended")]
        return EXIT_DATA if bad else EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    if args.count is not None and args.count < 1:
        raise UsageError("--count must be at least 1")
    if args.duration is not None and args.duration <= 0:
        raise UsageError("--duration must be positive")
    if args.detector:
        return cmd_watch_detector(args)
    if not args.urls:
        raise UsageError("at least one URL is needed")
    for url in args.urls:
        if not _is_url(url):
            raise UsageError(f"{url}: watch needs http(s) URLs")
    watcher = _Watcher(args)
    watcher.expand(args.urls)
    return watcher.run()


def cmd_publish(args: argparse.Namespace) -> int:
    try:
        from hlspp.aws.publish import DEFAULT_CACHE_CONTROL, PublishError, publish
    except ImportError as e:  # pragma: no cover - needs the aws extra
        raise CliError(f"hlspp publish needs boto3 (pip install 'hlspp[aws]'): {e}", EXIT_IO) from None
    if not args.buckets:
        raise UsageError("at least one --bucket is needed")
    try:
        if args.file == "-":
            body = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as f:
                body = f.read()
    except OSError as e:
        raise CliError(f"hlspp publish: {args.file}: cannot read: {e.strerror or e}", EXIT_IO) from None
    key = args.key or (os.path.basename(args.file) if args.file != "-" else "")
    if not key:
        raise UsageError("--key is needed when reading stdin")
    try:
        result = publish(
            body,
            args.buckets,
            key,
            distribution_ids=args.distribution_ids or (),
            cache_control=args.cache_control or DEFAULT_CACHE_CONTROL,
        )
    except ValueError as e:
        raise UsageError(str(e)) from None
    except PublishError as e:
        if args.json and e.result is not None:
            _print_json(e.result.to_dict())
        raise CliError(f"hlspp publish: {e}", EXIT_DATA if e.result is None else EXIT_IO) from None
    if args.json:
        _print_json(result.to_dict())
    else:
        for b in result.buckets:
            where = f"{b.bucket}@{b.region}" if b.region else b.bucket
            sys.stdout.write(f"s3://{b.bucket}/{result.key} ({where}): {b.action}\n")
        for dist, inv in result.invalidations.items():
            sys.stdout.write(f"distribution {dist}: invalidation {inv} of /{result.key}\n")
    return EXIT_OK


def cmd_watch_detector(args: argparse.Namespace) -> int:
    try:
        from hlspp.aws.detector import DetectorConfig, DetectorError, PassResult, run
    except ImportError as e:  # pragma: no cover - needs the aws extra
        raise CliError(f"hlspp watch --detector needs boto3 (pip install 'hlspp[aws]'): {e}", EXIT_IO) from None
    if len(args.urls) > 1:
        raise UsageError("--detector takes one origin URL (or HLSPP_ORIGIN_URL)")
    overrides: dict[str, Any] = {}
    if args.urls:
        overrides["origin_url"] = args.urls[0]
    if args.cdn:
        overrides["cdn_url"] = args.cdn
    if args.interval is not None:
        if args.interval <= 0:
            raise UsageError("--interval must be positive")
        overrides["poll_seconds"] = args.interval
    if args.timeout != 10.0:  # given on the command line (else HLSPP_FETCH_TIMEOUT, default 3)
        overrides["timeout"] = args.timeout
    try:
        cfg = DetectorConfig.from_env(**overrides)
    except DetectorError as e:
        raise UsageError(str(e)) from None
    last: list[PassResult] = []

    def report(res: PassResult) -> None:
        last[:] = [res]
        if args.json:
            sys.stdout.write(json.dumps(res.to_dict(), sort_keys=True) + "\n")
        else:
            state = "healthy" if res.healthy else "UNHEALTHY"
            lag = f", worst lag {res.worst_lag_seconds:.1f} s" if res.worst_lag_seconds is not None else ""
            sys.stdout.write(f"{res.at} {cfg.domain}: {state} ({res.reason}{lag})\n")
            for t in res.transitions:
                sys.stdout.write(f"{res.at}   {t['scope']} {t['url']}: {t['from']} -> {t['to']}: {t['reason']}\n")
        sys.stdout.flush()

    def report_error(e: DetectorError) -> None:  # the loop goes on
        last[:] = []
        sys.stderr.write(f"{_now_iso()} {cfg.domain}: error: {e}\n")
        sys.stderr.flush()

    try:
        # forever unless --count/--duration (a container's main loop)
        count = args.count
        seconds = args.duration if args.duration is not None else (None if count is not None else float("inf"))
        run(cfg, seconds=seconds, count=count, on_pass=report, on_error=report_error)
    except DetectorError as e:
        raise CliError(f"hlspp watch --detector: the last pass failed: {e}", EXIT_IO) from None
    return EXIT_OK if last and last[0].healthy else EXIT_DATA


# ---------------------------------------------------------------------------
# parser


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    common.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="timeout of each HTTP fetch (default: %(default)s)",
    )

    parser = argparse.ArgumentParser(
        prog="hlspp",
        description="HLS playlists: merge origins, validate, rebase, format, watch live playlists.",
        epilog="example:\n  hlspp check https://example.com/live/index.m3u8\n\n" + _EXIT_CODES,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"hlspp {hlspp.__version__}")
    parser.add_argument("--debug", action="store_true", default=False, help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "merge",
        parents=[common],
        formatter_class=_Formatter,
        help="merge two or more origins' multivariant playlists",
        description="Merges the multivariant playlists of two or more origins into one "
        "(redundant streams or content-steering pathways); every URI is made absolute "
        "against its origin's base URL. An http(s) SOURCE is fetched and its base URL is "
        "the final URL after redirects; a file SOURCE takes its base URL as FILE=BASE_URL "
        "or from --base (one per file, in order).",
        epilog="examples:\n"
        "  hlspp merge https://a.example/out/index.m3u8 https://b.example/out/index.m3u8 -o merged.m3u8\n"
        "  hlspp merge one.m3u8=https://a.example/out/index.m3u8 two.m3u8=https://b.example/out/index.m3u8\n"
        "  hlspp merge one.m3u8 two.m3u8 --base https://a.example/x.m3u8 --base https://b.example/x.m3u8 \\\n"
        "      --mode steering --id east --id west --steering-uri https://steer.example/s.json\n\n" + _EXIT_CODES,
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="URL, FILE=BASE_URL or FILE")
    p.add_argument("-o", "--output", metavar="FILE", help="write the result to FILE (default: stdout)")
    p.add_argument("--mode", choices=("redundant", "steering"), default="redundant")
    p.add_argument("--id", dest="ids", action="append", metavar="ID", help="pathway/origin id, once per source")
    p.add_argument("--steering-uri", metavar="URI", help="EXT-X-CONTENT-STEERING SERVER-URI (steering mode)")
    p.add_argument("--default-pathway", metavar="ID", help="EXT-X-CONTENT-STEERING PATHWAY-ID")
    p.add_argument("--allow-partial", action="store_true", help="keep variants missing from some origins")
    p.add_argument("--base", action="append", metavar="URL", help="base URL of a file source (repeatable)")
    p.add_argument("--json", action="store_true", help="print the merged playlist's model as JSON")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser(
        "check",
        parents=[common],
        formatter_class=_Formatter,
        help="parse and validate playlists",
        description="Parses and validates each SOURCE (URL, file or - for stdin) and prints "
        "SOURCE:LINE:COLUMN: SEVERITY: CODE: message for every finding. Exit 1 when any "
        "error is found (with --strict: any error or warning, parsing strictly).",
        epilog="examples:\n  hlspp check index.m3u8 https://cdn.example/live/index.m3u8\n"
        "  hlspp check --json --strict index.m3u8\n\n" + _EXIT_CODES,
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--json", action="store_true", help="print a JSON list of reports")
    p.add_argument("--strict", action="store_true", help="parse strictly; warnings fail too")
    p.add_argument("--base", metavar="URL", help="base URL of the sources (default: their own location)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "rebase",
        parents=[common],
        formatter_class=_Formatter,
        help="make relative URIs absolute",
        description="Makes every relative URI of SOURCE absolute against --base (default: "
        "SOURCE's own URL); with --relative, rewrites absolute URIs relative to --base.",
        epilog="example:\n  hlspp rebase index.m3u8 --base https://cdn.example/live/index.m3u8\n\n" + _EXIT_CODES,
    )
    p.add_argument("source", metavar="SOURCE", help="URL, file or - for stdin")
    p.add_argument("--base", metavar="URL")
    p.add_argument("--relative", action="store_true", help="relativize instead")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the playlist's model as JSON")
    p.set_defaults(func=cmd_rebase)

    p = sub.add_parser(
        "fmt",
        parents=[common],
        formatter_class=_Formatter,
        help="write a playlist back (lossless or canonical)",
        description="Parses SOURCE and writes it back: unchanged by default, in canonical form with --canonical.",
        epilog="example:\n  hlspp fmt --canonical index.m3u8 -o clean.m3u8\n\n" + _EXIT_CODES,
    )
    p.add_argument("source", metavar="SOURCE", help="URL, file or - for stdin")
    p.add_argument("--canonical", action="store_true")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the playlist's model as JSON")
    p.set_defaults(func=cmd_fmt)

    p = sub.add_parser(
        "diff",
        parents=[common],
        formatter_class=_Formatter,
        help="compare two snapshots of a live media playlist",
        description="Compares two snapshots of one live media playlist (hlspp.diff): what changed and "
        "whether the update is legal. ELAPSED is the seconds since OLD last brought new media. "
        "Exit 1 when the status is stale, stuck, reset, invalid-update or unavailable, or a "
        "violation is an error.",
        epilog="example:\n  hlspp diff before.m3u8 https://cdn.example/live/720p.m3u8 --elapsed 6\n\n" + _EXIT_CODES,
    )
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--elapsed", type=float, required=True, metavar="SECONDS")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser(
        "lag",
        parents=[common],
        formatter_class=_Formatter,
        help="how far a CDN copy is behind the origin",
        description="How far CDN's copy of a media playlist is behind ORIGIN's, both fetched at about "
        "the same time (hlspp.lag). Exit 1 on a stale edge or a likely player stall.",
        epilog="example:\n  hlspp lag https://origin.example/live/720p.m3u8 https://cdn.example/live/720p.m3u8\n\n"
        + _EXIT_CODES,
    )
    p.add_argument("origin", metavar="ORIGIN")
    p.add_argument("cdn", metavar="CDN")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lag)

    p = sub.add_parser(
        "align",
        parents=[common],
        formatter_class=_Formatter,
        help="check that two regions' copies of a rendition line up",
        description="Checks that B (one region's copy of a rendition) can stand in for A (another "
        "region's) (hlspp.align). Exit 1 when they are not aligned.",
        epilog="example:\n  hlspp align https://a.example/out/index_1.m3u8 https://b.example/out/index_1.m3u8\n\n"
        + _EXIT_CODES,
    )
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_align)

    p = sub.add_parser(
        "watch",
        parents=[common],
        formatter_class=_Formatter,
        help="follow live playlists and report status changes",
        description="Follows live media playlists (for a multivariant URL: all its variants, "
        "renditions and I-frame playlists) with the spec's reload timing: after a load that "
        "changed the playlist wait the last segment's duration, after one that did not wait "
        "half the target duration. Each reload is compared with the previous one by "
        "hlspp.diff; a line is printed when a playlist's status changes: live, stale (no new "
        "media for more than 1.5 target durations), stuck (3.5), reset (media sequence went "
        "back), ended (EXT-X-ENDLIST), invalid-update (an update rule broken; printed every "
        "time), error (fetch or parse failure). Runs until Ctrl-C (exit 130) or the "
        "--count/--duration bounds; exits 1 if a playlist is not live or ended at the end.",
        epilog="example:\n  hlspp watch --json https://cdn.example/live/master.m3u8\n\n" + _EXIT_CODES,
    )
    p.add_argument("urls", nargs="*", metavar="URL")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--count", type=int, metavar="N", help="stop after N loads of each playlist (--detector: N passes)")
    p.add_argument("--duration", type=float, metavar="S", help="stop after S seconds")
    p.add_argument(
        "--detector",
        action="store_true",
        help="run the stale playlist detector (hlspp.aws.detector, needs boto3) in a loop: "
        "URL is the origin (default HLSPP_ORIGIN_URL), the rest of the configuration comes from "
        "the HLSPP_* environment variables (see docs/aws.md); runs until Ctrl-C unless --count/--duration",
    )
    p.add_argument("--cdn", metavar="URL", help="--detector: the CDN copy of the origin playlist (HLSPP_CDN_URL)")
    p.add_argument("--interval", type=float, metavar="S", help="--detector: seconds between passes")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser(
        "publish",
        parents=[common],
        formatter_class=_Formatter,
        help="upload a master playlist to every region's S3 bucket (needs boto3)",
        description="Validates FILE (- for stdin), uploads it at KEY to every bucket "
        "(Content-Type application/vnd.apple.mpegurl), reads each copy back, and creates a "
        "CloudFront invalidation of /KEY for each --distribution-id when an existing object was "
        "replaced. If a bucket fails, the buckets already written get their previous object back "
        "(or lose the new one), so no two buckets differ. Buckets whose object is already "
        "identical are not written. AWS credentials, region and endpoint come from the "
        "usual AWS_* settings.",
        epilog="example:\n  hlspp publish merged.m3u8 --bucket pl-east@us-east-1 --bucket pl-west@us-west-2 "
        "--key live/master.m3u8 --distribution-id E2ABCDEF\n\n" + _EXIT_CODES,
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--bucket", dest="buckets", action="append", metavar="NAME[@REGION]", help="repeatable")
    p.add_argument("--key", metavar="KEY", help="object key (default: FILE's name)")
    p.add_argument("--distribution-id", dest="distribution_ids", action="append", metavar="ID")
    p.add_argument("--cache-control", metavar="VALUE", help="Cache-Control of the object (default max-age=60)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_publish)
    return parser


def _fail(message: str, code: int) -> int:
    for line in message.splitlines() or [""]:
        sys.stderr.write(("" if line.startswith("hlspp") else "hlspp: ") + line + "\n")
    sys.stderr.flush()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as e:  # --help, --version and usage errors
        return e.code if isinstance(e.code, int) else (EXIT_OK if e.code is None else EXIT_USAGE)
    debug = bool(getattr(args, "debug", False))
    func = cast(Callable[[argparse.Namespace], int], args.func)
    try:
        return func(args)
    except KeyboardInterrupt:
        if debug:
            raise
        sys.stderr.write("\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # stdout closed early (| head): not an error worth a traceback.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return EXIT_IO
    except Exception as e:
        if debug:
            raise
        if isinstance(e, UsageError):
            parser_prog = f"hlspp {args.command}"
            return _fail(f"{parser_prog}: error: {e}", EXIT_USAGE)
        if isinstance(e, CliError):
            return _fail(str(e), e.code)
        if isinstance(e, hlspp.FetchError):
            return _fail(f"hlspp {args.command}: {e}", EXIT_IO)
        if isinstance(e, OSError):
            return _fail(f"hlspp {args.command}: {e}", EXIT_IO)
        if isinstance(e, hlspp.Error):
            return _fail(f"hlspp {args.command}: {e}", EXIT_DATA)
        return _fail(f"hlspp {args.command}: internal error: {type(e).__name__}: {e} (run with --debug)", EXIT_DATA)


def _entry() -> NoReturn:
    sys.exit(main())


if __name__ == "__main__":
    _entry()
