"""What a workflow machine is: one kind of object whose status moves only through transition().

A machine is data: the model and its status field, the statuses, the table of allowed moves and
who may make each, the moves that need a reason, the fields only transition() writes, and how a
step is recorded. submissions.workflow.machines declares the entry's and the article's; a new
one (a certificate, an objection, …) is declared in a module of its own in this package and
listed in machines.MACHINES. transition() (core.py) then moves it like the others: checked
against its table and the actor, written by compare-and-swap, recorded, its effects run.
"""

from collections.abc import Callable
from dataclasses import dataclass


class TransitionError(Exception):
    """A refused move; str() is a message for the person who tried it."""


@dataclass(frozen=True)
class Machine:
    name: str  # how the effects table and docs/workflow.md name it: "entry", "article", …
    model: type
    field: str  # the status field
    choices: type  # its TextChoices
    table: dict  # (from, to) -> who may make that move (permissions and actor tokens)
    message_required: frozenset  # moves ((from, to) pairs) that need a reason (shown to the person concerned / kept)
    owned_fields: frozenset  # the fields transition() writes (the status among them)
    # record(obj, *, from_status, to_status, actor, actor_role, note, message, via) -> the history row
    # that the move's effects receive (StatusChange for entries and articles, a table of its own otherwise).
    record: Callable
    # Optional: the fields that change with a move, side_updates(obj, to, actor, now, message) -> dict;
    # and rules beyond the table, rules(obj, to, actor), raising TransitionError.
    side_updates: Callable | None = None
    rules: Callable | None = None
    heading: str = ""  # its section's heading in docs/workflow.md ("An entry")

    @property
    def versioned(self):
        """Whether the model counts its writes in a `version` field (moved with the status)."""
        return any(field.name == "version" for field in self.model._meta.concrete_fields)
