"""Who is told of a move, and with which message: the workflow's "mail" effect.

The workflow decides (which event, to whom, with what in it); submissions.platform.mail renders
the editable template, keeps the message in the outbox and has a worker send it. The submitter
is told of every step they can see (accepted and published only the first time: a correction of
a published article moves its entry 已发表 → 已采用 → 已发表 and is no new event for them), the
campaign mailbox of a new entry; an article's sign-off is a step of its own: every chief editor
is told of a request, the responsible editor and the requester of the answer.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from submissions.models import ArticleState as A
from submissions.models import Status as S
from submissions.models import StatusChange
from submissions.platform import mail
from submissions.platform.people import display_name
from submissions.workflow.machines import SIGNOFF
from submissions.workflow.roles import users_with

# Status reached -> event the submitter is told about.
STATUS_EVENTS = {
    S.SUBMITTED: "received",
    S.RESUBMITTED: "resubmitted",
    S.RETURNED: "returned",
    S.SHORTLISTED: "shortlisted",
    S.ACCEPTED: "accepted",
    S.DECLINED: "declined",
    S.PUBLISHED: "published",
}
# Reached again by a correction of the published article (已发表 → 已采用 → 已发表): mailed the first time only.
ONCE = (S.ACCEPTED, S.PUBLISHED)


def moved(change):
    """Queue the mails of one move (the StatusChange just committed)."""
    change = StatusChange.objects.select_related("submission__campaign", "submission__region").get(pk=change.pk)
    if change.showcase_id:
        article_changed(change)
    else:
        entry_changed(change)


def entry_changed(change):
    """Tell the submitter (and, for a new entry, the campaign mailbox) about a status change."""
    submission = change.submission
    event = STATUS_EVENTS.get(change.to_status)
    if event is None or not first_time(change):
        return
    context = {"tracking_url": mail.tracking_url(submission), "message": change.message}
    if event == "published":
        showcase = getattr(submission, "showcase", None)
        context["article_url"] = mail.absolute(showcase.get_absolute_url()) if showcase else ""
    with transaction.atomic():
        mail.queue(event, submission.contact_email, context, submission)
        if event == "received" and submission.campaign.mailbox:
            admin_url = mail.absolute(reverse("admin:submissions_submission_change", args=[submission.pk]))
            mail.queue("mailbox_notice", submission.campaign.mailbox, {"admin_url": admin_url}, submission)


def first_time(change):
    """Whether the entry reaches this status for the first time: a correction of a published
    article moves its entry 已发表 → 已采用 → 已发表, and the submitter is told of each real event once."""
    if change.to_status not in ONCE:
        return True
    earlier = StatusChange.objects.filter(submission_id=change.submission_id, to_status=change.to_status, pk__lt=change.pk)
    return not earlier.exists()


def chief_editors():
    """Everyone who may sign an article off (the permission decides, not the group's name)."""
    return users_with(get_user_model().objects.exclude(email=""), SIGNOFF)


def article_changed(change):
    """Sign-off as a step of its own: the chief editors are told of a request, the editor of the answer."""
    article = change.showcase
    move = (change.from_status, change.to_status)
    context = {
        "article_title": article.title,
        "actor_name": display_name(change.actor),
        "message": change.message,
        "note": change.note,
        "admin_url": mail.absolute(reverse("admin:submissions_showcase_change", args=[article.pk])),
    }
    if change.to_status == A.AWAITING_SIGNOFF:
        event, people = "signoff_requested", list(chief_editors().exclude(pk=change.actor_id))
    elif change.to_status == A.SIGNED_OFF or move == (A.AWAITING_SIGNOFF, A.DRAFT):
        event = "signed_off" if change.to_status == A.SIGNED_OFF else "signoff_returned"
        requester = (
            StatusChange.objects.filter(showcase=article, to_status=A.AWAITING_SIGNOFF, actor__isnull=False)
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
        people = [article.responsible_editor] + ([requester.actor] if requester else [])
    else:
        return
    addresses = sorted({person.email for person in people if person is not None and person.email})
    with transaction.atomic():
        for address in addresses:
            mail.queue(event, address, context, article.submission)
