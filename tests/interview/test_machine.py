"""The interview's machine: each move, who may make it, its history and the mails it queues."""

import pytest
from django.utils import timezone

from submissions import workflow
from submissions.interview import services
from submissions.models import Interview, InterviewStatus, OutboxMessage, Status
from submissions.workflow import roles
from tests.factories import make_user, submission_in
from tests.interview.helpers import DATES, confirmed, next_year, people, planned

pytestmark = pytest.mark.django_db
S = InterviewStatus


def test_a_plan_is_proposed_to_the_contact_by_mail_with_its_dates(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interview = planned()
    assert interview.status == S.PROPOSED
    assert interview.dates.count() == 3
    message = OutboxMessage.objects.get(event="interview_proposed")
    assert message.to == interview.submission.contact_email
    assert f"{DATES[0].year}年3月10日 09:30" in message.body and "收费站党员活动室" in message.body
    assert interview.submission.tracking_token in message.body


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.FIRST_REVIEW, Status.DECLINED])
def test_only_a_shortlisted_or_accepted_entry_is_interviewed(status):
    with pytest.raises(services.InterviewError, match="已入围或已采用"):
        planned(entry=submission_in(status))
    assert Interview.objects.count() == 0


@pytest.mark.parametrize("status", [Status.SHORTLISTED, Status.ACCEPTED, Status.PUBLISHED])
def test_shortlisted_accepted_and_published_entries_are_interviewed(status):
    assert planned(entry=submission_in(status)).status == S.PROPOSED


@pytest.mark.parametrize("count", [1, 4])
def test_two_or_three_dates_are_proposed(count):
    dates = [next_year(4, day, 10) for day in range(1, count + 1)]
    with pytest.raises(services.InterviewError, match="2 至 3"):
        planned(dates=dates)


def test_a_date_in_the_past_is_not_proposed():
    with pytest.raises(services.InterviewError, match="早于现在"):
        planned(dates=[timezone.now() - timezone.timedelta(hours=1), next_year(4, 1, 10)])


def test_a_reviewer_or_a_reporter_without_the_permission_does_not_plan():
    reviewer = make_user(roles.REVIEWER, username="a-reviewer")
    with pytest.raises(services.InterviewError, match="权限"):
        planned(editor=reviewer)


def test_the_contact_confirms_a_date_and_the_reporters_are_mailed_a_calendar_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interview = confirmed()
    assert interview.status == S.CONFIRMED and interview.chosen_at == DATES[0]
    step = interview.history.get()
    assert (step.from_status, step.to_status, step.actor, step.actor_role) == (S.PROPOSED, S.CONFIRMED, None, "submitter")
    sent = OutboxMessage.objects.filter(event="interview_confirmed")
    assert sorted(sent.values_list("to", flat=True)) == ["photo@example.com", "reporter@example.com"]
    body = sent.first().body
    assert f"/interview/{interview.pk}/{interview.token}.ics" in body and "13800138000" in body


def test_a_counter_proposal_goes_back_to_the_planner_who_proposes_again(django_capture_on_commit_callbacks):
    editor = make_user(roles.EDITOR, username="planner", email="planner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        interview = planned(editor=editor)
        services.counter(interview, next_year(5, 6, 15), "那几天单位有接待任务，请改到下月。", interview.version)
    assert interview.status == S.RESCHEDULING
    asked = OutboxMessage.objects.get(event="interview_rescheduling")
    assert asked.to == "planner@example.com" and "接待任务" in asked.body and "5月6日 15:00" in asked.body
    with django_capture_on_commit_callbacks(execute=True):
        services.repropose(interview, editor, [next_year(5, 6, 15), next_year(5, 7, 9)], via="admin")
    assert interview.status == S.PROPOSED and interview.dates.count() == 2
    assert OutboxMessage.objects.filter(event="interview_proposed").count() == 2
    steps = list(interview.history.values_list("from_status", "to_status", "actor_role"))
    assert steps == [(S.PROPOSED, S.RESCHEDULING, "submitter"), (S.RESCHEDULING, S.PROPOSED, roles.EDITOR)]


def test_a_counter_proposal_needs_its_message():
    interview = planned()
    with pytest.raises(workflow.TransitionError, match="说明"):
        services.counter(interview, next_year(5, 6, 15), "  ", interview.version)
    interview.refresh_from_db()
    assert interview.status == S.PROPOSED


def test_only_an_editor_proposes_again():
    interview = planned()
    services.counter(interview, next_year(5, 6, 15), "请改期", interview.version)
    reporter = make_user(roles.REVIEWER, username="outsider", is_staff=True)
    with pytest.raises(workflow.TransitionError, match="没有权限"):
        services.repropose(interview, reporter, [next_year(5, 6, 15), next_year(5, 7, 9)])
    interview.refresh_from_db()
    assert interview.status == S.RESCHEDULING and interview.dates.count() == 3  # rolled back with the move


def test_the_submitter_does_not_confirm_without_a_proposed_date():
    interview = planned()
    interview.chosen_at = next_year(6, 1, 9)
    with pytest.raises(workflow.TransitionError, match="建议的采访时间"):
        workflow.transition(interview, S.CONFIRMED, actor=workflow.SUBMITTER)


def test_a_reporter_of_the_interview_closes_it_but_not_another_staff_member():
    interview = confirmed()
    other = make_user(roles.REVIEWER, username="other-staff", is_staff=True)
    assert not workflow.allowed_moves(interview, other)
    with pytest.raises(workflow.TransitionError, match="没有权限"):
        services.report(interview, other, "笔记")
    reporter, _photographer = people()
    reporter.groups.clear()  # a reporter who is no editor: sent to it, in the newsroom as a reviewer
    roles.grant(reporter, roles.REVIEWER)
    reporter = type(reporter).objects.get(pk=reporter.pk)
    assert [move.to for move in workflow.allowed_moves(interview, reporter)] == [S.DONE]
    services.report(interview, reporter, "支部书记介绍了“零距离”服务的三个做法。")
    interview.refresh_from_db()
    assert interview.status == S.DONE and interview.done_at is not None and "三个做法" in interview.report


def test_an_editor_cancels_with_a_reason_and_the_contact_is_told(django_capture_on_commit_callbacks):
    editor = make_user(roles.EDITOR, username="planner", email="planner@example.com")
    interview = confirmed(editor=editor)
    with pytest.raises(workflow.TransitionError, match="说明"):
        services.cancel(interview, editor, "")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(interview, editor, "报社版面调整，改为书面采访。")
    interview.refresh_from_db()
    assert interview.status == S.CANCELLED and interview.cancel_reason == "报社版面调整，改为书面采访。"
    told = OutboxMessage.objects.get(event="interview_cancelled")
    assert told.to == interview.submission.contact_email and "书面采访" in told.body
    with pytest.raises(workflow.TransitionError):
        services.cancel(interview, editor, "再取消一次")


def test_the_submitter_cannot_cancel_and_a_done_interview_stays_done():
    interview = confirmed()
    with pytest.raises(workflow.TransitionError, match="没有权限"):
        workflow.transition(interview, S.CANCELLED, actor=workflow.SUBMITTER, message="不想接受采访")
    reporter, _photographer = people()
    services.report(interview, reporter, "笔记")
    with pytest.raises(workflow.TransitionError, match="不能从"):
        workflow.transition(interview, S.CANCELLED, actor=make_user(roles.CHIEF, username="c"), message="x")
