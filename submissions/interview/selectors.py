"""What the interview area reads: an entry's interviews as its contact sees them, and the newsroom's lists."""

from django.shortcuts import get_object_or_404

from submissions.models import Interview, InterviewStatus

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
