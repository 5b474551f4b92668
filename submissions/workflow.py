"""The workflow: the one place where the status of an entry or an article changes.

Two machines are declared here as tables of allowed moves and who may make them: an entry's
(Submission.status) and an article's (Showcase.state). `transition()` is the only function
that writes either. It checks the move and the actor, writes with a compare-and-swap (two
editors acting at once cannot both win: the second is told), records the step in
StatusChange (who, when, from, to, why), and queues the notifications once the transaction
has committed. Views, admin actions and management commands all call it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import roles
from submissions.models import ReferenceCounter, Showcase, StatusChange, Submission
from submissions.models import Status as S

A = Showcase.State

# Actors that are not users.
SUBMITTER = "submitter"  # whoever holds the entry's private tracking link
SYSTEM = "system"  # scheduled jobs and commands

E, C = roles.EDITOR, roles.CHIEF
REVIEW_STATUSES = (S.FIRST_REVIEW, S.SECOND_REVIEW, S.FINAL_REVIEW)
OPEN_STATUSES = (S.SUBMITTED, *REVIEW_STATUSES, S.SHORTLISTED, S.RETURNED, S.RESUBMITTED)

# An entry: (from, to) -> who may make that move.
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
    (S.ACCEPTED, S.PUBLISHED): {C, SYSTEM},  # made by publishing its article
    (S.PUBLISHED, S.ACCEPTED): {E, C, SYSTEM},  # its article was unpublished
    (S.RETURNED, S.RESUBMITTED): {SUBMITTER, E, C},
    (S.DECLINED, S.FIRST_REVIEW): {E, C},  # reopened
}
for _status in (S.SUBMITTED, *REVIEW_STATUSES, S.SHORTLISTED, S.RESUBMITTED):
    TRANSITIONS[(_status, S.RETURNED)] = {E, C}
    TRANSITIONS[(_status, S.DECLINED)] = {E, C}
for _status in (S.DRAFT, *OPEN_STATUSES):
    TRANSITIONS[(_status, S.WITHDRAWN)] = {SUBMITTER}

# An article: (from, to) -> who may make that move.
ARTICLE_TRANSITIONS = {
    (A.DRAFT, A.SIGNED_OFF): {C},  # never by its own responsible editor (checked below)
    (A.SIGNED_OFF, A.DRAFT): {E, C},  # an edit after sign-off voids it
    (A.SIGNED_OFF, A.PUBLISHED): {C},
    (A.SIGNED_OFF, A.SCHEDULED): {C},
    (A.SCHEDULED, A.PUBLISHED): {C, SYSTEM},
    (A.SCHEDULED, A.DRAFT): {E, C},
    (A.PUBLISHED, A.UNPUBLISHED): {E, C},
    (A.UNPUBLISHED, A.DRAFT): {E, C},
}


@dataclass(frozen=True)
class Machine:
    model: type
    field: str
    choices: type
    table: dict
    message_required: frozenset  # moves to these need a reason (shown to the submitter / kept)


ENTRY = Machine(Submission, "status", S, TRANSITIONS, frozenset({S.RETURNED, S.DECLINED}))
ARTICLE = Machine(Showcase, "state", A, ARTICLE_TRANSITIONS, frozenset({A.UNPUBLISHED}))
MESSAGE_REQUIRED = ENTRY.message_required


def machine_of(obj):
    return ARTICLE if isinstance(obj, Showcase) else ENTRY


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


def allowed_moves(obj, actor):
    """The moves this actor may make on this entry or article now, for buttons and bulk actions."""
    machine = machine_of(obj)
    held = actor_roles(actor)
    current = getattr(obj, machine.field)
    moves = []
    for (frm, to), who in machine.table.items():
        if frm == current and who & held:
            try:
                _check_rules(obj, to, actor)
            except TransitionError:
                continue
            moves.append(Move(to, machine.choices(to).label))
    return moves


def check(obj, to, actor, *, message=""):
    """Raise TransitionError unless the actor may make this move now."""
    machine = machine_of(obj)
    frm = getattr(obj, machine.field)
    label = machine.choices
    if frm == to:
        raise TransitionError(_("已是“%(status)s”状态。") % {"status": label(to).label})
    who = machine.table.get((frm, to))
    if who is None:
        raise TransitionError(_("不能从“%(frm)s”变为“%(to)s”。") % {"frm": label(frm).label, "to": label(to).label})
    if not who & actor_roles(actor):
        raise TransitionError(_("您没有权限将其变为“%(to)s”。") % {"to": label(to).label})
    if to in machine.message_required and not message.strip():
        raise TransitionError(_("请填写说明（原因）。"))
    _check_rules(obj, to, actor)


def _check_rules(obj, to, actor):
    """Rules beyond the table."""
    if isinstance(obj, Showcase) and to == A.SIGNED_OFF and actor not in (SUBMITTER, SYSTEM):
        if obj.responsible_editor_id == actor.pk:
            raise TransitionError(_("责任编辑不能签审自己编辑的文章，请由另一位签审编辑签审。"))
    # An entry is published by publishing its article, and goes back only when the article is taken down.
    if isinstance(obj, Submission) and to == S.PUBLISHED and not _article_live(obj):
        raise TransitionError(_("作品随其巡展文章发表：请先签审并发布文章。"))
    if isinstance(obj, Submission) and obj.status == S.PUBLISHED and to == S.ACCEPTED and _article_live(obj):
        raise TransitionError(_("文章仍在发布中：请先撤下文章。"))


def _article_live(submission):
    return Showcase.objects.filter(submission=submission, state=A.PUBLISHED).exists()


def transition(obj, to, *, actor, note="", message="", via=""):
    """Move an entry or an article to `to` on behalf of `actor`, and record it.

    `actor` is a User, SUBMITTER or SYSTEM. `message` is the reason shown to the submitter
    (required when returning or declining an entry, and when unpublishing an article);
    `note` is internal. The status the caller last saw must still be the one in the database,
    else the move is refused: someone else acted first. Returns the StatusChange.
    """
    check(obj, to, actor, message=message)
    machine = machine_of(obj)
    frm = getattr(obj, machine.field)
    now = timezone.now()
    updates = {machine.field: to, "version": F("version") + 1, **_side_updates(obj, to, actor, now, message)}
    with transaction.atomic():
        if isinstance(obj, Submission) and to == S.SUBMITTED and not obj.reference:
            updates["reference"] = next_reference(now.year)
        won = machine.model.objects.filter(pk=obj.pk, **{machine.field: frm}).update(**updates)
        if not won:
            current = machine.model.objects.filter(pk=obj.pk).values_list(machine.field, flat=True).first()
            raise TransitionError(
                _("刚刚已被他人处理，当前状态为“%(status)s”，请刷新后再操作。")
                % {"status": machine.choices(current).label if current else "—"}
            )
        change = StatusChange.objects.create(
            submission=obj if machine is ENTRY else None,
            showcase=obj if machine is ARTICLE else None,
            from_status=frm,
            to_status=to,
            actor=actor if actor not in (SUBMITTER, SYSTEM) else None,
            actor_role=_role_label(actor),
            note=note,
            message=message,
            via=via,
        )
        obj.refresh_from_db(fields=[machine.field, "version", *(f for f in updates if f not in ("version",))])
        if machine is ENTRY:
            transaction.on_commit(lambda: _notify(change.pk))
    return change


def _side_updates(obj, to, actor, now, message):
    """Fields that change together with the status."""
    if isinstance(obj, Submission):
        updates = {"status_changed_at": now}
        if to == S.SUBMITTED and obj.submitted_at is None:
            updates["submitted_at"] = now
        return updates
    if to == A.SIGNED_OFF:
        return {"signed_off_by": actor, "signed_off_at": now}
    if to == A.DRAFT:
        return {"signed_off_by": None, "signed_off_at": None}
    if to == A.PUBLISHED:
        return {"published_at": now, "unpublished_reason": ""}
    if to == A.UNPUBLISHED:
        return {"unpublished_reason": message}
    return {}


def next_reference(year):
    """The next readable reference code of a year, e.g. 2026-0042. Call inside a transaction."""
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(value=F("value") + 1)
    value = ReferenceCounter.objects.select_for_update().get(pk=year).value
    return f"{year}-{value:04d}"


def _role_label(actor):
    if actor in (SUBMITTER, SYSTEM):
        return actor
    held = roles.roles_of(actor)
    for role in (roles.CHIEF, roles.EDITOR, roles.REVIEWER):
        if role in held:
            return role
    return "user"


def _notify(change_pk):
    from submissions import notifications

    notifications.status_changed(change_pk)


# The usual route from a draft to each status, for demo data and tests. (PUBLISHED is reached
# by publishing the entry's article: submissions.publishing.publish.)
_REVIEWED = [S.SUBMITTED, S.FIRST_REVIEW, S.SECOND_REVIEW, S.SHORTLISTED]
ROUTES = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.FIRST_REVIEW: [S.SUBMITTED, S.FIRST_REVIEW],
    S.SECOND_REVIEW: [S.SUBMITTED, S.FIRST_REVIEW, S.SECOND_REVIEW],
    S.SHORTLISTED: _REVIEWED,
    S.FINAL_REVIEW: [*_REVIEWED, S.FINAL_REVIEW],
    S.ACCEPTED: [*_REVIEWED, S.ACCEPTED],
    S.RETURNED: [S.SUBMITTED, S.FIRST_REVIEW, S.RETURNED],
    S.RESUBMITTED: [S.SUBMITTED, S.FIRST_REVIEW, S.RETURNED, S.RESUBMITTED],
    S.DECLINED: [S.SUBMITTED, S.FIRST_REVIEW, S.DECLINED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
}


def walk(submission, target, *, editor, via="", message="请补充近三年的具体数据和活动照片。"):
    """Take an entry along ROUTES[target], each step made by the one who would make it."""
    for step in ROUTES[target]:
        actor = SUBMITTER if SUBMITTER in TRANSITIONS[(submission.status, step)] else editor
        transition(submission, step, actor=actor, message=message if step in MESSAGE_REQUIRED else "", via=via)
        yield step
