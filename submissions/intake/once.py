"""One entry per form page, whatever the network does (issue 27 item 2, issue 25 item 4).

The key is what the form page carries already: its signed `started` stamp (platform/abuse.py:
made when the page is made, kept when the page comes back with errors), bound to the browser by
its CSRF secret (the cookie). The entry saved from a post gets a tracking token derived from the
two (an HMAC with the site's secret), so a repeated post of the same page — a retry after a
dropped connection or a timeout, a 502 from a node that died after the commit, a double tap
without JavaScript — finds the entry the first one stored and answers with its receipt, not a
second entry nor the duplicate message. The token's uniqueness in the database settles two
posts racing each other: one row wins, the other finds it.

Without a CSRF cookie or a stamp (or with a stamp too long to be ours) there is no key: the post
is taken as a new one with a fresh random token, as before. A forged stamp only reaches entries
of the same browser, and the form refuses it anyway (abuse.GuardedForm).
"""

import base64

from django.utils.crypto import salted_hmac

from submissions.models import Status, Submission

STAMP_FIELD = "started"  # abuse.GuardedForm's field
MAX_LENGTH = 200  # a stamp is about 40 characters: anything longer is not ours
_SALT = "submissions.intake.once"


def token_for(request):
    """The tracking token an entry saved from this post gets, or None (no key: a random token)."""
    stamp = request.POST.get(STAMP_FIELD, "") if request.method == "POST" else ""
    secret = request.META.get("CSRF_COOKIE") or ""
    if not stamp or not secret or len(stamp) > MAX_LENGTH:
        return None
    digest = salted_hmac(_SALT, f"{stamp}|{secret}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()  # 32 characters, like new_tracking_token()


def stored(token):
    """The entry an earlier post of the same page saved, or None."""
    if not token:
        return None
    return (
        Submission.objects.filter(tracking_token=token)
        .only("pk", "campaign", "status", "tracking_token", "contact_email")
        .first()
    )


def is_draft(entry):
    return entry.status == Status.DRAFT
