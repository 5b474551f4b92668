"""The workflow core: both machines, who may make each move, and the declared effects of each move (docs/workflow.md).

Everything else asks it through this package: `from submissions import workflow`, then
`workflow.transition(...)`, `workflow.allowed_moves(...)`, `workflow.TransitionError`.
It imports the models and the platform layer only, never an area.
"""

from submissions.workflow.core import (
    ARTICLE,
    ARTICLE_TRANSITIONS,
    ENTRY,
    LIVE,
    MESSAGE_REQUIRED,
    SIGNED,
    SUBMITTER,
    SYSTEM,
    TRANSITIONS,
    WITH_ARTICLE,
    Move,
    TransitionError,
    allowed_moves,
    check,
    machine_of,
    may,
    needs_message,
    next_reference,
    transition,
    walk,
)

__all__ = [
    "ARTICLE",
    "ARTICLE_TRANSITIONS",
    "ENTRY",
    "LIVE",
    "MESSAGE_REQUIRED",
    "SIGNED",
    "SUBMITTER",
    "SYSTEM",
    "TRANSITIONS",
    "WITH_ARTICLE",
    "Move",
    "TransitionError",
    "allowed_moves",
    "check",
    "machine_of",
    "may",
    "needs_message",
    "next_reference",
    "transition",
    "walk",
]
