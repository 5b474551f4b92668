"""The notice area's part in the workflow: the "objection_mail" effect, bound when the app is ready."""

from submissions.notice import services
from submissions.workflow import effects


def answered(change):
    """The workflow's "objection_mail" effect: the objector is told the answer, upheld or dismissed."""
    services.tell_objector(change.objection)


def connect():
    effects.register(effects.OBJECTION_MAIL, answered)
