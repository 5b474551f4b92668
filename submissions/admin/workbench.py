"""The entry's page as the editor's workbench: one primary next step (with the next round's
reviewers ticked, so moving and assigning is one press), return and decline as secondary steps
with their own message boxes, and the current round's reviewers: who has scored, assign more,
take one back. Views are called from SubmissionAdmin (which owns the URLs and permissions); the steps
themselves are the review area's services (submissions.review.decisions, assignments)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from submissions.models import ReviewAssignment
from submissions.models import Status as S
from submissions.review import assignments, decisions, queues, reminders

# The forward step an editor most likely takes next, in this order of preference.
PRIMARY_ORDER = [S.FIRST_REVIEW, S.SECOND_REVIEW, S.SHORTLISTED, S.ACCEPTED, S.FINAL_REVIEW, S.RESUBMITTED, S.PUBLISHED]
SECONDARY = {S.RETURNED: "warning", S.DECLINED: "danger"}
PER_ENTRY = 2  # reviewers ticked by default for a round


def split_moves(moves):
    """(primary, other forward moves, [(move, colour)] of return/decline) from workflow.allowed_moves()."""
    rank = {to: i for i, to in enumerate(PRIMARY_ORDER)}
    forward = sorted((m for m in moves if m.to in rank), key=lambda m: rank[m.to])
    secondary = [(m, SECONDARY[m.to]) for m in moves if m.to in SECONDARY]
    return (forward[0] if forward else None), forward[1:], secondary


class Pool:
    """The reviewers to choose from, read once per page: each with their open load and conflict."""

    def __init__(self, entry):
        self.users = list(assignments.reviewer_pool())
        self.loads = assignments.open_loads([u.pk for u in self.users])
        self.clash = assignments.conflicted(entry, self.users)

    def rows(self, taken, ticked):
        return [
            {"user": u, "load": self.loads.get(u.pk, 0), "conflict": u.pk in self.clash, "ticked": u.pk in ticked}
            for u in self.users
            if u.pk not in taken
        ]


def context(request, entry, moves):
    primary, others, secondary = split_moves(moves)
    stage = assignments.stage_for(entry)
    in_round = stage is not None and assignments.REVIEW_STATUS_OF_STAGE.get(stage) == entry.status  # scoring now
    rows, scored, assigned = assignments.progress(entry, stage) if stage else ([], 0, 0)
    taken = {r.reviewer_id for r in rows}
    # The round the primary step starts: its reviewers are chosen on the same form.
    next_stage = assignments.STAGE_OPENED_BY.get(primary.to) if primary else None
    pool = Pool(entry) if next_stage or stage else None
    primary_pool = []
    if next_stage:
        already = set(ReviewAssignment.objects.filter(submission=entry, stage=next_stage).values_list("reviewer_id", flat=True))
        need = max(PER_ENTRY - len(already), 0)
        suggestion = set()
        if need:
            plan = assignments.plan([entry], pool.users, need, next_stage)
            suggestion = set(plan.given.get(entry.pk, []))
        primary_pool = pool.rows(already, suggestion)
    return {
        "wb_primary": primary,
        "wb_primary_pool": primary_pool,
        "wb_others": others,
        "wb_secondary": secondary,
        "wb_stage": stage,
        "wb_rows": rows,
        "wb_scored": scored,
        "wb_assigned": assigned,
        "wb_complete": bool(assigned) and scored == assigned,
        # Moving on from a round whose scores are not all in: the page says so beside the step.
        "wb_missing": bool(primary and in_round and scored < max(assigned, 1)),
        "wb_remind": in_round and scored < assigned,  # 提醒: mail the reviewers who have not scored
        # More reviewers for the current round (not when the primary step assigns that same round).
        "wb_pool": pool.rows(taken, set()) if stage and stage != next_stage else [],
        "wb_pool_folded": bool(next_stage),  # the page already offers the next round's reviewers
    }


def back(request, entry):
    """To the entry's page again, still in the queue it was opened from (so "next" stays one click)."""
    url = reverse("admin:submissions_submission_change", args=[entry.pk])
    name = request.POST.get("queue", "") or request.GET.get("queue", "")
    return redirect(f"{url}?{urlencode({'queue': name})}" if name.isidentifier() and len(name) < 40 else url)


def chosen_ids(request):
    return [v for v in request.POST.getlist("reviewers")[:50] if v.isdigit()]


def chosen_reviewers(request):
    return list(assignments.reviewer_pool().filter(pk__in=chosen_ids(request)))


def report(request, created, refused):
    if created:
        names = _("、").join(str(a.reviewer) for a in created)
        messages.success(request, _("已分派给%(names)s（%(stage)s）") % {"names": names, "stage": created[0].get_stage_display()})
    if refused:
        messages.warning(request, _("；").join(refused))


def move_and_assign(request, entry):
    """The pressed step (the button's `move`, else the form's `to`) with the ticked reviewers of the round it opens."""
    try:
        created = decisions.move_and_assign(
            entry,
            request.POST.get("move") or request.POST.get("to", ""),
            by=request.user,
            seen=request.POST.get("from_status", ""),
            reviewer_ids=chosen_ids(request),
            message=request.POST.get("message", "").strip(),
            note=request.POST.get("note", "").strip(),
        )
    except decisions.NotDone as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已办理：%(entry)s → %(status)s") % {"entry": entry, "status": entry.get_status_display()})
        report(request, created, [])
    return back(request, entry)


def assign_view(request, entry):
    reviewers = chosen_reviewers(request)
    if not reviewers:
        messages.error(request, _("请至少选择一位评审专家。"))
    else:
        report(request, *assignments.assign([(entry, r) for r in reviewers], by=request.user))
    return back(request, entry)


def unassign_view(request, entry, assignment_id):
    item = ReviewAssignment.objects.filter(pk=assignment_id, submission=entry).select_related("reviewer").first()
    if item is None:
        messages.error(request, _("该分派已不存在。"))
    else:
        try:
            assignments.unassign(item)
        except assignments.AssignmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("已取消%(name)s的%(stage)s分派。") % {"name": item.reviewer, "stage": item.get_stage_display()}
            )
    return back(request, entry)


def _told(request, mailed, skipped):
    if mailed:
        names = _("、").join(str(r) for r in mailed)
        messages.success(request, _("已提醒%(names)s评分（邮件经发件箱发送）。") % {"names": names})
    if skipped:
        names = _("、").join(str(r) for r in skipped)
        messages.info(request, _("%(names)s近 12 小时内已收到过评审通知或没有邮箱，本次未再发送。") % {"names": names})
    if not mailed and not skipped:
        messages.info(request, _("没有尚未评分的评审专家。"))


def remind_view(request, entry):
    """Mail the reviewers who have not scored the entry's current round (submissions.review.reminders)."""
    _told(request, *reminders.remind([entry.pk]))
    return back(request, entry)


def remind_waiting_view(request):
    """From the queue of entries waiting on reviewers: remind every reviewer who has not scored, one mail each."""
    queue = queues.get(request.user, "reviews")
    if queue is None:
        raise PermissionDenied
    entries = list(queue.items(request.user).values_list("pk", flat=True)[: reminders.MOST])
    _told(request, *reminders.remind(entries))
    return redirect("admin:queue", "reviews")
