"""The steps of a reminder before a due date, read once for reviewers and experts alike."""

from submissions.experts import services as experts
from submissions.platform.reminders import days_before
from submissions.review import reminders as reviews


def test_the_steps_are_whole_days_largest_first_each_once(settings):
    settings.REVIEW_REMINDER_DAYS = (1, 7, 3, 7, 0)
    assert days_before("REVIEW_REMINDER_DAYS") == (7, 3, 1)


def test_reviewers_and_experts_each_follow_their_own_setting(settings):
    settings.REVIEW_REMINDER_DAYS = (2,)
    settings.EXPERT_REMINDER_DAYS = (5, 1)
    assert (reviews.reminder_days(), experts.reminder_days()) == ((2,), (5, 1))
