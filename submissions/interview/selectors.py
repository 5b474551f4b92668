"""What the interview area reads: an entry's interviews as its contact sees them, and the newsroom's lists."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from submissions.models import Interview, InterviewStatus, Submission
from submissions.models.status import AFTER_SHORTLIST

S = InterviewStatus
SHOWN_TO_CONTACT = (S.PROPOSED, S.RESCHEDULING, S.CONFIRMED, S.DONE)


def for_contact(entry):
    """The entry's interviews its contact sees on the tracking page (not the cancelled), newest first."""
    return list(
        Interview.objects.filter(submission=entry, status__in=SHOWN_TO_CONTACT)
        .select_related("photographer")
        .prefetch_related("dates", "reporters")
        .order_by("-created_at", "-pk")
    )


def of_entry_by_token(token, pk):
    """One interview of the entry whose tracking link this is (404 for another entry's)."""
    return get_object_or_404(
        Interview.objects.select_related("submission", "submission__campaign").prefetch_related("dates"),
        pk=pk,
        submission__tracking_token=token,
    )


def open_count():
    """Interviews waiting on someone: the contact, the editor, or the reporters' material."""
    return Interview.objects.filter(status__in=(S.PROPOSED, S.RESCHEDULING, S.CONFIRMED)).count()


def appointment(pk, token):
    """A confirmed or done interview by its calendar link (None: no such link, or not on anyone's calendar)."""
    return (
        Interview.objects.filter(pk=pk, token=token, status__in=(S.CONFIRMED, S.DONE), chosen_at__isnull=False)
        .select_related("submission", "photographer")
        .prefetch_related("reporters")
        .first()
    )


# The newsroom's queues (待办, review/queues.py): each a queryset in queue order, with the entry its
# label names (str(interview)) read in the same query.


def _queued(*statuses):
    return Interview.objects.filter(status__in=statuses).select_related("submission")


def not_yet_planned(user):
    """Shortlisted or accepted entries with no interview planned (a cancelled one aside): the editor's list
    to plan from (已入围、尚未安排采访), the longest waiting first. Not every entry is interviewed: the
    list is where the choice is made, one click from the entry's page and its 安排融媒采访."""
    planned = Interview.objects.filter(submission=OuterRef("pk")).exclude(status=S.CANCELLED)
    return Submission.objects.filter(status__in=AFTER_SHORTLIST).exclude(Exists(planned)).order_by("status_changed_at", "pk")


def awaiting_contact(user):
    """Proposed, waiting for the contact to pick a date (采访待对方确认): the longest waiting first."""
    return _queued(S.PROPOSED).order_by("created_at", "pk")


def rescheduling(user):
    """The contact asked for another date: the editor proposes again (对方提议改期), the oldest first."""
    return _queued(S.RESCHEDULING).order_by("created_at", "pk")


def upcoming(user, now=None):
    """Confirmed and still ahead (已约定的采访), the soonest first."""
    now = now or timezone.now()
    return _queued(S.CONFIRMED).filter(chosen_at__gte=now).order_by("chosen_at", "pk")


def report_due(user, now=None):
    """Confirmed, its date passed, not done yet: the notes and photos are due (采访稿待交), the oldest first."""
    now = now or timezone.now()
    return _queued(S.CONFIRMED).filter(chosen_at__lt=now).order_by("chosen_at", "pk")


def material_for_article(entry):
    """The entry's interviews with notes or photos, for the article's draft: done ones first, then the
    newest; their photos read in one query."""
    done_first = Case(When(status=S.DONE, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        Interview.objects.filter(submission=entry)
        .exclude(status=S.CANCELLED)
        .filter(Q(photos__isnull=False) | ~Q(report=""))
        .distinct()
        .annotate(done_first=done_first)
        .prefetch_related("photos")
        .order_by("done_first", "-done_at", "-created_at", "-pk")
    )
