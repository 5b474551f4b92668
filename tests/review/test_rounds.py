"""The round each status is scored in, declared once beside the rounds (models/review.py), and the round a
move opens; the statuses given to reviewers are exactly the ASSIGNABLE grouping."""

from submissions.models.review import STAGE_OF_STATUS
from submissions.models.status import ASSIGNABLE
from submissions.review import assignments


def test_the_round_of_each_status_and_the_round_each_move_opens():
    assert {str(status): str(stage) for status, stage in STAGE_OF_STATUS.items()} == {
        "submitted": "first",
        "eligible": "first",  # screened (资格审查, 推荐): reviewers may be asked before the first round opens
        "recommended": "first",
        "resubmitted": "first",
        "first_review": "first",
        "second_review": "second",
        "shortlisted": "final",
        "final_review": "final",
    }
    assert set(STAGE_OF_STATUS) == set(ASSIGNABLE)
    assert {str(to): str(stage) for to, stage in assignments.STAGE_OPENED_BY.items()} == {
        "first_review": "first",
        "second_review": "second",
        "final_review": "final",
    }
