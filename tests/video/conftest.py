from tests.video.clips import clip, webm_clip  # noqa: F401
