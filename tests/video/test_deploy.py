"""The proxy agrees with the video upload's bounds: a clip of VIDEO_MAX_BYTES gets through nginx to
the portal (which refuses what is over, with its message), and the public path sends MP4 as video."""

import re
from pathlib import Path

from submissions.admin.video import max_post_bytes

NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
MB = 1024 * 1024


def location(path):
    text = NGINX.read_text()
    found = re.search(r"^\s*location " + re.escape(path) + r" \{(.*?)^\s*\}", text, re.M | re.S)
    assert found, f"location {path} missing from deploy/nginx.conf"
    return found.group(1)


def test_the_upload_location_lets_the_largest_clip_reach_the_portal():
    body = location("= /admin/submissions/video/add/")
    limit = int(re.search(r"client_max_body_size\s+(\d+)m;", body).group(1)) * MB
    assert max_post_bytes() < limit <= max_post_bytes() + 16 * MB


def test_the_public_path_sends_mp4_as_video():
    assert re.search(r"types \{[^}]*video/mp4 mp4;", location("/pub/"))
