"""Uploaded files, served only to those allowed to see them.

Photos of a published article are public, and so are its videos (MP4 and poster, with byte ranges). Everything else (photos of entries still in
review, attachments) is for editors and chief editors, reviewers assigned to the entry, the
accounts of the recommending body whose area it comes from (submissions/recommend), or
the submitter holding the entry's tracking link (sent as ?t=<token>). The stored name alone opens nothing.

Whatever is not allowed, does not exist or looks like a path trick is answered with the
same 404, so a guess learns nothing. Every file goes out with headers that stop a browser
from treating it as a page: no content sniffing, a CSP that allows nothing and sandboxes
it, and attachments only ever as downloads.

With MEDIA_ACCEL_REDIRECT set (production behind deploy/nginx.conf), a photo's bytes are sent
by nginx once this view has decided who may see it (X-Accel-Redirect); without it (development,
tests, S3) Django sends them.
"""

import mimetypes
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_safe

from submissions.models import Attachment, Photo, Showcase
from submissions.platform import pagecache
from submissions.video import serve as video_serve
from submissions.workflow import rules
from submissions.workflow.screening import CHECK_ELIGIBILITY

MEDIA_CSP = "default-src 'none'; sandbox"
ATTACHMENT_TYPES = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _may_see(request, submission):
    # The authority: editors see every entry's files, a reviewer those of the entries they score (a file of no
    # entry yet, staged on the form: editors only, asked without an object), a recommending body's account
    # those of the entries it checks (its own area's; asked with the entry only: without one, the permission
    # of the kind would answer yes).
    if request.user.has_perm(rules.READ_ENTRIES, submission):
        return True
    if submission is not None and request.user.has_perm(CHECK_ELIGIBILITY, submission):
        return True
    token = request.GET.get("t")
    return bool(submission is not None and token and constant_time_compare(token, submission.tracking_token))


def _clean(path):
    """The stored name asked for, or 404 for anything that is not a plain relative name."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        raise Http404
    if posixpath.normpath(path) != path or ".." in path.split("/"):
        raise Http404
    return path


def _open(field):
    try:
        return field.open("rb")
    except (OSError, ValueError):  # the row is there but the file is not: nothing to show
        raise Http404


def _published_photo(path):
    """Whether `path` is a photo of a published article, from the page cache (one shared-cache
    read instead of two queries); only a yes is stored, so unknown names add no key."""

    def compute():
        found = Photo.objects.filter(Q(image=path) | Q(display=path) | Q(thumbnail=path)).order_by().only("pk").first()
        return found is not None and Showcase.objects.live().filter(photos__photo=found).exists()

    return pagecache.versioned(("published-photo", path), compute, keep=bool)[1]


def _accel(path):
    """The access decision is made: nginx sends the file from MEDIA_ROOT (deploy/nginx.conf,
    the internal location MEDIA_ACCEL_REDIRECT): no worker is held while the bytes go out."""
    response = HttpResponse(content_type="image/jpeg")
    response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(path)
    return response


def _safe(response, cache):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = cache
    return response


@require_safe
def media(request, path):
    path = _clean(path)
    if settings.MEDIA_ACCEL_REDIRECT and _published_photo(path):
        # A published photo, as the page cache last knew it (an article's change moves its version).
        return _safe(_accel(path), "public, max-age=31536000, immutable")
    photo = Photo.objects.select_related("submission").filter(Q(image=path) | Q(display=path) | Q(thumbnail=path)).first()
    if photo is not None:
        public = Showcase.objects.live().filter(photos__photo=photo).exists()
        if not public and not _may_see(request, photo.submission):
            raise Http404
        field = next(f for f in (photo.image, photo.display, photo.thumbnail) if f.name == path)
        cache = "public, max-age=31536000, immutable" if public else "private, no-store"
        if settings.MEDIA_ACCEL_REDIRECT:
            return _safe(_accel(path), cache)
        return _safe(FileResponse(_open(field), content_type="image/jpeg"), cache)
    if path.startswith("videos/"):  # a video's MP4 or poster (submissions/video): public like a photo
        found = video_serve.find(path)
        if found is None:
            raise Http404
        video, field, content_type = found
        public = video_serve.is_public(video)
        if not public and not _may_see(request, video.submission):
            raise Http404
        cache = "public, max-age=31536000, immutable" if public else "private, no-store"
        return _safe(video_serve.response(request, field, content_type), cache)
    attachment = Attachment.objects.select_related("submission").filter(file=path).first()
    if attachment is None or not _may_see(request, attachment.submission):
        raise Http404
    content_type = attachment.content_type or mimetypes.guess_type(attachment.original_name)[0]
    if content_type not in ATTACHMENT_TYPES:
        content_type = "application/octet-stream"  # never a type a browser would render as a page
    response = FileResponse(
        _open(attachment.file), as_attachment=True, filename=attachment.original_name, content_type=content_type
    )
    return _safe(response, "private, no-store")
