"""The interview's machine (专题融媒采访): proposed → confirmed by the contact, or → rescheduling (the
contact asks for another date) → proposed again by an editor; confirmed → done once the reporters
have brought back their material; any open interview may be cancelled by an editor, with a reason.

Editors plan (the permission "submissions.plan_interview"); the contact acts as SUBMITTER through
the entry's tracking link; a reporter or the photographer sent to the interview closes it as done
("submissions.report_interview": the authority, submissions.workflow.rules, answers it for the
people of that interview only). The date the contact picked (chosen_at) and the date they asked for
(counter_at) are written by the interview area's services in the same transaction as the move;
the rules below make sure a confirmation has a picked date among those proposed and a proposal has
two or three dates.
"""

from django.utils.translation import gettext as _

from submissions.models import Interview, InterviewStatus, InterviewStep
from submissions.workflow.machine import Machine, TransitionError

S = InterviewStatus

PLAN = "submissions.plan_interview"  # editors and chief editors
REPORT = "submissions.report_interview"  # a reporter or the photographer of that interview (rules.py)
SUBMITTER = "submitter"  # the actor token of machines.SUBMITTER (not imported from there: machines lists this machine)
MIN_DATES, MAX_DATES = 2, 3

TABLE = {
    (S.PROPOSED, S.CONFIRMED): {SUBMITTER},  # the contact picks one of the proposed dates
    (S.PROPOSED, S.RESCHEDULING): {SUBMITTER},  # the contact asks for another date, with a message
    (S.RESCHEDULING, S.PROPOSED): {PLAN},  # the editor proposes new dates
    (S.CONFIRMED, S.DONE): {REPORT, PLAN},  # the material is in
    (S.PROPOSED, S.CANCELLED): {PLAN},
    (S.RESCHEDULING, S.CANCELLED): {PLAN},
    (S.CONFIRMED, S.CANCELLED): {PLAN},
}
OWNED_FIELDS = frozenset({"status", "version", "cancel_reason", "done_at"})


def record(obj, **step):
    return InterviewStep.objects.create(interview=obj, **step)


def side_updates(obj, to, actor, now, message):
    """Cancelled: the reason, kept and sent. Done: when."""
    if to == S.CANCELLED:
        return {"cancel_reason": message}
    if to == S.DONE:
        return {"done_at": now}
    return {}


def rules(interview, to, actor):
    """Confirmed: a date picked among those proposed. Proposed again: two or three dates."""
    if to == S.CONFIRMED:
        proposed = set(interview.dates.values_list("starts_at", flat=True))
        if interview.chosen_at is None or interview.chosen_at not in proposed:
            raise TransitionError(_("请从建议的采访时间中选择一个。"))
    if to == S.PROPOSED:
        count = interview.dates.count()
        if not MIN_DATES <= count <= MAX_DATES:
            raise TransitionError(_("请提供 2 至 3 个建议采访时间。"))


INTERVIEW = Machine(
    "interview",
    Interview,
    "status",
    S,
    TABLE,
    frozenset(move for move in TABLE if move[1] in (S.RESCHEDULING, S.CANCELLED)),
    OWNED_FIELDS,
    record,
    side_updates=side_updates,
    rules=rules,
    heading="An interview (专题融媒采访)",
)
