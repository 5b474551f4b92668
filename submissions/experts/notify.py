"""Who is mailed of a commentary, through the outbox and its editable templates (platform/mail.py): the
expert of the request (with a freshly signed link), of each reminder, of a revision asked for and of a
withdrawal; the requesting editor of a commentary written or declined. The request and the reminders
are mailed by services.py; every move by the workflow's "commentary_mail" effect (hooks.py)."""

from django.urls import reverse
from django.utils import formats, timezone

from submissions.experts import links
from submissions.models import CommentaryStatus
from submissions.platform import mail

S = CommentaryStatus
WHEN_FORMAT = "Y年n月j日 H:i"  # Beijing time


def when(moment):
    return formats.date_format(timezone.localtime(moment), WHEN_FORMAT) if moment else ""


def _admin_url(request):
    return mail.absolute(reverse("admin:submissions_commentaryrequest_change", args=[request.pk]))


def _to_expert(event, request, **extra):
    expert = request.expert
    if not expert.email:
        return None
    context = {
        "expert_name": expert.name,
        "commentary_due": when(request.due_at),
        "write_url": links.write_url(request),
        "brief": request.brief or "—",
        **extra,
    }
    return mail.queue(event, expert.email, context, request.submission)


def _to_editor(event, request, **extra):
    editor = request.requested_by
    if editor is None or not editor.email:
        return None
    context = {"expert_name": request.expert.name, "admin_url": _admin_url(request), **extra}
    return mail.queue(event, editor.email, context, request.submission)


def requested(request):
    return _to_expert("commentary_requested", request)


def reminder(request):
    return _to_expert("commentary_reminder", request)


def moved(change):
    """The "commentary_mail" effect: by the move's new status."""
    request = change.request
    if change.to_status == S.WRITTEN:
        return _to_editor("commentary_written", request)
    if change.to_status == S.DECLINED:
        return _to_editor("commentary_declined", request, message=change.message)
    if change.to_status == S.REQUESTED:
        return _to_expert("commentary_revision", request, message=change.message)
    if change.to_status == S.WITHDRAWN:
        return _to_expert("commentary_withdrawn", request, message=change.message)
    return None
