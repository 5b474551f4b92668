"""专家智库: every write of the experts area.

An editor asks an expert for a commentary on an entry by a due date (the expert is mailed a signed
link); the expert writes it (and, if they wish, a brand diagnosis) or declines, signed in or through
the link; the editor accepts it, asks for a revision or withdraws the request. Every status change
goes through workflow.transition() (submissions.workflow.commentaries); the text is written here, in
the same transaction as the move, and only if the expert's form still shows the request as it is
(its version): a form older than an editor's change is refused, not applied.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.experts import notify
from submissions.models import CommentaryRequest, CommentaryStatus, Expert, Status
from submissions.models.expert import DIAGNOSIS_MAX, TEXT_MAX, _secret
from submissions.platform import reminders
from submissions.workflow import roles
from submissions.workflow.commentaries import COMMENTARY, REQUEST

S = CommentaryStatus
# An entry may be commented on once it is with the editors' shortlist or further on.
COMMENTABLE = (Status.SHORTLISTED, Status.FINAL_REVIEW, Status.ACCEPTED, Status.PUBLISHED)
REASON_MAX = 500
LINK_ACTOR = workflow.EXPERT_LINK  # the signed link's holder


class CommentaryError(Exception):
    """A refused change; str() is a message for the person (Chinese)."""


def reminder_days():
    """The steps before a commentary's due date, in days, largest first (settings.EXPERT_REMINDER_DAYS)."""
    return reminders.days_before("EXPERT_REMINDER_DAYS")


def save_expert(expert):
    """Save an expert; a linked account is put in the 点评专家 role (it writes its own requests only)."""
    expert.save()
    if expert.user_id is not None:
        roles.grant(expert.user, roles.COMMENTATOR)
    return expert


def request(entry, *, editor, expert, due_at, brief=""):
    """Ask `expert` for a commentary on `entry` by `due_at`; the expert is mailed once it commits."""
    if not editor.has_perm(REQUEST):
        raise CommentaryError(_("您没有约请专家点评的权限。"))
    check_request(entry, expert, due_at, brief)
    with transaction.atomic():
        made = CommentaryRequest.objects.create(
            expert=expert, submission=entry, due_at=due_at, brief=brief.strip(), requested_by=editor
        )
        transaction.on_commit(lambda: notify.requested(made))
    return made


def check_request(entry, expert, due_at, brief=""):
    """CommentaryError unless this request may be made (the admin's form shows it next to the fields)."""
    if entry.status not in COMMENTABLE:
        raise CommentaryError(_("只有已入围或已采用的作品才能约请专家点评。"))
    if not expert.active:
        raise CommentaryError(_("这位专家已不在库中。"))
    if due_at <= timezone.now():
        raise CommentaryError(_("截稿时间不能早于现在。"))
    if len(brief) > 1000:
        raise CommentaryError(_("约稿说明不能超过 1000 字。"))
    if CommentaryRequest.objects.filter(expert=expert, submission=entry, status__in=(S.REQUESTED, S.WRITTEN)).exists():
        raise CommentaryError(_("已向这位专家约过这件作品的点评，尚未办结。"))


def _bounded(text, diagnosis):
    text, diagnosis = text.strip(), diagnosis.strip()
    if len(text) > TEXT_MAX:
        raise CommentaryError(_("点评不能超过 %(count)s 字。") % {"count": TEXT_MAX})
    if len(diagnosis) > DIAGNOSIS_MAX:
        raise CommentaryError(_("品牌诊断不能超过 %(count)s 字。") % {"count": DIAGNOSIS_MAX})
    return text, diagnosis


def _claim(request, seen_version, **fields):
    """Write the expert's text only if the request is still with them, as their form showed it."""
    won = CommentaryRequest.objects.filter(pk=request.pk, status=S.REQUESTED, version=seen_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if not won:
        raise CommentaryError(_("编辑部刚刚更新了这份约稿，请查看最新状态；您填写的内容仍保留在下面。"))
    request.refresh_from_db(fields=["version", *fields])


def _check_actor(request, actor, to):
    """Before anything is written: the actor may make this move (the workflow's table and authority)."""
    who = COMMENTARY.table.get((request.status, to))
    if who is None or not workflow.may(actor, who, request):
        raise workflow.TransitionError(_("您没有权限办理这份约稿。"))


def _moved(request, to, actor, seen_version, fields, message="", via=""):
    """The expert's text and the move, in one transaction; a refusal leaves the object as the database has it."""
    _check_actor(request, actor, to)
    try:
        with transaction.atomic():
            _claim(request, seen_version, **fields)
            workflow.transition(request, to, actor=actor, message=message, via=via)
    except BaseException:
        request.refresh_from_db()
        raise
    return request


def save_draft(request, text, diagnosis, seen_version, actor=None):
    """保存草稿: the text kept without moving (the expert comes back to it)."""
    text, diagnosis = _bounded(text, diagnosis)
    if actor is not None:
        _check_actor(request, actor, S.WRITTEN)  # a draft is saved by whoever may write it
    with transaction.atomic():
        _claim(request, seen_version, text=text, diagnosis=diagnosis)
    return request


def write(request, actor, text, diagnosis, seen_version, *, via=""):
    """The expert submits: requested → written, the editor mailed (effect)."""
    text, diagnosis = _bounded(text, diagnosis)
    if not text:
        raise CommentaryError(_("请填写点评内容。"))
    return _moved(request, S.WRITTEN, actor, seen_version, {"text": text, "diagnosis": diagnosis}, via=via)


def decline(request, actor, reason, seen_version, *, via=""):
    """The expert declines, with a reason: the editor is mailed (effect)."""
    reason = reason.strip()
    if not reason:
        raise CommentaryError(_("请填写婉拒的原因。"))
    if len(reason) > REASON_MAX:
        raise CommentaryError(_("原因不能超过 %(count)s 字。") % {"count": REASON_MAX})
    return _moved(request, S.DECLINED, actor, seen_version, {}, message=reason, via=via)


def accept(request, editor, *, via=""):
    workflow.transition(request, S.ACCEPTED, actor=editor, via=via)
    return request


def ask_revision(request, editor, message, *, via=""):
    workflow.transition(request, S.REQUESTED, actor=editor, message=message, via=via)
    return request


def withdraw(request, editor, reason, *, via=""):
    workflow.transition(request, S.WITHDRAWN, actor=editor, message=reason, via=via)
    return request


def rotate_link(request):
    """A new secret: every link mailed before stops working; the expert is mailed the new one."""
    CommentaryRequest.objects.filter(pk=request.pk).update(link_secret=_secret())
    request.refresh_from_db(fields=["link_secret"])
    if request.status == S.REQUESTED:
        transaction.on_commit(lambda: notify.requested(request))
    return request


def _steps_due(request, now, days):
    """How many reminder steps (days before the due date) have come since the request was made."""
    return sum(1 for day in days if request.created_at < request.due_at - timedelta(days=day) <= now)


def remind_due(now=None):
    """Mail each expert whose request is still with them and due within a reminder step: each step once
    (a compare-and-swap on reminders_sent: safe twice, and twice at once), with a freshly signed link."""
    now = now or timezone.now()
    days = reminder_days()
    if not days:
        return []
    horizon = now + timedelta(days=max(days))
    sent = []
    candidates = CommentaryRequest.objects.filter(status=S.REQUESTED, due_at__gt=now, due_at__lte=horizon).select_related(
        "expert", "submission"
    )
    for request in candidates:
        target = _steps_due(request, now, days)
        if request.reminders_sent >= target:
            continue
        with transaction.atomic():
            won = CommentaryRequest.objects.filter(
                pk=request.pk, status=S.REQUESTED, reminders_sent=request.reminders_sent
            ).update(reminders_sent=target, reminded_at=now)
            if won:
                message = notify.reminder(request)
                if message is not None:
                    sent.append(message)
    return sent


def ensure_expert(**fields):
    """The demo's expert (seed_demo): made once by slug."""
    slug = fields.pop("slug")
    expert, _created = Expert.objects.get_or_create(slug=slug, defaults=fields)
    return expert
