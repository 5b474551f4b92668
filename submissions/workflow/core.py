"""The workflow: the one place where the status of an entry or an article changes.

The two machines are declared as tables in submissions.workflow.machines: an entry's
(Submission.status) and an article's (Showcase.state). `transition()` is the only function that
writes either. It checks the move and the actor, writes with a compare-and-swap (two editors
acting at once cannot both win: the second is told), records the step in StatusChange (who,
when, from, to, why), makes the moves that go with it (publishing an article publishes its
entry, taking it down returns the entry to accepted: in the same transaction), and runs the
move's declared effects (submissions.workflow.effects: mails, page cache, search, public media,
overlap), each once. Views, admin actions and management commands all call it.

Who may make a move is decided by permissions alone (the roles are groups that carry them:
submissions.workflow.roles), plus the actors that are not users (TOKEN_ACTORS): SUBMITTER, SYSTEM and EXPERT_LINK. The
groupings of statuses are declared once beside the statuses (submissions.models.status).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import RecommendingBody, ReferenceCounter, Showcase
from submissions.models import Status as S
from submissions.workflow import effects, rules
from submissions.workflow.machine import TransitionError
from submissions.workflow.machines import (  # noqa: F401 (re-exported: the tables and groupings, beside the moves)
    ARTICLE,
    ARTICLE_OWNED_FIELDS,
    ARTICLE_SOURCE,
    ARTICLE_TRANSITIONS,
    ASSIGNABLE,
    EDIT_ARTICLE,
    EDITABLE,
    ENTRY,
    EXPERT_LINK,
    LIVE,
    MESSAGE_REQUIRED,
    NOT_LIVE,
    OPEN_STATUSES,
    OWNED_FIELDS,
    REVIEW_STATUSES,
    RUN_WORKFLOW,
    SCORING_CLOSED,
    SIGNED,
    SIGNOFF,
    SOURCE_CHANGEABLE,
    SOURCED,
    SUBMITTER,
    SYSTEM,
    TOKEN_ACTORS,
    TRANSITIONS,
    WITH_ARTICLE,
    WITH_EDITORS,
    WITHDRAWABLE,
    Machine,
    machine_of,
)

A = Showcase.State


@dataclass(frozen=True)
class Move:
    to: str
    label: str


def may(actor, who, obj=None):
    """Whether `actor` (a user or one of TOKEN_ACTORS) is one of `who` (tokens and permissions).

    A user is asked through has_perm, about `obj` when given: the authority (submissions.workflow.rules)
    answers for the one entry or article, Django's ModelBackend for the kind of thing."""
    if actor in TOKEN_ACTORS:
        return actor in who
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return any(actor.has_perm(perm, obj) for perm in who if "." in perm)


def allowed_moves(obj, actor):
    """The moves this actor may make on this entry or article now, for buttons and bulk actions."""
    machine = machine_of(obj)
    current = getattr(obj, machine.field)
    moves = []
    for (frm, to), who in machine.table.items():
        if frm == current and may(actor, who, obj):
            try:
                _check_rules(obj, to, actor)
            except TransitionError:
                continue
            moves.append(Move(to, machine.choices(to).label))
    return moves


def needs_message(obj, to):
    machine = machine_of(obj)
    return (getattr(obj, machine.field), to) in machine.message_required


def check(obj, to, actor, *, message="", _linked=False):
    """Raise TransitionError unless the actor may make this move now."""
    machine = machine_of(obj)
    frm = getattr(obj, machine.field)
    label = machine.choices
    if frm == to:
        raise TransitionError(_("已是“%(status)s”状态。") % {"status": label(to).label})
    who = machine.table.get((frm, to))
    if who is None:
        raise TransitionError(_("不能从“%(frm)s”变为“%(to)s”。") % {"frm": label(frm).label, "to": label(to).label})
    if WITH_ARTICLE in who and not _linked:
        if to == S.PUBLISHED:
            raise TransitionError(_("作品随其巡展文章发表：请先签审并发布文章。"))
        raise TransitionError(_("作品随其巡展文章撤下：请先撤下文章。"))
    if not _linked and not may(actor, who, obj):
        raise TransitionError(_("您没有权限将其变为“%(to)s”。") % {"to": label(to).label})
    if (frm, to) in machine.message_required and not message.strip():
        raise TransitionError(_("请填写说明（原因）。"))
    _check_rules(obj, to, actor)


def _check_rules(obj, to, actor):
    """Rules beyond the table: the article's here, another machine's its own (Machine.rules)."""
    machine = machine_of(obj)
    if machine.rules is not None:
        machine.rules(obj, to, actor)
    if machine is not ARTICLE:
        return
    if to in SOURCED:
        problem = obj.source_problem()
        if problem:
            raise TransitionError(str(problem))
    if to == A.SIGNED_OFF and actor not in TOKEN_ACTORS:
        if obj.responsible_editor_id == actor.pk:
            raise TransitionError(_("责任编辑不能签审自己编辑的文章，请由另一位签审编辑签审。"))
        if actor.pk in obj.changed_by_since(obj.signed_revision):
            raise TransitionError(_("您在上次签审后修改过这篇文章，不能签审：请由另一位签审编辑签审。"))
    if to == A.PUBLISHED and obj.changed_by_since(obj.signed_revision):
        raise TransitionError(_("文章在签审后又被修改，须重新签审。"))
    # A published article goes back for sign-off (off the column) only for a correction of its text.
    if obj.state == A.PUBLISHED and to == A.AWAITING_SIGNOFF and not obj.changed_by_since(obj.signed_revision):
        raise TransitionError(_("文章发布后未作修改，无需重新签审；如需撤下，请用“撤稿”并填写原因。"))


def check_article_source(entry):
    """Raise TransitionError unless a new article may be drafted from this entry (ARTICLE_SOURCE)."""
    if entry.status not in ARTICLE_SOURCE:
        raise TransitionError(_("只有已采用的作品才能生成巡展文章。"))


def transition(obj, to, *, actor, note="", message="", via=""):
    """Move an entry, an article or any object a machine moves (machines.MACHINES) to `to` on
    behalf of `actor`, and record it.

    `actor` is a User or one of TOKEN_ACTORS (SUBMITTER, SYSTEM, EXPERT_LINK). `message` is the reason shown to the submitter
    (required when returning or declining an entry) or to the editor (sending an article back
    from sign-off) and kept (unpublishing an article); `note` is internal. The status the
    caller last saw must still be the one in the database, else the move is refused: someone
    else acted first. An article's publish and take-down move its entry in the same
    transaction. Returns the history row (a StatusChange for entries and articles; the
    machine's `record` makes it).
    """
    with transaction.atomic():
        return _move(obj, to, actor=actor, note=note, message=message, via=via)


def _move(obj, to, *, actor, note="", message="", via="", _linked=False):
    check(obj, to, actor, message=message, _linked=_linked)
    machine = machine_of(obj)
    frm = getattr(obj, machine.field)
    now = timezone.now()
    updates = {machine.field: to, **_side_updates(machine, obj, to, actor, now, message)}
    if machine.versioned:
        updates["version"] = F("version") + 1
    if machine is ENTRY and to == S.SUBMITTED and not obj.reference:
        updates["reference"] = next_reference(now.year)
    won = machine.model.objects.filter(pk=obj.pk, **{machine.field: frm}).update(**updates)
    if not won:
        current = machine.model.objects.filter(pk=obj.pk).values_list(machine.field, flat=True).first()
        raise TransitionError(
            _("刚刚已被他人处理，当前状态为“%(status)s”，请刷新后再操作。")
            % {"status": machine.choices(current).label if current else "—"}
        )
    change = machine.record(
        obj,
        from_status=frm,
        to_status=to,
        actor=actor if actor not in TOKEN_ACTORS else None,
        actor_role=_role_label(actor),
        note=note,
        message=message,
        via=via,
    )
    obj.refresh_from_db(fields=list(updates))
    if machine is ARTICLE:
        _move_entry_with(obj, frm, to, actor=actor, message=message, via=via)
    effects.run(machine, change)  # after the entry's move: each effect sees both in their new state
    return change


def _move_entry_with(article, frm, to, *, actor, message, via):
    """An entry is published exactly when its article is: move it with the article."""
    if article.submission_id is None or (to != A.PUBLISHED and frm != A.PUBLISHED):
        return
    entry = article.submission
    entry.refresh_from_db(fields=["status", "version"])
    if to == A.PUBLISHED:
        _move(entry, S.PUBLISHED, actor=actor, note=_("随巡展文章发布"), via=via, _linked=True)
    else:
        _move(entry, S.ACCEPTED, actor=actor, note=message or _("巡展文章已撤下"), via=via, _linked=True)


def _side_updates(machine, obj, to, actor, now, message):
    """Fields that change together with the status."""
    if machine.side_updates is not None:
        return machine.side_updates(obj, to, actor, now, message)
    if machine is ENTRY:
        updates = {"status_changed_at": now}
        if to == S.SUBMITTED and obj.submitted_at is None:
            updates["submitted_at"] = now
        if to in (S.SUBMITTED, S.RESUBMITTED) and obj.body_id is None and obj.campaign.uses_recommendation:
            updates["body"] = RecommendingBody.covering(obj)  # the superior body whose area it comes from
        return updates
    if to == A.SIGNED_OFF:
        latest = obj.revisions.aggregate(n=Max("number"))["n"] or 0
        return {"signed_off_by": actor, "signed_off_at": now, "signed_revision": latest}
    if to in (A.DRAFT, A.AWAITING_SIGNOFF):
        return {"signed_off_by": None, "signed_off_at": None}
    if to == A.PUBLISHED:
        return {"published_at": now, "unpublished_reason": ""}
    if to == A.UNPUBLISHED:
        return {"unpublished_reason": message}
    return {}


def next_reference(year):
    """The next readable reference code of a year, e.g. 2026-0042. Call inside a transaction."""
    return f"{year}-{ReferenceCounter.take(year):04d}"


def _role_label(actor):
    """The role the actor acted in, for the history: the authority reads it from their permissions."""
    if actor in TOKEN_ACTORS:
        return actor
    return rules.role_of(actor)
