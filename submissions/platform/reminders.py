"""The steps of a reminder before a due date, shared by reviewers' and experts' reminders."""

from django.conf import settings


def days_before(setting, default=(3, 1)):
    """The days before a due date named by `setting` (e.g. REVIEW_REMINDER_DAYS = (3, 1)), largest
    first, each once; zero and negative days are dropped (a reminder on or after the day is late)."""
    return tuple(sorted({int(day) for day in getattr(settings, setting, default) if int(day) > 0}, reverse=True))
