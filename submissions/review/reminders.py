"""Chasing the scores (催评): the reviewers who have not scored the round an entry is in now are
mailed, through the outbox, the list of those entries with a link to score each one.

The mail is the editable 评审分派通知 ("assigned": "请您评审 N 件作品…", NotificationTemplate), the same
list a reviewer receives when given entries. A reviewer mailed that list within RECENT is not mailed
again (a second press, or an assignment an hour ago, is not a reason for another mail).
Rounds have no due date, so nothing here runs by itself: an editor presses 提醒.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from submissions.models import OutboxMessage, Review, ReviewAssignment
from submissions.platform import mail
from submissions.review.assignments import current_round

EVENT = "assigned"
RECENT = timedelta(hours=12)
MOST = 200  # entries reminded about in one press (the queue's page shows 100)


def pending(entries):
    """The unscored assignments of the current round of `entries` (ids or a queryset), with their reviewer."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    return (
        ReviewAssignment.objects.filter(current_round(), submission__in=entries)
        .exclude(Exists(scored))
        .select_related("reviewer", "submission")
        .order_by("reviewer_id", "submission_id")
    )


def remind(entries, now=None):
    """Mail each reviewer with an unscored assignment among `entries` once, listing those entries.
    Returns (reviewers mailed, reviewers skipped as reminded within RECENT or without an address)."""
    now = now or timezone.now()
    by_reviewer = defaultdict(list)
    for assignment in pending(entries):
        by_reviewer[assignment.reviewer].append(assignment)
    addresses = [r.email for r in by_reviewer if r.email]
    recent = set(
        OutboxMessage.objects.filter(event=EVENT, to__in=addresses, created_at__gte=now - RECENT).values_list("to", flat=True)
    )
    mailed, skipped = [], []
    for reviewer, items in by_reviewer.items():
        if not reviewer.email or reviewer.email in recent:
            skipped.append(reviewer)
            continue
        mail.reviewers_assigned(reviewer, items)
        mailed.append(reviewer)
    return mailed, skipped
