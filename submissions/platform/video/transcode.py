"""A checked video converted to what phones and WeChat's browser play, with a poster frame.

    result = transcode(stored_upload, dest_dir)   # Result(mp4_path, poster_path, width, height, duration)

The source is probed again first (check.py: the worker converts what was stored, and forces the
demuxer and decoders that probe names). Then, in a child inside ceilings (process.py), with
VIDEO_TRANSCODE_SECONDS of wall clock for the conversion and the poster together and
VIDEO_TRANSCODE_MEMORY_MB of address space:

- H.264 (libx264, else libopenh264) High profile, yuv420p, CRF 23 capped at 4 Mbit/s, the
  picture turned upright (phones record portrait as landscape with a rotation flag), the long
  edge at most 1280 and both sides even, at most 60 frames a second, at most VIDEO_MAX_SECONDS;
- AAC stereo 128 kbit/s 48 kHz from the first audio stream, if there is one;
- only those two streams: no metadata (the phone's GPS, model, dates), chapters, subtitles or data;
- `-movflags +faststart`: the index (moov) before the data, so playback starts before the download ends;
- a poster: the frame at 1 s (the middle of shorter clips) of the converted file, re-encoded
  through platform/images.py (the photo pipeline: decoded, checked, saved as a clean JPEG).

Everything is written in a private folder inside dest_dir and linked under fresh random names
only when all of it succeeded; on any failure the folder goes and TranscodeError (Chinese
message, `code`) is raised: no partial file is left.
"""

import dataclasses
import functools
import logging
import math
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from submissions.platform import images
from submissions.platform.video import limits, process
from submissions.platform.video.check import AUDIO_CODECS, VIDEO_CODECS, input_options, probe

log = logging.getLogger(__name__)

# The long edge at most OUTPUT_EDGE, never enlarged, both sides even and at least 2.
_SIDE = "max(2\\,trunc(min(1\\,{edge}/max(iw\\,ih))*{side}/2)*2)"
SCALE = "scale=w='{w}':h='{h}',format=yuv420p".format(
    w=_SIDE.format(edge=limits.OUTPUT_EDGE, side="iw"), h=_SIDE.format(edge=limits.OUTPUT_EDGE, side="ih")
)


@dataclass(frozen=True)
class Result:
    mp4_path: Path
    poster_path: Path
    width: int
    height: int
    duration: float


class TranscodeError(Exception):
    """A conversion that did not happen; `message` is in Chinese, `code` says why: "refused" (the
    probe's), "time", "memory", "size", "failed" or "unavailable"."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


def transcode(src, dest_dir, *, bounds=None):
    """Convert src (a path, an uploaded or stored file) into dest_dir; a Result, or TranscodeError."""
    bounds = bounds or limits.current()
    try:
        checked = probe(src, bounds=bounds)
    except ValidationError as exc:
        raise TranscodeError(" ".join(exc.messages), "refused") from exc
    dest = Path(dest_dir)
    deadline = time.monotonic() + bounds.transcode_seconds
    work = Path(tempfile.mkdtemp(prefix=".video-", dir=dest))
    try:
        with process.opened(src, bounds.max_bytes) as opened:
            _convert(opened, checked, work, bounds, deadline)
        with process.opened(work / "video.mp4", limits.OUTPUT_MAX_BYTES) as output:
            _poster(output, checked.duration, work, bounds, deadline)
        made = _made(work / "video.mp4", bounds)
        (work / "poster.jpg").write_bytes(_clean_jpeg(work / "poster.png"))
        return _publish(work, dest, made)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _encoder(bounds):
    try:
        return _h264(process.tool(bounds.ffmpeg))
    except process.ToolMissing as exc:
        log.exception("video: ffmpeg is missing")
        raise TranscodeError(_("服务器缺少 ffmpeg，无法转换视频，请联系管理员。"), "unavailable") from exc


@functools.lru_cache(maxsize=4)
def _h264(ffmpeg):
    """The encoder's arguments: libx264 where Debian's ffmpeg has it (it does), else libopenh264."""
    finished = process.run(
        [ffmpeg, "-hide_banner", "-encoders"], seconds=20, memory_mb=512, cpu_seconds=20, max_file_bytes=1024 * 1024
    )
    names = {line.split()[1] for line in finished.stdout.decode("ascii", "replace").splitlines() if len(line.split()) > 1}
    if "libx264" in names:
        return ["-c:v", "libx264", "-preset", limits.PRESET, "-crf", str(limits.CRF), "-profile:v", "high"]
    if "libopenh264" in names:
        return ["-c:v", "libopenh264", "-b:v", "2M", "-profile:v", "high"]
    raise TranscodeError(_("服务器的 ffmpeg 没有 H.264 编码器，无法转换视频，请联系管理员。"), "unavailable")


def _ffmpeg(args, bounds, deadline, *, pass_fds, cwd, what):
    """Run ffmpeg inside the conversion's ceilings; TranscodeError when it fails or is ended."""
    seconds = deadline - time.monotonic()
    try:
        finished = process.run(
            [process.tool(bounds.ffmpeg), "-nostdin", "-hide_banner", "-v", "error", "-nostats", "-y", *args],
            pass_fds=pass_fds,
            cwd=cwd,
            seconds=seconds,
            memory_mb=bounds.transcode_memory_mb,
            cpu_seconds=math.ceil(bounds.transcode_seconds * (bounds.threads + 1)) + 1,
            max_file_bytes=limits.OUTPUT_MAX_BYTES,
        )
    except process.ToolMissing as exc:
        log.exception("video: ffmpeg is missing")
        raise TranscodeError(_("服务器缺少 ffmpeg，无法转换视频，请联系管理员。"), "unavailable") from exc
    if finished.ok:
        return finished
    log.warning(
        "video: %s ended (%s, %s) after %.1f s: %s",
        what,
        finished.ended,
        finished.returncode,
        finished.seconds,
        finished.stderr[-800:],
    )
    if finished.ended in ("time", "cpu"):
        message = _("视频转换超出时间限制（%(seconds)s 秒），已停止。") % {"seconds": f"{bounds.transcode_seconds:g}"}
        raise TranscodeError(message, "time")
    if finished.ended == "memory":
        raise TranscodeError(_("视频转换所需内存超出限制，已停止。"), "memory")
    if finished.ended == "size":
        raise TranscodeError(_("视频转换的结果超出大小限制，已停止。"), "size")
    raise TranscodeError(_("视频无法转换，文件可能已损坏，请重新上传。"), "failed")


def _convert(opened, checked, work, bounds, deadline):
    threads = str(bounds.threads)
    args = [*input_options(checked.container), "-threads", threads, "-c:v", VIDEO_CODECS[checked.video_codec][0]]
    if checked.audio_stream is not None:
        args += ["-c:a", AUDIO_CODECS[checked.audio_codec][0]]
    args += ["-i", opened.url, "-map", f"0:{checked.video_stream}"]
    if checked.audio_stream is not None:
        args += ["-map", f"0:{checked.audio_stream}"]
    args += ["-t", f"{bounds.max_seconds:g}", "-vf", SCALE, "-fpsmax", str(limits.OUTPUT_FPS)]
    args += [*_encoder(bounds), "-pix_fmt", "yuv420p", "-maxrate", limits.MAX_RATE, "-bufsize", limits.BUFFER]
    args += ["-threads", threads, "-filter_threads", threads]
    if checked.audio_stream is not None:
        args += ["-c:a", "aac", "-b:a", limits.AUDIO_RATE, "-ac", "2", "-ar", "48000"]
    args += ["-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn", "-fflags", "+bitexact"]
    args += ["-movflags", "+faststart", "-f", "mp4", "file:video.mp4"]
    _ffmpeg(args, bounds, deadline, pass_fds=[opened.fd], cwd=work, what="conversion")


def _poster(output, duration, work, bounds, deadline):
    at = limits.POSTER_AT if duration >= 2 * limits.POSTER_AT else duration / 2
    args = [*input_options("mov"), "-ss", f"{at:.3f}", "-i", output.url, "-map", "0:v:0", "-frames:v", "1"]
    args += ["-an", "-f", "image2", "-update", "1", "-c:v", "png", "file:poster.png"]
    _ffmpeg(args, bounds, deadline, pass_fds=[output.fd], cwd=work, what="poster")
    if not (work / "poster.png").is_file():
        raise TranscodeError(_("无法从视频中取出封面画面。"), "failed")


def _made(path, bounds):
    """The converted file, probed like any upload (it must pass the same checks)."""
    try:
        return probe(path, bounds=dataclasses.replace(bounds, max_bytes=limits.OUTPUT_MAX_BYTES))
    except ValidationError as exc:
        log.warning("video: the converted file failed its probe: %s", exc.messages)
        raise TranscodeError(_("视频无法转换，文件可能已损坏，请重新上传。"), "failed") from exc


def _clean_jpeg(png):
    try:
        with open(png, "rb") as handle:
            return images.make_renditions(File(handle, name="poster.png")).image.read()
    except ValidationError as exc:
        raise TranscodeError(_("无法从视频中取出封面画面。"), "failed") from exc


def _publish(work, dest, made):
    """Link the two files into dest_dir under one fresh random name (never replacing a file)."""
    token = secrets.token_hex(12)
    mp4, poster = dest / f"{token}.mp4", dest / f"{token}.jpg"
    os.link(work / "video.mp4", mp4)
    try:
        os.link(work / "poster.jpg", poster)
    except BaseException:
        mp4.unlink(missing_ok=True)
        raise
    return Result(mp4_path=mp4, poster_path=poster, width=made.width, height=made.height, duration=made.duration)
