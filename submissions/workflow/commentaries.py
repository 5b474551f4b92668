"""The commentary's machine (专家点评约稿): requested → written by the expert (with a non-empty text),
written → accepted by an editor, or back to requested (a revision asked for, with a message);
requested → declined by the expert (with a reason); requested, written or accepted → withdrawn by an
editor (with a reason).

Editors request ("submissions.request_commentary"); the expert writes either signed in with their
own account ("submissions.write_commentary": the authority, submissions.workflow.rules, answers it
for the request's own expert only) or through the signed link they were mailed, which acts as the
token actor EXPERT_LINK, "whoever holds the request's signed link" (the link is checked by the
experts area before the move; the history's role says "expert_link"). The text and diagnosis are
written by the experts area's services in the same transaction as the move, only if the expert's
form still shows the request as it is (its version).
"""

from django.utils.translation import gettext as _

from submissions.models import CommentaryRequest, CommentaryStatus, CommentaryStep
from submissions.workflow.machine import Machine, TransitionError

S = CommentaryStatus

REQUEST = "submissions.request_commentary"  # editors and chief editors
WRITE = "submissions.write_commentary"  # the request's own expert, signed in (rules.py)
EXPERT_LINK = "expert_link"  # an actor that is not a user: whoever holds the request's signed link (workflow.EXPERT_LINK)
LINK = EXPERT_LINK

TABLE = {
    (S.REQUESTED, S.WRITTEN): {WRITE, LINK},
    (S.REQUESTED, S.DECLINED): {WRITE, LINK},
    (S.WRITTEN, S.ACCEPTED): {REQUEST},
    (S.WRITTEN, S.REQUESTED): {REQUEST},  # a revision asked for
    (S.REQUESTED, S.WITHDRAWN): {REQUEST},
    (S.WRITTEN, S.WITHDRAWN): {REQUEST},
    (S.ACCEPTED, S.WITHDRAWN): {REQUEST},
}
OWNED_FIELDS = frozenset({"status", "version", "written_at", "accepted_at"})
# The expert's page takes their writing while the request is with them or waiting on the editor.
OPEN = (S.REQUESTED, S.WRITTEN)


def record(obj, **step):
    return CommentaryStep.objects.create(request=obj, **step)


def side_updates(obj, to, actor, now, message):
    if to == S.WRITTEN:
        return {"written_at": now}
    if to == S.ACCEPTED:
        return {"accepted_at": now}
    if to == S.WITHDRAWN:
        return {"accepted_at": None}
    return {}


def rules(request, to, actor):
    """Written: a commentary to read."""
    if to == S.WRITTEN and not request.text.strip():
        raise TransitionError(_("请填写点评内容。"))


COMMENTARY = Machine(
    "commentary",
    CommentaryRequest,
    "status",
    S,
    TABLE,
    frozenset(move for move in TABLE if move[1] in (S.DECLINED, S.WITHDRAWN) or move == (S.WRITTEN, S.REQUESTED)),
    OWNED_FIELDS,
    record,
    side_updates=side_updates,
    rules=rules,
    heading="An expert's commentary (专家点评)",
)
