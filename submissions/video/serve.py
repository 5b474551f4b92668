"""A video's MP4 and poster as the media view sends them: one byte range when asked (a <video>
seeks, and Safari and WeChat's browser ask for ranges before they play), else the whole file.

With MEDIA_ACCEL_REDIRECT (production), nginx sends the bytes and answers the ranges itself.
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

from submissions.models import Video

MP4 = "video/mp4"
JPEG = "image/jpeg"
CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def find(path):
    """(video, field, content type) for a stored MP4 or poster name, or None."""
    video = Video.objects.select_related("submission").filter(mp4=path).first()
    if video is not None:
        return video, video.mp4, MP4
    video = Video.objects.select_related("submission").filter(poster=path).first()
    if video is not None:
        return video, video.poster, JPEG
    return None


def is_public(video):
    return Video.objects.live().filter(pk=video.pk).exists()


def response(request, field, content_type):
    """The file's bytes (200, or 206 for one satisfiable range, or 416)."""
    if settings.MEDIA_ACCEL_REDIRECT:
        answer = HttpResponse(content_type=content_type)
        answer["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(field.name)
        return answer
    try:
        handle = field.open("rb")
        size = field.size
    except (OSError, ValueError):
        raise Http404 from None
    wanted = _range(request.META.get("HTTP_RANGE", ""), size)
    if wanted is None:
        answer = FileResponse(handle, content_type=content_type)
    elif wanted == "unsatisfiable":
        handle.close()
        answer = HttpResponse(status=416, content_type=content_type)
        answer["Content-Range"] = f"bytes */{size}"
    else:
        start, end = wanted
        handle.seek(start)
        answer = StreamingHttpResponse(_chunks(handle, end - start + 1), status=206, content_type=content_type)
        answer["Content-Range"] = f"bytes {start}-{end}/{size}"
        answer["Content-Length"] = str(end - start + 1)
    answer["Accept-Ranges"] = "bytes"
    return answer


def _range(header, size):
    """(start, end) of one range, "unsatisfiable", or None (no range, or several: the whole file)."""
    found = _RANGE.match(header.strip()) if header else None
    if found is None:
        return None
    first, last = found.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "unsatisfiable"
    return start, end


def _chunks(handle, remaining):
    try:
        while remaining > 0:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    finally:
        handle.close()
