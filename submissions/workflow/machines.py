"""The two machines as data: the allowed moves of an entry and of an article, and who may make each.

An entry's machine (Submission.status) and an article's (Showcase.state) are declared here as
tables, read by submissions.workflow.core (which makes the moves), the effects table
(submissions.workflow.effects), the admin's buttons and docs/workflow.md (`manage.py workflow_doc`).
The groupings of statuses are declared once beside the statuses (submissions.models.status) and
re-exported here, beside the tables.
"""

from submissions.models import Showcase, StatusChange, Submission
from submissions.models import Status as S
from submissions.models.status import (  # noqa: F401 (re-exported: the groupings, beside the tables)
    ARTICLE_SOURCE,
    ASSIGNABLE,
    AWAITING_TRIAGE,
    EDITABLE,
    LIVE,
    NOT_LIVE,
    OPEN_STATUSES,
    REVIEW_STATUSES,
    SCORING_CLOSED,
    SIGNED,
    SOURCE_CHANGEABLE,
    SOURCED,
    WITH_EDITORS,
    WITHDRAWABLE,
)
from submissions.workflow import screening
from submissions.workflow.certificates import CERTIFICATE
from submissions.workflow.commentaries import COMMENTARY, EXPERT_LINK
from submissions.workflow.interviews import INTERVIEW
from submissions.workflow.machine import Machine
from submissions.workflow.objections import OBJECTION
from submissions.workflow.public_notice import NOTICE

A = Showcase.State

# Actors that are not users.
SUBMITTER = "submitter"  # whoever holds the entry's private tracking link
SYSTEM = "system"  # scheduled jobs and commands
# (EXPERT_LINK, "expert_link": whoever holds a commentary request's signed link, declared with its machine.)
TOKEN_ACTORS = (SUBMITTER, SYSTEM, EXPERT_LINK)  # what transition() accepts as an actor besides a user
# Not an actor: the move is made by transition() itself, together with the entry's article's move.
WITH_ARTICLE = "with_article"

# The permissions that allow moves (held through the role groups of submissions.workflow.roles).
RUN_WORKFLOW = "submissions.run_workflow"  # editors and chief editors: an entry's moves
EDIT_ARTICLE = "submissions.change_showcase"  # editors and chief editors: write, request sign-off, take down
SIGNOFF = "submissions.signoff_showcase"  # chief editors: sign off, send back, publish
# Screening (submissions/recommend): editors, and a recommending body's accounts on its own area's entries.
CHECK_ELIGIBILITY = screening.CHECK_ELIGIBILITY
RECOMMEND = screening.RECOMMEND  # a recommending body's accounts only

# An entry: (from, to) -> who may make that move.
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): {SUBMITTER, RUN_WORKFLOW},
    (S.SUBMITTED, S.FIRST_REVIEW): {RUN_WORKFLOW},  # a campaign that screens: only once screened (screening_rules)
    (S.SUBMITTED, S.ELIGIBLE): {CHECK_ELIGIBILITY},  # every item of the checklist passed (an EligibilityCheck)
    (S.RESUBMITTED, S.ELIGIBLE): {CHECK_ELIGIBILITY},
    (S.ELIGIBLE, S.RECOMMENDED): {RECOMMEND},  # within the body's quota, with its opinion
    (S.ELIGIBLE, S.FIRST_REVIEW): {RUN_WORKFLOW},  # a campaign without recommendation
    (S.RECOMMENDED, S.FIRST_REVIEW): {RUN_WORKFLOW},
    (S.RESUBMITTED, S.FIRST_REVIEW): {RUN_WORKFLOW},
    (S.RESUBMITTED, S.SECOND_REVIEW): {RUN_WORKFLOW},
    (S.RESUBMITTED, S.SHORTLISTED): {RUN_WORKFLOW},
    (S.FIRST_REVIEW, S.SECOND_REVIEW): {RUN_WORKFLOW},
    (S.SECOND_REVIEW, S.SHORTLISTED): {RUN_WORKFLOW},
    (S.SHORTLISTED, S.FINAL_REVIEW): {RUN_WORKFLOW},
    (S.SHORTLISTED, S.ACCEPTED): {RUN_WORKFLOW},
    (S.FINAL_REVIEW, S.ACCEPTED): {RUN_WORKFLOW},
    (S.ACCEPTED, S.PUBLISHED): {WITH_ARTICLE},  # its article was published
    (S.PUBLISHED, S.ACCEPTED): {WITH_ARTICLE},  # its article was taken down (or edited: back for sign-off)
    (S.RETURNED, S.RESUBMITTED): {SUBMITTER, RUN_WORKFLOW},
    (S.DECLINED, S.FIRST_REVIEW): {RUN_WORKFLOW},  # reopened
}
for _status in WITH_EDITORS:
    TRANSITIONS[(_status, S.RETURNED)] = {RUN_WORKFLOW}
    TRANSITIONS[(_status, S.DECLINED)] = {RUN_WORKFLOW}
# Screening: the checker returns an entry that fails a fixable item, or declines it; a body declines
# to recommend (不予推荐) with its reason.
for _status in (S.SUBMITTED, S.RESUBMITTED):
    TRANSITIONS[(_status, S.RETURNED)] |= {CHECK_ELIGIBILITY}
    TRANSITIONS[(_status, S.DECLINED)] |= {CHECK_ELIGIBILITY}
TRANSITIONS[(S.ELIGIBLE, S.DECLINED)] |= {RECOMMEND}
for _status in WITHDRAWABLE:
    TRANSITIONS[(_status, S.WITHDRAWN)] = {SUBMITTER}

# An article: (from, to) -> who may make that move.
ARTICLE_TRANSITIONS = {
    (A.DRAFT, A.AWAITING_SIGNOFF): {EDIT_ARTICLE},  # 提交签审: every chief editor is told
    (A.DRAFT, A.SIGNED_OFF): {SIGNOFF},  # a chief editor signs a draft off unasked
    (A.AWAITING_SIGNOFF, A.SIGNED_OFF): {SIGNOFF},  # the editor is told
    (A.AWAITING_SIGNOFF, A.DRAFT): {SIGNOFF},  # sent back with a note: the editor is told
    (A.SIGNED_OFF, A.DRAFT): {EDIT_ARTICLE},  # an edit after sign-off voids it
    (A.SIGNED_OFF, A.PUBLISHED): {SIGNOFF},
    (A.SIGNED_OFF, A.SCHEDULED): {SIGNOFF},
    (A.SCHEDULED, A.PUBLISHED): {SIGNOFF, SYSTEM},
    (A.SCHEDULED, A.DRAFT): {EDIT_ARTICLE},
    (A.PUBLISHED, A.UNPUBLISHED): {EDIT_ARTICLE},
    (A.PUBLISHED, A.AWAITING_SIGNOFF): {EDIT_ARTICLE},  # only an edit of a published article: off until signed again
    (A.UNPUBLISHED, A.DRAFT): {EDIT_ARTICLE},
}

# The fields only transition() writes (with the status, in the same compare-and-swap). A form,
# an import or an edit leaves them alone: submissions.intake.services keeps them out of an
# entry's content, and a snapshot of an article does not hold them.
OWNED_FIELDS = frozenset({"status", "reference", "submitted_at", "status_changed_at", "version"})
ARTICLE_OWNED_FIELDS = frozenset(
    {"state", "version", "signed_off_by", "signed_off_at", "signed_revision", "published_at", "unpublished_reason"}
)


MESSAGE_REQUIRED = frozenset({S.RETURNED, S.DECLINED, S.RECOMMENDED})  # entry statuses whose moves need a reason (or opinion)


def _history(obj, **step):
    """An entry's or an article's step, as StatusChange keeps both (its check constraint: one subject)."""
    subject = {"showcase": obj} if isinstance(obj, Showcase) else {"submission": obj}
    return StatusChange.objects.create(**subject, **step)


ENTRY = Machine(
    "entry",
    Submission,
    "status",
    S,
    TRANSITIONS,
    frozenset(move for move in TRANSITIONS if move[1] in MESSAGE_REQUIRED),
    OWNED_FIELDS,
    _history,
    rules=screening.rules,
    heading="An entry",
)
ARTICLE = Machine(
    "article",
    Showcase,
    "state",
    A,
    ARTICLE_TRANSITIONS,
    frozenset({(A.PUBLISHED, A.UNPUBLISHED), (A.AWAITING_SIGNOFF, A.DRAFT)}),
    ARTICLE_OWNED_FIELDS,
    _history,
    heading="An article",
)
# Every machine, in the order docs/workflow.md shows them. A new one (its own module in this
# package, declaring its table with workflow.machine.Machine) is added here.
MACHINES = (ENTRY, ARTICLE, CERTIFICATE, OBJECTION, NOTICE, INTERVIEW, COMMENTARY)
_BY_MODEL = {machine.model: machine for machine in MACHINES}


def machine_of(obj):
    """The machine that moves this kind of object (LookupError: nothing moves it)."""
    try:
        return _BY_MODEL[type(obj)]
    except KeyError:
        raise LookupError(f"no workflow machine moves a {type(obj).__name__}") from None
