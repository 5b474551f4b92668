"""The interview area's part in the workflow: the "interview_mail" effect, bound when the app is ready."""

from submissions.interview import notify
from submissions.workflow import effects


def moved(change):
    """The workflow's "interview_mail" effect: who is told of an interview's move (notify.py)."""
    notify.moved(change)


def connect():
    effects.register(effects.INTERVIEW_MAIL, moved)
