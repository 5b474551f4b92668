"""The video pipeline's bounds: defaults here, each overridable in Django's settings (docs/video.md)."""

from dataclasses import dataclass

from django.conf import settings

MAX_BYTES = 200 * 1024 * 1024  # VIDEO_MAX_BYTES: a 3-minute 1080p phone clip is 100-350 MB
MAX_SECONDS = 180  # VIDEO_MAX_SECONDS: a converged-media piece carries short clips
PROBE_SECONDS = 20.0  # VIDEO_PROBE_SECONDS: ffprobe and one demuxing pass, wall clock
PROBE_MEMORY_MB = 512  # VIDEO_PROBE_MEMORY_MB: ffprobe maps ~270 MB of libraries before it reads a byte
TRANSCODE_SECONDS = 300.0  # VIDEO_TRANSCODE_SECONDS: conversion and poster, wall clock
TRANSCODE_MEMORY_MB = 1024  # VIDEO_TRANSCODE_MEMORY_MB: a 4096x4096 H.264 source needs ~700 MB
THREADS = 2  # VIDEO_THREADS: decoder and encoder threads (x264 would take 1.5x the cores)

MAX_EDGE = 4096  # pixels, either side of the picture
MIN_EDGE = 16
MAX_FPS = 240  # phones' slow motion records 240 frames a second
MAX_STREAMS = 8  # video, audio and the metadata tracks phones add (iPhones write 3-5)
MAX_CHANNELS = 8
MAX_SAMPLE_RATE = 192_000
DURATION_SLACK = 0.5  # seconds: a clip of exactly the limit measures a few frames more

OUTPUT_EDGE = 1280  # the long edge of what phones play
OUTPUT_FPS = 60
CRF = 23
PRESET = "veryfast"
MAX_RATE = "4M"  # a cap on the CRF's bitrate: 180 s stay under 100 MB
BUFFER = "8M"
AUDIO_RATE = "128k"
OUTPUT_MAX_BYTES = 512 * 1024 * 1024  # RLIMIT_FSIZE of the converter: no disk filled by a runaway
PROBE_OUTPUT_MAX_BYTES = 16 * 1024 * 1024
POSTER_AT = 1.0  # seconds; the middle of clips shorter than two seconds


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_seconds: float = MAX_SECONDS
    probe_seconds: float = PROBE_SECONDS
    probe_memory_mb: int = PROBE_MEMORY_MB
    transcode_seconds: float = TRANSCODE_SECONDS
    transcode_memory_mb: int = TRANSCODE_MEMORY_MB
    threads: int = THREADS
    ffmpeg: str = "ffmpeg"
    ffprobe: str = "ffprobe"


def current():
    """The bounds in force, from the settings where set there."""
    return Limits(
        max_bytes=int(getattr(settings, "VIDEO_MAX_BYTES", MAX_BYTES)),
        max_seconds=float(getattr(settings, "VIDEO_MAX_SECONDS", MAX_SECONDS)),
        probe_seconds=float(getattr(settings, "VIDEO_PROBE_SECONDS", PROBE_SECONDS)),
        probe_memory_mb=int(getattr(settings, "VIDEO_PROBE_MEMORY_MB", PROBE_MEMORY_MB)),
        transcode_seconds=float(getattr(settings, "VIDEO_TRANSCODE_SECONDS", TRANSCODE_SECONDS)),
        transcode_memory_mb=int(getattr(settings, "VIDEO_TRANSCODE_MEMORY_MB", TRANSCODE_MEMORY_MB)),
        threads=max(1, int(getattr(settings, "VIDEO_THREADS", THREADS))),
        ffmpeg=str(getattr(settings, "VIDEO_FFMPEG", "ffmpeg")),
        ffprobe=str(getattr(settings, "VIDEO_FFPROBE", "ffprobe")),
    )
