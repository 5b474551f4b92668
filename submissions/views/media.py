"""Uploaded files, served only to those allowed to see them.

Photos of a published article are public. Everything else (photos of entries still in
review, attachments) is for the newsroom only, or for the submitter holding the entry's
tracking link (sent as ?t=<token>). The stored name alone opens nothing.
"""

import mimetypes

from django.db.models import Q
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from submissions import roles
from submissions.models import Attachment, Photo, Showcase


def _may_see(request, submission):
    if roles.has_role(request.user, roles.EDITOR, roles.CHIEF, roles.REVIEWER):
        return True
    token = request.GET.get("t")
    return bool(submission is not None and token and token == submission.tracking_token)


@require_GET
def media(request, path):
    photo = Photo.objects.select_related("submission").filter(Q(image=path) | Q(display=path) | Q(thumbnail=path)).first()
    if photo is not None:
        public = Showcase.objects.filter(photos__photo=photo, state=Showcase.State.PUBLISHED).exists()
        if not public and not _may_see(request, photo.submission):
            raise Http404
        field = next(f for f in (photo.image, photo.display, photo.thumbnail) if f.name == path)
        response = FileResponse(field.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "public, max-age=31536000, immutable" if public else "private, no-store"
        return response
    attachment = Attachment.objects.select_related("submission").filter(file=path).first()
    if attachment is None or not _may_see(request, attachment.submission):
        raise Http404
    content_type = attachment.content_type or mimetypes.guess_type(attachment.original_name)[0]
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
