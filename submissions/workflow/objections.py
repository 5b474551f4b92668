"""The objection's machine: received → investigating (an editor takes it) → upheld or dismissed.

Editors and chief editors handle objections (the permission "submissions.handle_objection").
Both answers need a reason: it is the answer sent to the objector (the "objection_mail" effect,
bound by submissions.notice at ready()) and kept on the objection. What an upheld objection does
to the notice's list (the entry leaves it, with the reason) is done by the notice area's service
in the same transaction as the move; the machine only moves the objection.
"""

from submissions.models import Objection, ObjectionStatus, ObjectionStep
from submissions.workflow.machine import Machine

S = ObjectionStatus

HANDLE = "submissions.handle_objection"  # editors and chief editors

TABLE = {
    (S.RECEIVED, S.INVESTIGATING): {HANDLE},
    (S.INVESTIGATING, S.UPHELD): {HANDLE},
    (S.INVESTIGATING, S.DISMISSED): {HANDLE},
}
ANSWERED = frozenset({S.UPHELD, S.DISMISSED})
OWNED_FIELDS = frozenset({"status", "version", "handler", "answered_at", "answer"})


def record(obj, **step):
    return ObjectionStep.objects.create(objection=obj, **step)


def side_updates(obj, to, actor, now, message):
    """Taken: who handles it. Answered: when, and the answer the objector is sent."""
    if to == S.INVESTIGATING:
        return {"handler": actor}
    if to in ANSWERED:
        return {"answered_at": now, "answer": message}
    return {}


OBJECTION = Machine(
    "objection",
    Objection,
    "status",
    S,
    TABLE,
    frozenset(move for move in TABLE if move[1] in ANSWERED),
    OWNED_FIELDS,
    record,
    side_updates=side_updates,
    heading="An objection (异议)",
)
