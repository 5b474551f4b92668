"""The expert's signed link (/experts/write/<signed>/): no account needed.

The link signs the request's pk and its current `link_secret` (django.core.signing, with a salt of
its own). It opens the request while the secret is unchanged (a new secret revokes every link sent
before), the request is with the expert or waiting on the editor, and the due date plus a grace of
LINK_GRACE has not passed. Each mail signs it afresh.
"""

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from submissions.models import CommentaryRequest
from submissions.platform import mail
from submissions.workflow.commentaries import OPEN

SALT = "submissions.experts.write"
LINK_GRACE = timedelta(days=7)
MAX_LINK = 200  # longer than any link we sign: refused before it is read

# Why a link does not open its request (for a clear page, never a 500).
BAD, EXPIRED, CLOSED = "bad", "expired", "closed"


def sign(request):
    return signing.dumps({"r": request.pk, "s": request.link_secret}, salt=SALT)


def write_url(request):
    return mail.absolute(reverse("experts:write", args=[sign(request)]))


def expires_at(request):
    return request.due_at + LINK_GRACE


def open_link(signed, *, now=None):
    """(request, None) for a link that opens its request, else (request or None, why): BAD (tampered,
    unknown or revoked), EXPIRED (past the due date and its grace), CLOSED (declined, accepted, withdrawn)."""
    if not signed or len(signed) > MAX_LINK:
        return None, BAD
    try:
        data = signing.loads(signed, salt=SALT)
        pk, secret = int(data["r"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, BAD
    found = (
        CommentaryRequest.objects.select_related("expert", "submission", "submission__campaign", "requested_by")
        .filter(pk=pk, link_secret=secret)
        .first()
    )
    if found is None:
        return None, BAD
    if found.status not in OPEN:
        return found, CLOSED
    if (now or timezone.now()) > expires_at(found):
        return found, EXPIRED
    return found, None
