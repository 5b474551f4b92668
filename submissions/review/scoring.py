"""Scoring rounds: who may score what, saving a review, and the entry's denormalised score.

A review holds one score per campaign criterion. Its total is the weighted average of the
criteria, normalised to 100 (each score divided by its criterion's maximum). An entry's
`score` is the average of its reviews' totals, kept up to date here whenever a review is saved,
so that lists sort and filter on a column instead of aggregating.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef, Subquery

from submissions.models import Review, ReviewAssignment, ReviewScore, Submission
from submissions.models.status import SCORING_CLOSED  # declared once, beside the statuses
from submissions.review import assignments
from submissions.workflow import rules

TWO_PLACES = Decimal("0.01")


# Once an entry is decided (or gone), its scores are final.


def scoring_open(submission):
    return submission.status not in SCORING_CLOSED


def weighted_total(scores):
    """Weighted average normalised to 100 of [(criterion, score)], or None without criteria."""
    weight_sum = sum((Decimal(c.weight) for c, _s in scores), Decimal(0))
    if not weight_sum:
        return None
    points = sum((Decimal(c.weight) * Decimal(s) / Decimal(c.max_score) for c, s in scores), Decimal(0))
    return (points * 100 / weight_sum).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def refresh_score(submission_id):
    """Recompute the entry's average score and number of reviews from its reviews."""
    totals = Review.objects.filter(submission_id=submission_id, total__isnull=False).aggregate(avg=Avg("total"), n=Count("pk"))
    avg = totals["avg"]
    Submission.objects.filter(pk=submission_id).update(
        score=Decimal(avg).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if avg is not None else None,
        review_count=totals["n"],
    )


def save_review(submission, reviewer, stage, scores, comment=""):
    """Create or replace this reviewer's review of the entry in this round.

    `scores` maps criterion -> integer score (already validated by the form). Returns the review.
    """
    with transaction.atomic():
        review, created = Review.objects.select_for_update().get_or_create(
            submission=submission, reviewer=reviewer, stage=stage, defaults={"comment": comment}
        )
        review.comment = comment
        review.total = weighted_total(list(scores.items()))
        review.save(update_fields=["comment", "total", "updated_at"])
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(ReviewScore(review=review, criterion=c, score=s) for c, s in scores.items())
        refresh_score(submission.pk)
        if created:
            assignments.complete_round(submission, stage)  # the editors are told when the round's last review is in
    return review


def assignment(user, submission_id, stage):
    return ReviewAssignment.objects.filter(reviewer=user, submission_id=submission_id, stage=stage).first()


def is_assigned(user):
    """A filter: entries this user was asked to score (any round)."""
    return Exists(ReviewAssignment.objects.filter(submission=OuterRef("pk"), reviewer=user))


def assigned_entries(user):
    return Submission.objects.filter(is_assigned(user))


def for_reviewer(entries, user):
    """A reviewer's list of entries: those assigned to them, each with their own latest total (my_total)
    and whether they still have it to score in its current round (my_pending)."""
    mine = Review.objects.filter(submission=OuterRef("pk"), reviewer=user).order_by("-updated_at")
    return (
        entries.filter(is_assigned(user))
        .annotate(my_total=Subquery(mine.values("total")[:1]), my_pending=Exists(pending_here(user)))
        .select_related("campaign")
    )


def own_review(user, submission, stage):
    """This reviewer's review of the entry in this round, with its scores, or None."""
    return Review.objects.filter(submission=submission, reviewer=user, stage=stage).prefetch_related("scores").first()


def round_to_open(user, submission):
    """The round a reviewer opens an entry in: the one they still have to score, else their first; None if not theirs."""
    mine = list(submission.assignments.filter(reviewer=user).order_by("assigned_at"))
    if not mine:
        return None
    return (unscored_assignments(user).filter(submission=submission).first() or mine[0]).stage


def unscored_assignments(user):
    """This user's assignments without a review yet, in the round each entry is in now, oldest first."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=user, stage=OuterRef("stage"))
    return (
        ReviewAssignment.objects.filter(assignments.current_round(), reviewer=user)
        .exclude(Exists(scored))
        .select_related("submission")
        .order_by("assigned_at", "pk")
    )


def next_unscored(user, exclude=None):
    """The next assignment this user has still to score (skipping the entry they are on), or None."""
    pending = unscored_assignments(user)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    return pending.first()


def visible_reviews(user, submission):
    """The reviews of an entry this user may read.

    Editors read all. A reviewer reads their own, and the others of a round only once they
    have sent their own review of that round.
    """
    reviews = submission.reviews.select_related("reviewer").prefetch_related("scores__criterion").order_by("stage", "pk")
    if rules.reads_every_entry(user):
        return list(reviews)
    reviews = list(reviews)
    own_stages = {r.stage for r in reviews if r.reviewer_id == user.pk}
    return [r for r in reviews if r.stage in own_stages]


def hides_org(user, submission):
    """Blind review: a reviewer does not see the organization (nor its parent) while scoring is open."""
    return rules.reads_assigned_only(user) and submission.campaign.blind_review and scoring_open(submission)


def entry_label(user, submission):
    """How an entry is named to this user: without the organization under blind review."""
    if hides_org(user, submission):
        return f"{submission.reference or submission.pk} {submission.brand_display}"
    return str(submission)


def pending_here(user):
    """For an entry subquery (OuterRef("pk")): this user has it to score in its current round."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=user, stage=OuterRef("stage"))
    return ReviewAssignment.objects.filter(assignments.current_round(), submission=OuterRef("pk"), reviewer=user).exclude(
        Exists(scored)
    )
