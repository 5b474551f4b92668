"""An upload judged by its content before anything is kept (issue 29, item 2).

In this order, each step only when the one before passed, so that the cheap ones refuse first:

1. its size, from the upload's own count or the file system: nothing read yet;
2. its first bytes: an ISO base media file (`ftyp` with a video brand: MP4, MOV, 3GP) or an EBML
   header (Matroska, WebM); a playlist, a concat list, a picture or a text never reach ffmpeg;
3. ffprobe, in a child inside ceilings (process.py), with the demuxer forced to the one the first
   bytes named, `-format_whitelist` of that demuxer alone, `-protocol_whitelist file`, external
   references of MOV off (`-enable_drefs 0`) and only phones' decoders allowed: streams, sizes,
   frame rate and codecs are checked against the limits;
4. one pass of ffmpeg over every packet of the chosen streams, copied to nothing: a truncated or
   damaged file fails here, and the duration is measured rather than taken from the header
   (a Matroska header's duration is only a claim; MediaRecorder's WebM has none).

Refusals are ValidationErrors in Chinese (as platform/images.py's), with a code per reason.
"""

import json
import logging
import os
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from submissions.platform.video import limits, process

log = logging.getLogger(__name__)

SNIFF_BYTES = 256
EBML = b"\x1a\x45\xdf\xa3"
# Brands phones and their editors write (major or compatible); picture formats of the same
# family (HEIF, AVIF, JPEG 2000) are refused even when they list one of these.
VIDEO_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"qt  ",
    b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gs7", b"3g2a", b"3g2b", b"3g2c", b"M4V ", b"M4VH",
    b"M4VP", b"mmp4", b"MSNV", b"dash", b"XAVC", b"kddi",
}  # fmt: skip
PICTURE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis", b"jp2 ", b"jpx "}
# Codec (as ffprobe names it) -> the decoders allowed to read it, the first one forced when converting.
VIDEO_CODECS = {
    "h264": ("h264",),
    "hevc": ("hevc",),
    "mpeg4": ("mpeg4",),
    "h263": ("h263",),
    "vp8": ("vp8",),
    "vp9": ("vp9",),
    "av1": ("libdav1d", "libaom-av1"),
}
AUDIO_CODECS = {
    "aac": ("aac",),
    "opus": ("opus",),
    "vorbis": ("vorbis",),
    "amr_nb": ("amrnb",),
    "amr_wb": ("amrwb",),
    "mp3": ("mp3float", "mp3"),
    "pcm_s16le": ("pcm_s16le",),
    "pcm_s16be": ("pcm_s16be",),
    "alac": ("alac",),
    "flac": ("flac",),
}
DECODERS = ",".join(sorted({name for table in (VIDEO_CODECS, AUDIO_CODECS) for names in table.values() for name in names}))
ENTRIES = (
    "format=format_name,duration,nb_streams"
    ":stream=index,codec_type,codec_name,width,height,coded_width,coded_height,avg_frame_rate,r_frame_rate,"
    "channels,sample_rate,duration:stream_disposition=attached_pic"
)


@dataclass(frozen=True)
class Probe:
    """What a checked video is: `container` is the demuxer to force ("mov" or "matroska")."""

    container: str
    size: int
    duration: float
    width: int
    height: int
    fps: float
    video_codec: str
    video_stream: int
    audio_codec: str = ""
    audio_stream: int | None = None


def _reject(message, code):
    raise ValidationError(message, code=code)


def _not_a_video():
    _reject(_("无法识别该文件为视频，请上传手机拍摄的 MP4、MOV、3GP 或 WebM 视频。"), "video_unknown")


def _damaged():
    _reject(_("视频文件已损坏或不完整，请重新上传。"), "video_damaged")


def _unsupported():
    _reject(_("不支持该视频的编码格式，请在手机相册中导出为 MP4 后再上传。"), "video_codec")


def input_options(container):
    """What every ffmpeg and ffprobe run puts before its input: one demuxer, files only, phones' decoders."""
    options = ["-protocol_whitelist", "file", "-format_whitelist", container, "-codec_whitelist", DECODERS]
    options += ["-max_streams", str(limits.MAX_STREAMS * 4)]
    if container == "mov":
        options += ["-enable_drefs", "0"]
    return [*options, "-f", container]


def probe(source, *, bounds=None):
    """Check a video (a path, an uploaded file or a file object); a Probe, or ValidationError."""
    bounds = bounds or limits.current()
    name = getattr(source, "name", "") or ""
    size = _declared_size(source)
    if size is not None:
        _check_size(size, bounds, name)
    try:
        with process.opened(source, bounds.max_bytes) as opened:
            _check_size(opened.size, bounds, name)
            return _probe_open(opened, bounds)
    except process.TooLarge:
        _check_size(bounds.max_bytes + 1, bounds, name)
    except process.NotAFile:
        _not_a_video()


def _declared_size(source):
    if isinstance(source, (str, os.PathLike)):
        return os.stat(source).st_size
    size = getattr(source, "size", None)
    return size if isinstance(size, int) else None


def _check_size(size, bounds, name):
    if size > bounds.max_bytes:
        megabytes = bounds.max_bytes // (1024 * 1024)
        _reject(_("视频“%(name)s”超过 %(mb)s MB，请剪短或压缩后再上传。") % {"name": name, "mb": megabytes}, "video_too_big")
    if size == 0:
        _reject(_("视频文件是空的，请重新选择。"), "video_empty")


def sniff(head):
    """The demuxer the first bytes name ("mov" or "matroska"), or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        box = int.from_bytes(head[:4], "big")
        end = min(len(head), box) if box >= 16 else 16
        major = head[8:12]
        brands = {major} | {head[i : i + 4] for i in range(16, end - 3, 4)}
        if major not in PICTURE_BRANDS and brands & VIDEO_BRANDS:
            return "mov"
        return None
    if head[:4] == EBML and (b"webm" in head[:64] or b"matroska" in head[:64]):
        return "matroska"
    return None


def _probe_open(opened, bounds):
    container = sniff(os.pread(opened.fd, SNIFF_BYTES, 0))
    if container is None:
        _not_a_video()
    deadline = _Deadline(bounds.probe_seconds)
    info = _ffprobe(opened, container, bounds, deadline)
    checked = _judge(info, container, opened.size, bounds)
    measured = _measure(opened, checked, bounds, deadline)
    declared = checked["duration"]
    duration = max(declared or 0.0, measured or 0.0)
    if duration <= 0:
        _damaged()
    if duration > bounds.max_seconds + limits.DURATION_SLACK:
        _reject(
            _("视频时长约 %(actual)s 秒，超过了 %(limit)s 秒的上限，请剪短后再上传。")
            % {"actual": round(duration), "limit": round(bounds.max_seconds)},
            "video_too_long",
        )
    checked["duration"] = duration
    return Probe(**checked)


class _Deadline:
    def __init__(self, seconds):
        self.at = time.monotonic() + seconds

    def left(self):
        return self.at - time.monotonic()


def _run(executable, args, opened, bounds, deadline):
    """Run ffprobe or ffmpeg over the opened file inside the probe's ceilings; refuse when it was ended."""
    try:
        finished = process.run(
            [process.tool(executable), *args],
            pass_fds=[opened.fd],
            seconds=deadline.left(),
            memory_mb=bounds.probe_memory_mb,
            cpu_seconds=int(bounds.probe_seconds) + 1,
            max_file_bytes=limits.PROBE_OUTPUT_MAX_BYTES,
        )
    except process.ToolMissing:
        log.exception("video: %s is missing", executable)
        _reject(_("暂时无法检查视频，请稍后再试。"), "video_unavailable")
    if finished.ended:
        log.warning("video: %s ended (%s) after %.1f s: %s", executable, finished.ended, finished.seconds, finished.stderr[-500:])
        _reject(_("视频过于复杂，无法在限定的时间和内存内检查。请在手机相册中导出后再上传。"), "video_too_complex")
    return finished


def _ffprobe(opened, container, bounds, deadline):
    args = ["-hide_banner", "-v", "error", *input_options(container), "-print_format", "json", "-show_entries", ENTRIES]
    finished = _run(bounds.ffprobe, [*args, opened.url], opened, bounds, deadline)
    if "not on whitelist" in finished.stderr:
        _unsupported()
    if finished.returncode != 0:
        log.info("video: ffprobe refused a %s file: %s", container, finished.stderr[-500:])
        _damaged()
    try:
        info = json.loads(finished.stdout)
        return {"format": dict(info.get("format") or {}), "streams": list(info.get("streams") or [])}
    except (ValueError, TypeError, AttributeError):
        _damaged()


def _number(value, kind=float):
    try:
        number = kind(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # not NaN


def _rate(text):
    numerator, _slash, denominator = str(text or "").partition("/")
    numerator, denominator = _number(numerator), _number(denominator or 1)
    if not numerator or not denominator:
        return 0.0
    return numerator / denominator


def _judge(info, container, size, bounds):
    streams = [stream for stream in info["streams"] if isinstance(stream, dict)]
    count = _number(info["format"].get("nb_streams"), int) or len(streams)
    if count > limits.MAX_STREAMS or len(streams) > limits.MAX_STREAMS:
        _reject(
            _("视频包含的轨道过多（超过 %(max)s 条），请在手机相册中导出后再上传。") % {"max": limits.MAX_STREAMS},
            "video_streams",
        )
    pictures = [s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")]
    if not pictures:
        _reject(_("文件中没有视频画面，请上传视频文件。"), "video_no_picture")
    video = pictures[0]
    if video.get("codec_name") not in VIDEO_CODECS:
        _unsupported()
    sides = [_number(video.get(key), int) or 0 for key in ("width", "height", "coded_width", "coded_height")]
    width, height = sides[0], sides[1]
    if max(sides) > limits.MAX_EDGE or min(width, height) < limits.MIN_EDGE:
        _reject(
            _("视频画面尺寸超出范围（每边应在 %(min)s 到 %(max)s 像素之间），请在手机相册中导出后再上传。")
            % {"min": limits.MIN_EDGE, "max": limits.MAX_EDGE},
            "video_dimensions",
        )
    fps = _rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate"))
    if not 0 < fps <= limits.MAX_FPS:
        _reject(_("视频帧率异常（应在每秒 %(max)s 帧以内），请在手机相册中导出后再上传。") % {"max": limits.MAX_FPS}, "video_fps")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if audio is not None:
        channels, rate = _number(audio.get("channels"), int) or 0, _number(audio.get("sample_rate"), int) or 0
        if audio.get("codec_name") not in AUDIO_CODECS or not (
            0 < channels <= limits.MAX_CHANNELS and 0 < rate <= limits.MAX_SAMPLE_RATE
        ):
            _unsupported()
    return {
        "container": container,
        "size": size,
        "duration": _number(info["format"].get("duration")) or _number(video.get("duration")) or 0.0,
        "width": width,
        "height": height,
        "fps": round(fps, 3),
        "video_codec": video["codec_name"],
        "video_stream": _number(video.get("index"), int) or 0,
        "audio_codec": audio["codec_name"] if audio else "",
        "audio_stream": _number(audio.get("index"), int) if audio else None,
    }


def _measure(opened, checked, bounds, deadline):
    """Seconds of the chosen streams, by reading every packet (nothing decoded); a damaged file is refused."""
    args = ["-nostdin", "-hide_banner", "-v", "error", "-nostats", "-xerror"]
    args += [*input_options(checked["container"]), "-i", opened.url, "-map", f"0:{checked['video_stream']}"]
    if checked["audio_stream"] is not None:
        args += ["-map", f"0:{checked['audio_stream']}"]
    args += ["-c", "copy", "-f", "null", "-progress", "pipe:1", "-"]
    finished = _run(bounds.ffmpeg, args, opened, bounds, deadline)
    if finished.returncode != 0 or finished.stderr.strip():
        log.info("video: a %s file failed its read: %s", checked["container"], finished.stderr[-500:])
        _damaged()
    times = [
        line.partition("=")[2]
        for line in finished.stdout.decode("ascii", "replace").splitlines()
        if line.startswith("out_time_us=")
    ]
    microseconds = _number(times[-1], int) if times else None
    return microseconds / 1_000_000 if microseconds and microseconds > 0 else None
