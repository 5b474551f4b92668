"""The workflow of an entry: the one place where a submission's status changes.

The table TRANSITIONS declares every allowed move and who may make it. `transition()`
checks the move and the actor, writes the new status with a compare-and-swap (so two
editors acting at once cannot both win), records the step in StatusChange, and queues
the submitter's notification once the transaction has committed. Views, admin actions
and management commands all call it; nothing else writes Submission.status.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import roles
from submissions.models import ReferenceCounter, StatusChange, Submission
from submissions.models import Status as S

# Actors that are not users.
SUBMITTER = "submitter"  # whoever holds the entry's private tracking link
SYSTEM = "system"  # scheduled jobs and commands

E, C = roles.EDITOR, roles.CHIEF
REVIEW_STATUSES = (S.FIRST_REVIEW, S.SECOND_REVIEW, S.FINAL_REVIEW)
OPEN_STATUSES = (S.SUBMITTED, *REVIEW_STATUSES, S.SHORTLISTED, S.RETURNED, S.RESUBMITTED)

# (from, to) -> who may make that move.
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): {SUBMITTER, E, C},
    (S.SUBMITTED, S.FIRST_REVIEW): {E, C},
    (S.RESUBMITTED, S.FIRST_REVIEW): {E, C},
    (S.RESUBMITTED, S.SECOND_REVIEW): {E, C},
    (S.RESUBMITTED, S.SHORTLISTED): {E, C},
    (S.FIRST_REVIEW, S.SECOND_REVIEW): {E, C},
    (S.SECOND_REVIEW, S.SHORTLISTED): {E, C},
    (S.SHORTLISTED, S.FINAL_REVIEW): {E, C},
    (S.SHORTLISTED, S.ACCEPTED): {E, C},
    (S.FINAL_REVIEW, S.ACCEPTED): {E, C},
    (S.ACCEPTED, S.PUBLISHED): {C, SYSTEM},
    (S.PUBLISHED, S.ACCEPTED): {E, C},  # the article was unpublished
    (S.RETURNED, S.RESUBMITTED): {SUBMITTER, E, C},
    (S.DECLINED, S.FIRST_REVIEW): {E, C},  # reopened
}
for _status in (S.SUBMITTED, *REVIEW_STATUSES, S.SHORTLISTED, S.RESUBMITTED):
    TRANSITIONS[(_status, S.RETURNED)] = {E, C}
    TRANSITIONS[(_status, S.DECLINED)] = {E, C}
for _status in OPEN_STATUSES:
    TRANSITIONS[(_status, S.WITHDRAWN)] = {SUBMITTER}
TRANSITIONS[(S.DRAFT, S.WITHDRAWN)] = {SUBMITTER}

# Moves whose reason the submitter must be told.
MESSAGE_REQUIRED = {S.RETURNED, S.DECLINED}


class TransitionError(Exception):
    """A refused move; str() is a message for the person who tried it."""


@dataclass(frozen=True)
class Move:
    to: str
    label: str


def actor_roles(actor):
    if actor in (SUBMITTER, SYSTEM):
        return {actor}
    return roles.roles_of(actor)


def allowed_moves(submission, actor):
    """The moves this actor may make on this entry now, for buttons and bulk actions."""
    held = actor_roles(actor)
    return [Move(to, S(to).label) for (frm, to), who in TRANSITIONS.items() if frm == submission.status and who & held]


def check(submission, to, actor, *, message=""):
    """Raise TransitionError unless the actor may move the entry to `to` now."""
    frm = submission.status
    if frm == to:
        raise TransitionError(_("该作品已是“%(status)s”状态。") % {"status": S(to).label})
    who = TRANSITIONS.get((frm, to))
    if who is None:
        raise TransitionError(_("不能从“%(frm)s”变为“%(to)s”。") % {"frm": S(frm).label, "to": S(to).label})
    if not who & actor_roles(actor):
        raise TransitionError(_("您没有权限将作品变为“%(to)s”。") % {"to": S(to).label})
    if to in MESSAGE_REQUIRED and not message.strip():
        raise TransitionError(_("请填写给报送单位的说明。"))


def transition(submission, to, *, actor, note="", message="", via=""):
    """Move `submission` to status `to` on behalf of `actor` and record it.

    `actor` is a User, SUBMITTER or SYSTEM. `message` is shown to the submitter (required
    when returning or declining); `note` is internal. The status the caller last saw
    (`submission.status`) must still be the one in the database, else the move is refused:
    someone else acted first. Returns the StatusChange.
    """
    check(submission, to, actor, message=message)
    frm = submission.status
    now = timezone.now()
    with transaction.atomic():
        updates = {"status": to, "status_changed_at": now, "version": F("version") + 1}
        if to == S.SUBMITTED and submission.submitted_at is None:
            updates["submitted_at"] = now
        if to == S.SUBMITTED and not submission.reference:
            updates["reference"] = next_reference(now.year)
        won = Submission.objects.filter(pk=submission.pk, status=frm).update(**updates)
        if not won:
            current = Submission.objects.filter(pk=submission.pk).values_list("status", flat=True).first()
            raise TransitionError(
                _("该作品刚刚已被他人处理，当前状态为“%(status)s”，请刷新后再操作。")
                % {"status": S(current).label if current else "—"}
            )
        change = StatusChange.objects.create(
            submission=submission,
            from_status=frm,
            to_status=to,
            actor=actor if actor not in (SUBMITTER, SYSTEM) else None,
            actor_role=_role_label(actor),
            note=note,
            message=message,
            via=via,
        )
        submission.refresh_from_db(fields=["status", "status_changed_at", "version", "submitted_at", "reference"])
        transaction.on_commit(lambda: _notify(change.pk))
    return change


def next_reference(year):
    """The next readable reference code of a year, e.g. 2026-0042. Call inside a transaction."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(value=F("value") + 1)
    counter.refresh_from_db()
    return f"{year}-{counter.value:04d}"


def _role_label(actor):
    if actor == SUBMITTER:
        return "submitter"
    if actor == SYSTEM:
        return "system"
    held = roles.roles_of(actor)
    for role in (roles.CHIEF, roles.EDITOR, roles.REVIEWER):
        if role in held:
            return role
    return "user"


def _notify(change_pk):
    from submissions import notifications

    notifications.status_changed(change_pk)


# The usual route from a draft to each status, for demo data and tests.
_REVIEWED = [S.SUBMITTED, S.FIRST_REVIEW, S.SECOND_REVIEW, S.SHORTLISTED]
ROUTES = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.FIRST_REVIEW: [S.SUBMITTED, S.FIRST_REVIEW],
    S.SECOND_REVIEW: [S.SUBMITTED, S.FIRST_REVIEW, S.SECOND_REVIEW],
    S.SHORTLISTED: _REVIEWED,
    S.FINAL_REVIEW: [*_REVIEWED, S.FINAL_REVIEW],
    S.ACCEPTED: [*_REVIEWED, S.ACCEPTED],
    S.PUBLISHED: [*_REVIEWED, S.ACCEPTED, S.PUBLISHED],
    S.RETURNED: [S.SUBMITTED, S.FIRST_REVIEW, S.RETURNED],
    S.RESUBMITTED: [S.SUBMITTED, S.FIRST_REVIEW, S.RETURNED, S.RESUBMITTED],
    S.DECLINED: [S.SUBMITTED, S.FIRST_REVIEW, S.DECLINED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
}


def walk(submission, target, *, editor, chief, via="", message="请补充近三年的具体数据和活动照片。"):
    """Take an entry along ROUTES[target], each step made by the one who would make it."""
    for step in ROUTES[target]:
        if SUBMITTER in TRANSITIONS[(submission.status, step)]:
            actor = SUBMITTER
        elif step == S.PUBLISHED:
            actor = chief
        else:
            actor = editor
        transition(submission, step, actor=actor, message=message if step in MESSAGE_REQUIRED else "", via=via)
        yield step
