# SPDX-License-Identifier: MIT
"""The test's media: one ffmpeg encode of a small HLS ladder, cached.

Two variants (640x360 and 320x180, H.264 + AAC muxed in MPEG-TS), 2-second
segments with a key frame at every segment start, a testsrc2 picture with a
sine tone. Encoded once into build/e2e/media/<key>/ where <key> is a hash of the
parameters, so both "regions" serve byte-identical segments with the same
sequence numbers. ffmpeg's own VOD playlists are only read for the segment list
and durations; the regions write their live playlists themselves (rig.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "e2e" / "media"

SECONDS = 120
SEGMENT = 2
FPS = 30
# (name, width, height, video kbit/s) -- the ladder
LADDER = (("v0", 640, 360, 600), ("v1", 320, 180, 200))
AUDIO_KBPS = 64


@dataclass(frozen=True)
class Variant:
    name: str
    width: int
    height: int
    bandwidth: int  # peak bit/s over the segments, measured
    codecs: str
    segments: tuple[tuple[str, float], ...]  # (file name, duration)


@dataclass(frozen=True)
class Media:
    directory: Path
    segment_seconds: int
    variants: tuple[Variant, ...]


def _key() -> str:
    params = json.dumps([SECONDS, SEGMENT, FPS, LADDER, AUDIO_KBPS, 2], sort_keys=True)
    return hashlib.sha256(params.encode()).hexdigest()[:12]


def _encode(out: Path) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise RuntimeError("ffmpeg not found (Debian package ffmpeg)")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    n = len(LADDER)
    cmd = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
           "-f", "lavfi", "-i", f"testsrc2=size={LADDER[0][1]}x{LADDER[0][2]}:rate={FPS}:duration={SECONDS}",
           "-f", "lavfi", "-i", f"sine=frequency=440:beep_factor=4:sample_rate=48000:duration={SECONDS}",
           "-filter_complex",
           f"[0:v]split={n}" + "".join(f"[s{i}]" for i in range(n)) + ";"
           + ";".join(f"[s{i}]scale={w}:{h}[o{i}]" for i, (_, w, h, _) in enumerate(LADDER))]
    for i, (_, _, _, kbps) in enumerate(LADDER):
        cmd += ["-map", f"[o{i}]", "-map", "1:a"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "main",
            "-pix_fmt", "yuv420p", "-g", str(FPS * SEGMENT), "-keyint_min", str(FPS * SEGMENT),
            "-sc_threshold", "0", "-c:a", "aac", "-b:a", f"{AUDIO_KBPS}k", "-ac", "2", "-threads", "1"]
    for i, (_, _, _, kbps) in enumerate(LADDER):
        cmd += [f"-b:v:{i}", f"{kbps}k", f"-maxrate:v:{i}", f"{kbps}k", f"-bufsize:v:{i}", f"{kbps * 2}k"]
    cmd += ["-f", "hls", "-hls_time", str(SEGMENT), "-hls_playlist_type", "vod",
            "-hls_segment_type", "mpegts", "-hls_flags", "independent_segments",
            "-master_pl_name", "master.m3u8",
            "-var_stream_map", " ".join(f"v:{i},a:{i},name:{name}" for i, (name, *_) in enumerate(LADDER)),
            "-hls_segment_filename", str(tmp / "%v" / "seg_%05d.ts"), str(tmp / "%v" / "index.m3u8")]
    subprocess.run(cmd, check=True, timeout=600)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)


def _variant(directory: Path, name: str, width: int, height: int, codecs: str) -> Variant:
    text = (directory / name / "index.m3u8").read_text()
    segments = tuple((m.group(2), float(m.group(1)))
                     for m in re.finditer(r"#EXTINF:([0-9.]+),?\n(\S+)", text))
    peak = max((directory / name / f).stat().st_size * 8 / d for f, d in segments)
    return Variant(name, width, height, int(peak), codecs, segments)


def ensure_media() -> Media:
    """The cached encode (made on first use, ~1 min of one core)."""
    out = CACHE / _key()
    if not (out / "master.m3u8").is_file():
        _encode(out)
    master = (out / "master.m3u8").read_text()
    codecs = re.findall(r'CODECS="([^"]+)"', master)
    variants = []
    for i, (name, w, h, _) in enumerate(LADDER):
        variants.append(_variant(out, name, w, h, codecs[i] if i < len(codecs) else "avc1.4d401e,mp4a.40.2"))
    return Media(out, SEGMENT, tuple(variants))


if __name__ == "__main__":
    m = ensure_media()
    for v in m.variants:
        print(v.name, v.width, v.height, v.bandwidth, v.codecs, len(v.segments), file=sys.stdout)
