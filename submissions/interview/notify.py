"""Who is mailed of an interview, through the outbox and its editable templates (platform/mail.py):
the contact of each proposal and of a cancellation, the planning editor of a request for another
date, the reporters and the photographer of the appointment, with a link to its calendar file (the
mail layer sends no attachments). The first proposal is mailed by services.plan(); every move by
the workflow's "interview_mail" effect (hooks.py)."""

from django.urls import reverse
from django.utils import formats, timezone

from submissions.interview import calendar
from submissions.models import InterviewStatus
from submissions.platform import mail

S = InterviewStatus


WHEN_FORMAT = "Y年n月j日 H:i"  # Beijing time, as the tracking page shows it


def when(moment):
    return formats.date_format(timezone.localtime(moment), WHEN_FORMAT) if moment else ""


def _entry_context(interview):
    entry = interview.submission
    return {"tracking_url": mail.tracking_url(entry)}


def _admin_url(interview):
    return mail.absolute(reverse("admin:submissions_interview_act", args=[interview.pk]))


def proposed(interview):
    entry = interview.submission
    if not entry.contact_email:
        return None
    dates = "\n".join(when(item.starts_at) for item in interview.dates.all())
    context = {
        **_entry_context(interview),
        "interview_dates": dates,
        "interview_place": interview.place or "—",
        "interview_notes": interview.notes,
    }
    return mail.queue("interview_proposed", entry.contact_email, context, entry)


def rescheduling(interview, message):
    planner = interview.created_by
    if planner is None or not planner.email:
        return None
    context = {"interview_when": when(interview.counter_at), "message": message, "admin_url": _admin_url(interview)}
    return mail.queue("interview_rescheduling", planner.email, context, interview.submission)


def confirmed(interview):
    people = [*interview.reporters.all(), *([interview.photographer] if interview.photographer_id else [])]
    context = {
        "interview_when": when(interview.chosen_at),
        "interview_place": interview.place or "—",
        "interview_staff": calendar.staff_names(interview),
        "calendar_url": calendar.appointment_url(interview),
        "admin_url": _admin_url(interview),
    }
    addresses = dict.fromkeys(person.email for person in people if person.email)
    return [mail.queue("interview_confirmed", to, context, interview.submission) for to in addresses]


def cancelled(interview, message):
    entry = interview.submission
    if not entry.contact_email:
        return None
    return mail.queue("interview_cancelled", entry.contact_email, {**_entry_context(interview), "message": message}, entry)


def moved(change):
    """The "interview_mail" effect: by the move's new status."""
    interview = change.interview
    if change.to_status == S.PROPOSED:
        return proposed(interview)
    if change.to_status == S.RESCHEDULING:
        return rescheduling(interview, change.message)
    if change.to_status == S.CONFIRMED:
        return confirmed(interview)
    if change.to_status == S.CANCELLED:
        return cancelled(interview, change.message)
    return None
