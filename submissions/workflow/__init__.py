"""The workflow core: both machines, who may make each move, and the declared effects of each move (docs/workflow.md).

Everything else asks it through this package: `from submissions import workflow`, then
`workflow.transition(...)`, `workflow.allowed_moves(...)`, `workflow.TransitionError`.
It imports the models and the platform layer only, never an area: an area's effect is bound by
name (submissions.workflow.effects.register) from the app's ready().

- machines.py: the tables of moves, the actors, the fields the workflow owns;
- core.py: the checks, transition() and the rules beyond the tables;
- effects.py: the effects of each move (mail, cache, search, public media, overlap);
- notices.py: who is mailed of a move; routes.py: the usual route to each status (walk);
- roles.py: the roles and their permissions.
"""

from submissions.workflow.core import (
    ARTICLE,
    ARTICLE_OWNED_FIELDS,
    ARTICLE_TRANSITIONS,
    ENTRY,
    EXPERT_LINK,
    LIVE,
    MESSAGE_REQUIRED,
    OWNED_FIELDS,
    SIGNED,
    SUBMITTER,
    SYSTEM,
    TRANSITIONS,
    WITH_ARTICLE,
    Move,
    TransitionError,
    allowed_moves,
    check,
    check_article_source,
    machine_of,
    may,
    needs_message,
    next_reference,
    transition,
)
from submissions.workflow.effects import EFFECTS
from submissions.workflow.routes import walk

__all__ = [
    "ARTICLE",
    "ARTICLE_OWNED_FIELDS",
    "ARTICLE_TRANSITIONS",
    "EFFECTS",
    "ENTRY",
    "EXPERT_LINK",
    "LIVE",
    "MESSAGE_REQUIRED",
    "OWNED_FIELDS",
    "SIGNED",
    "SUBMITTER",
    "SYSTEM",
    "TRANSITIONS",
    "WITH_ARTICLE",
    "Move",
    "TransitionError",
    "allowed_moves",
    "check",
    "check_article_source",
    "machine_of",
    "may",
    "needs_message",
    "next_reference",
    "transition",
    "walk",
]
