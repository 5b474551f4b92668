"""Giving entries to reviewers: the round that follows from an entry's status, assigning and
unassigning (with the reviewers told), the balanced distribution of many entries, and how far
an entry's current round has got. The distribution itself is in submissions.review.distribution."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from submissions.models import Review, ReviewAssignment, ReviewerProfile, Stage, Status
from submissions.models.review import STAGE_OF_STATUS  # the round of each status, declared beside the rounds
from submissions.models.status import SCORING_CLOSED  # declared once, beside the statuses
from submissions.platform import mail as notifications
from submissions.review import assigned_mail, distribution
from submissions.workflow import roles, rules

# The status an entry's current round is scored in (its reviews "all in" mean a decision is due).
REVIEW_STATUS_OF_STAGE = {Stage.FIRST: Status.FIRST_REVIEW, Stage.SECOND: Status.SECOND_REVIEW, Stage.FINAL: Status.FINAL_REVIEW}
# The round a move opens (moving an entry into 初审 opens the first round): its reviewers go with the move.
STAGE_OPENED_BY = {status: stage for stage, status in REVIEW_STATUS_OF_STAGE.items()}


def current_round():
    """A filter on assignments: those of the round their entry is in now (an old round's are done)."""
    condition = Q(pk__in=[])
    for status, stage in STAGE_OF_STATUS.items():
        condition |= Q(stage=stage, submission__status=status)
    return condition


class AssignmentError(Exception):
    """A refused assignment; str() is for the editor."""


def stage_for(submission):
    """The round this entry is in (or about to be in), or None if it cannot be given to reviewers now."""
    return STAGE_OF_STATUS.get(submission.status)


def reviewer_pool():
    """Every active reviewer (whoever was given the permission to score; not a superuser for holding all), by name."""
    return roles.users_with(get_user_model().objects.all(), rules.SCORE, superusers=False).order_by("first_name", "username")


def candidates(users):
    """Reviewers as distribution.Candidate, with their declared affiliations and city."""
    profiles = {p.reviewer_id: p for p in ReviewerProfile.objects.filter(reviewer__in=[u.pk for u in users])}
    result = []
    for user in users:
        profile = profiles.get(user.pk)
        affiliations = frozenset(profile.affiliation_list()) if profile else frozenset()
        result.append(distribution.Candidate(user.pk, affiliations, profile.region_id if profile else None))
    return result


def as_entry(submission):
    return distribution.Entry(submission.pk, submission.org_name, submission.org_parent, submission.region_id)


def open_loads(user_ids):
    """How many entries each reviewer still has to score (their current load)."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    rows = (
        ReviewAssignment.objects.filter(reviewer__in=user_ids)
        .exclude(Exists(scored))
        .exclude(submission__status__in=SCORING_CLOSED)
        .order_by()
        .values("reviewer")
        .annotate(n=Count("pk"))
    )
    return {row["reviewer"]: row["n"] for row in rows}


def already_assigned(submissions, stage):
    result = {}
    for sub_id, reviewer_id in ReviewAssignment.objects.filter(submission__in=submissions, stage=stage).values_list(
        "submission_id", "reviewer_id"
    ):
        result.setdefault(sub_id, []).append(reviewer_id)
    return result


def plan(submissions, pool, per_entry, stage):
    """A balanced distribution of these entries (all in `stage`) over the pool of reviewer users."""
    pool = list(pool)
    same_city = any(s.campaign.conflict_same_city for s in submissions)
    return distribution.distribute(
        [as_entry(s) for s in submissions],
        candidates(pool),
        per_entry,
        same_city=same_city,
        existing=open_loads([u.pk for u in pool]),
        already=already_assigned(submissions, stage),
    )


def suggested(submission, per_entry=2):
    """The reviewers the balanced distribution would add to this entry's current round (ids)."""
    stage = stage_for(submission)
    if stage is None:
        return []
    return plan([submission], reviewer_pool(), per_entry, stage).given.get(submission.pk, [])


def conflicted(submission, users):
    """The ids of these reviewers who declared a conflict with the entry."""
    entry = as_entry(submission)
    same_city = submission.campaign.conflict_same_city
    return {c.key for c in candidates(users) if distribution.conflict(entry, c, same_city=same_city)}


def assign(pairs, *, by, stage=None):
    """Create the assignments [(submission, reviewer)] in each entry's round; tell each reviewer once.

    Returns (created, refused) where refused is a list of messages.
    """
    created, refused = [], []
    with transaction.atomic():
        for submission, reviewer in pairs:
            round_ = stage or stage_for(submission)
            ref = submission.reference or str(submission.pk)
            if round_ is None:
                refused.append(
                    _("%(ref)s：状态为“%(status)s”，不能分派评审") % {"ref": ref, "status": submission.get_status_display()}
                )
                continue
            try:
                with transaction.atomic():
                    created.append(
                        ReviewAssignment.objects.create(submission=submission, reviewer=reviewer, stage=round_, assigned_by=by)
                    )
            except IntegrityError:
                refused.append(_("%(ref)s：已分派给%(name)s") % {"ref": ref, "name": reviewer})
        by_reviewer = {}
        for item in created:
            by_reviewer.setdefault(item.reviewer_id, (item.reviewer, []))[1].append(item)
        for reviewer, items in by_reviewer.values():
            assigned_mail.reviewers_assigned(reviewer, items)
    return created, refused


def assign_evenly(entries, pool, per_entry, *, by):
    """`per_entry` reviewers of the pool on each entry, spread evenly (distribution.distribute) round by round
    (each entry's round follows its status), or, with no `per_entry`, every reviewer of the pool on every entry.

    Returns (created, refused): refused says, once each, what could not be assigned and why (an entry short of
    reviewers after the conflicts are skipped; one whose status is not given to reviewers)."""
    pool = list(pool)
    pairs, short = [], []
    if per_entry:
        users = {u.pk: u for u in pool}
        by_stage = {}
        for entry in entries:
            by_stage.setdefault(stage_for(entry), []).append(entry)
        for stage, of_stage in by_stage.items():
            if stage is None:
                pairs += [(entry, pool[0]) for entry in of_stage]  # refused by assign(), with the reason
                continue
            planned = plan(of_stage, pool, per_entry, stage)
            for entry in of_stage:
                pairs += [(entry, users[key]) for key in planned.given[entry.pk]]
                if entry.pk in planned.short:
                    short.append(
                        _("%(ref)s：回避后可分派的专家不足，少 %(n)d 位")
                        % {"ref": entry.reference or entry.pk, "n": planned.short[entry.pk]}
                    )
    else:
        pairs = [(entry, reviewer) for entry in entries for reviewer in pool]
    created, refused = assign(pairs, by=by)
    return created, list(dict.fromkeys(refused)) + short


def unassign(assignment):
    """Take an entry back from a reviewer; refused once they have scored it."""
    if Review.objects.filter(
        submission_id=assignment.submission_id, reviewer_id=assignment.reviewer_id, stage=assignment.stage
    ).exists():
        raise AssignmentError(_("%(name)s已提交评分，不能取消分派。") % {"name": assignment.reviewer})
    assignment.delete()


def progress(submission, stage=None):
    """The current round's assignments, each marked scored or not, and the counts: (rows, scored, assigned)."""
    stage = stage or stage_for(submission)
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    rows = list(
        ReviewAssignment.objects.filter(submission=submission, stage=stage)
        .annotate(scored=Exists(scored))
        .select_related("reviewer")
        .order_by("assigned_at", "pk")
    )
    return rows, sum(1 for r in rows if r.scored), len(rows)


def complete_round(submission, stage):
    """Called after a review is saved: if every assignment of the round is scored, tell its editors (once)."""
    rows, scored, assigned = progress(submission, stage)
    if not assigned or scored < assigned:
        return False
    editors = {r.assigned_by_id for r in rows if r.assigned_by_id}
    users = list(get_user_model().objects.filter(Q(pk__in=editors), is_active=True))
    notifications.reviews_complete(submission, Stage(stage).label, users, scored)
    return True
