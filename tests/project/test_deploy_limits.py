"""The proxy's upload limit agrees with Django's: the largest entry the form accepts gets
through nginx, and nothing much larger does."""

import re
from pathlib import Path

from django.conf import settings

from submissions.intake.forms import parts, uploads
from submissions.platform import images

NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
MB = 1024 * 1024


def test_nginx_body_limit_is_the_largest_entry_the_form_takes():
    found = re.search(r"^\s*client_max_body_size\s+(\d+)m;", NGINX.read_text(), re.M)
    assert found, "client_max_body_size missing from deploy/nginx.conf"
    largest_entry = (
        parts.MAX_PHOTOS * images.MAX_BYTES
        + uploads.MAX_ATTACHMENTS * uploads.MAX_ATTACHMENT_BYTES
        + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    assert int(found.group(1)) * MB == largest_entry
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES >= parts.MAX_PHOTOS + uploads.MAX_ATTACHMENTS
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < images.MAX_BYTES  # large files stream to disk
