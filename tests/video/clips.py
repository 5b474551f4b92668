"""Clips for the video area's tests, made with ffmpeg's test sources (tests/platform/test_video.py's generator)."""

import pytest

from tests.platform.test_video import make_clip


@pytest.fixture(scope="session")
def clip(tmp_path_factory):
    """A 2-second 320x240 H.264/AAC MP4, as a phone would send (made once a run)."""
    return make_clip(tmp_path_factory.mktemp("video-clips") / "phone.mp4", seconds=2)


@pytest.fixture(scope="session")
def webm_clip(tmp_path_factory):
    return make_clip(
        tmp_path_factory.mktemp("video-webm") / "browser.webm",
        seconds=2,
        video=("-c:v", "libvpx-vp9", "-deadline", "realtime"),
        extra=("-c:a", "libopus"),
    )


def ready_video(entry, clip_path, *, showcase=None, caption="视频说明"):
    """A video kept and converted through the area's own functions (the upload form's, then the task's)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from submissions.video import services

    upload = SimpleUploadedFile("clip.mp4", clip_path.read_bytes(), content_type="video/mp4")
    video = services.accept(upload, submission=entry, showcase=showcase, caption=caption)
    services.convert(video.pk)
    video.refresh_from_db()
    return video
