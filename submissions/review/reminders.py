"""Chasing the scores (催评): the reviewers who have not scored the round an entry is in now are
mailed, through the outbox, the list of those entries with a link to score each one, and the
round's due date where its campaign set one (ReviewDeadline, in the campaign's admin).

The mail is the editable 评审分派通知 ("assigned": "请您评审 N 件作品…", NotificationTemplate), the same
list a reviewer receives when given entries; a round with a due date reads "初审（截止 12月9日 18:00）".

Two ways in:
- an editor presses 提醒 (remind()): a reviewer mailed that list within RECENT is not mailed again
  (a second press, or an assignment an hour ago, is not a reason for another mail);
- by itself, before a round's due date (remind_due(), the hourly remind_reviewers task):
  settings.REVIEW_REMINDER_DAYS (3, 1) days before it, each reviewer with unscored entries of that
  round (entries still in it) gets one mail listing them. Each step is sent once per reviewer and
  round: a ReviewReminder row, unique per (round, reviewer, step, due date), is written in the same
  transaction as the mail, so a second run, or two at once, sends nothing more (a due date moved
  later is reminded of again). Nothing after the due date, nothing to who has scored everything.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from submissions.models import OutboxMessage, Review, ReviewAssignment, ReviewDeadline, ReviewReminder
from submissions.platform import reminders
from submissions.review.assigned_mail import EVENT, due_dates, send
from submissions.review.assignments import current_round

RECENT = timedelta(hours=12)
MOST = 200  # entries reminded about in one press (the queue's page shows 100)


def reminder_days():
    """The steps before a due date, in days, largest first (settings.REVIEW_REMINDER_DAYS)."""
    return reminders.days_before("REVIEW_REMINDER_DAYS")


def _unscored():
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    return ReviewAssignment.objects.filter(current_round()).exclude(Exists(scored))


def pending(entries):
    """The unscored assignments of the current round of `entries` (ids or a queryset), with their reviewer."""
    return (
        _unscored()
        .filter(submission__in=entries)
        .select_related("reviewer", "submission")
        .order_by("reviewer_id", "submission_id")
    )


def remind(entries, now=None):
    """Mail each reviewer with an unscored assignment among `entries` once, listing those entries.
    Returns (reviewers mailed, reviewers skipped as reminded within RECENT or without an address)."""
    now = now or timezone.now()
    by_reviewer = defaultdict(list)
    found = list(pending(entries))
    for assignment in found:
        by_reviewer[assignment.reviewer].append(assignment)
    addresses = [r.email for r in by_reviewer if r.email]
    recent = set(
        OutboxMessage.objects.filter(event=EVENT, to__in=addresses, created_at__gte=now - RECENT).values_list("to", flat=True)
    )
    dues = due_dates(found)
    mailed, skipped = [], []
    for reviewer, assigned in by_reviewer.items():
        if not reviewer.email or reviewer.email in recent:
            skipped.append(reviewer)
            continue
        send(reviewer, assigned, dues)
        mailed.append(reviewer)
    return mailed, skipped


def step_due(deadline, now, days):
    """The reminder step (days before) the round has reached now: the smallest one passed, or None
    (not yet the first step, or already due)."""
    if deadline.due_at <= now:
        return None
    reached = [day for day in days if deadline.due_at - timedelta(days=day) <= now]
    return min(reached) if reached else None


def send_once(deadline, reviewer, step, assigned):
    """The reminder of this step to this reviewer, unless one was sent (a second run, or one running
    at the same moment: its row, unique, is written in the same transaction as the mail). Returns the
    row, or None when it had been sent."""
    try:
        with transaction.atomic():
            row = ReviewReminder.objects.create(
                deadline=deadline, reviewer=reviewer, days=step, due_at=deadline.due_at, entries=len(assigned)
            )
            send(reviewer, assigned, {(deadline.campaign_id, deadline.stage): deadline.due_at})
    except IntegrityError:
        return None
    return row


def remind_due(now=None):
    """The automatic reminders: for each round whose reminder step has come, mail each reviewer with
    unscored entries still in that round once for that step. Returns the ReviewReminder rows written."""
    now = now or timezone.now()
    days = reminder_days()
    if not days:
        return []
    window = ReviewDeadline.objects.filter(due_at__gt=now, due_at__lte=now + timedelta(days=days[0])).order_by("due_at", "pk")
    sent = []
    for deadline in window:
        step = step_due(deadline, now, days)
        if step is None:
            continue
        done = ReviewReminder.objects.filter(deadline=deadline, days=step, due_at=deadline.due_at).values("reviewer")
        assignments = (
            _unscored()
            .filter(submission__campaign_id=deadline.campaign_id, stage=deadline.stage)
            .exclude(reviewer__in=done)
            .exclude(reviewer__email="")
            .filter(reviewer__is_active=True)
            .select_related("reviewer", "submission")
            .order_by("reviewer_id", "submission_id")
        )
        by_reviewer = defaultdict(list)
        for assignment in assignments[: MOST * 50]:
            by_reviewer[assignment.reviewer].append(assignment)
        for reviewer, assigned in by_reviewer.items():
            row = send_once(deadline, reviewer, step, assigned[:MOST])
            if row is not None:
                sent.append(row)
    return sent
