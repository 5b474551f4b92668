"""The editors' steps on entries: one move from the entry's page (with the reviewers of the round it
opens, as one unit), the same move on many entries from the list, and a plain edit of an entry's fields
(saved only over the version the editor saw). Every status change goes through
workflow.transition(); the admin only reads the form and says what happened.
"""

import logging

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.models import Status, Submission
from submissions.review import assignments

log = logging.getLogger(__name__)


class NotDone(Exception):
    """Nothing changed; str() says why, for the editor."""


def move_and_assign(entry, to, *, by, seen="", reviewer_ids=(), message="", note="", via="admin"):
    """Move the entry to `to` and give it the chosen reviewers of the round that move opens, as one unit:
    if the assignment fails, the move is rolled back too. Returns the assignments made.

    `seen` is the status the editor's page showed (a step taken meanwhile by someone else refuses the
    press); `reviewer_ids` only count for a move that opens a round, and only reviewers of the pool.
    Raises NotDone with the reason, and then nothing has changed.
    """
    if seen and seen != entry.status:
        raise NotDone(_("刚刚已被他人处理，当前状态为“%(status)s”，请核对后再操作。") % {"status": entry.get_status_display()})
    if to not in Status.values:
        raise NotDone(_("请选择要办理的操作。"))
    stage = assignments.STAGE_OPENED_BY.get(to)
    reviewers = list(assignments.reviewer_pool().filter(pk__in=reviewer_ids)) if stage else []
    created = []
    try:
        with transaction.atomic():
            workflow.transition(entry, to, actor=by, message=message, note=note, via=via)
            if reviewers:
                created, refused = assignments.assign([(entry, r) for r in reviewers], by=by, stage=stage)
                if refused:
                    raise assignments.AssignmentError(_("；").join(refused))
    except workflow.TransitionError as exc:
        raise NotDone(str(exc)) from exc
    except (assignments.AssignmentError, DatabaseError) as exc:
        if isinstance(exc, DatabaseError):
            log.exception("Move and assign of entry %s failed", entry.pk)
        entry.refresh_from_db()  # the move was rolled back with the assignment
        raise NotDone(
            _("未办理：评审专家分派失败（%(reason)s）。作品仍为“%(status)s”，也未分派任何评审专家，请刷新后重试。")
            % {
                "reason": str(exc) if isinstance(exc, assignments.AssignmentError) else _("系统错误"),
                "status": entry.get_status_display(),
            }
        ) from exc
    return created


def claim_edit(entry, seen_version):
    """A plain edit of the entry is saved only if nobody changed it since the editor opened it (`seen_version`).

    Locks the entry's row until the caller's transaction ends, so that two saves cannot both pass; returns
    the version the edit is saved with. Raises NotDone (nothing is saved) if the entry moved on meanwhile."""
    current = Submission.objects.select_for_update().filter(pk=entry.pk).values_list("version", flat=True).first()
    if current != seen_version:
        raise NotDone(
            _(
                "保存失败：您打开此页后，该作品已被他人修改或办理（版本 %(seen)s → %(now)s）。您的修改尚未保存，请复制后刷新页面再改。"
            )
            % {"seen": seen_version, "now": current}
        )
    return current + 1


def move_many(entries, to, *, by, message="", note="", via="admin-bulk"):
    """Move each entry to `to`, each on its own (one refused does not stop the others).

    Returns (done, refused): the references moved, and for each refused one its reference and the reason."""
    done, refused = [], []
    for entry in entries:
        try:
            workflow.transition(entry, to, actor=by, message=message, note=note, via=via)
        except workflow.TransitionError as exc:
            refused.append(_("%(ref)s：%(reason)s") % {"ref": entry.reference or entry.pk, "reason": exc})
        else:
            done.append(entry.reference or str(entry.pk))
    return done, refused
