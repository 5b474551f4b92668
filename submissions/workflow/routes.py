"""The usual route from a draft to each status, for demo data, benchmarks and tests.

Each step is a real move through transition(), made by the one who would make it. (PUBLISHED is
reached by publishing the entry's article: submissions.newsroom.publishing.publish.)
"""

from submissions.models import Status as S
from submissions.workflow.core import transition
from submissions.workflow.machines import MESSAGE_REQUIRED, SUBMITTER, TRANSITIONS

_REVIEWED = [S.SUBMITTED, S.FIRST_REVIEW, S.SECOND_REVIEW, S.SHORTLISTED]
ROUTES = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.FIRST_REVIEW: [S.SUBMITTED, S.FIRST_REVIEW],
    S.SECOND_REVIEW: [S.SUBMITTED, S.FIRST_REVIEW, S.SECOND_REVIEW],
    S.SHORTLISTED: _REVIEWED,
    S.FINAL_REVIEW: [*_REVIEWED, S.FINAL_REVIEW],
    S.ACCEPTED: [*_REVIEWED, S.ACCEPTED],
    S.RETURNED: [S.SUBMITTED, S.FIRST_REVIEW, S.RETURNED],
    S.RESUBMITTED: [S.SUBMITTED, S.FIRST_REVIEW, S.RETURNED, S.RESUBMITTED],
    S.DECLINED: [S.SUBMITTED, S.FIRST_REVIEW, S.DECLINED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
}


def walk(submission, target, *, editor, via="", message="请补充近三年的具体数据和活动照片。"):
    """Take an entry along ROUTES[target], each step made by the one who would make it."""
    for step in ROUTES[target]:
        actor = SUBMITTER if SUBMITTER in TRANSITIONS[(submission.status, step)] else editor
        transition(submission, step, actor=actor, message=message if step in MESSAGE_REQUIRED else "", via=via)
        yield step
