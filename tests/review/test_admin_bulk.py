"""Bulk actions on the entries list: each through the workflow, with a report of what was refused."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from submissions.models import ReviewAssignment, Stage, Status
from tests.factories import assign, make_user, submission_in

S = Status
LIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(client, action, entries, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in entries], "index": 0, **extra}
    return client.post(LIST, data, follow=True)


def texts(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_move_to_a_round_reports_done_and_refused(client, editor):
    ready = submission_in(S.SUBMITTED)
    declined = submission_in(S.DECLINED)
    already = submission_in(S.FIRST_REVIEW)
    client.force_login(editor)
    response = run(client, "move_to_second_review", [ready, declined, already])
    for entry in (ready, declined, already):
        entry.refresh_from_db()
    assert (ready.status, declined.status, already.status) == (S.SUBMITTED, S.DECLINED, S.SECOND_REVIEW)
    messages = " ".join(texts(response))
    assert "已将 1 件作品办理为“复审中”" in messages and already.reference in messages
    assert "2 件未办理" in messages and ready.reference in messages and "不能从“已报送”变为“复审中”" in messages
    response = run(client, "move_to_first_review", [ready])
    ready.refresh_from_db()
    assert ready.status == S.FIRST_REVIEW
    assert ready.history.last().via == "admin-bulk" and ready.history.last().actor == editor


@pytest.mark.django_db
def test_shortlist(client, editor):
    good, early = submission_in(S.SECOND_REVIEW), submission_in(S.SUBMITTED)
    client.force_login(editor)
    response = run(client, "shortlist", [good, early])
    good.refresh_from_db()
    early.refresh_from_db()
    assert (good.status, early.status) == (S.SHORTLISTED, S.SUBMITTED)
    assert "1 件未办理" in " ".join(texts(response))


@pytest.mark.django_db
def test_decline_asks_for_the_message_then_declines(client, editor, django_capture_on_commit_callbacks):
    entries = [submission_in(S.FIRST_REVIEW), submission_in(S.SECOND_REVIEW)]
    client.force_login(editor)
    page = run(client, "decline", entries)
    assert page.status_code == 200 and "给报送单位的说明" in page.content.decode()
    page = run(client, "decline", entries, apply="1", message="")
    assert "请填写给报送单位的说明" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        run(client, "decline", entries, apply="1", message="与本次征集主题不符。")
    for entry in entries:
        entry.refresh_from_db()
        assert entry.status == S.DECLINED
        assert entry.history.last().message == "与本次征集主题不符。"
        assert entry.messages.filter(event="declined", body__contains="与本次征集主题不符").exists()


@pytest.mark.django_db
def test_assign_reviewers_through_an_intermediate_page(client, editor):
    reviewers = [make_user("reviewer", username=f"expert{i}") for i in range(2)]
    open_entry, closed = submission_in(S.FIRST_REVIEW), submission_in(S.DECLINED)
    assign(open_entry, reviewers[0], Stage.FIRST)
    client.force_login(editor)
    page = run(client, "assign_reviewers", [open_entry, closed])
    html = page.content.decode()
    picker = html.split("评审专家", 1)[-1].split("每件作品分派人数")[0]
    assert "用户" in picker and "expert0" not in picker and "editor" not in picker  # by name, reviewers only
    response = run(client, "assign_reviewers", [open_entry, closed], apply="1", reviewers=[r.pk for r in reviewers])
    messages = " ".join(texts(response))
    assert "已分派 1 项" in messages
    assert "已分派给" in messages and "不能分派评审" in messages
    pairs = set(ReviewAssignment.objects.values_list("submission_id", "reviewer__username", "stage", "assigned_by__username"))
    assert (open_entry.pk, "expert1", Stage.FIRST, "editor") in pairs
    assert not ReviewAssignment.objects.filter(submission=closed).exists()


@pytest.mark.django_db
def test_bulk_actions_are_not_offered_to_reviewers(client, reviewer):
    entry = submission_in(S.FIRST_REVIEW)
    assign(entry, reviewer)
    client.force_login(reviewer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["action_form"] is None
    run(client, "shortlist", [entry])
    entry.refresh_from_db()
    assert entry.status == S.FIRST_REVIEW


@pytest.mark.django_db
def test_the_round_follows_each_entrys_status(client, editor):
    expert = make_user("reviewer", username="expert-round")
    first, second, final = submission_in(S.FIRST_REVIEW), submission_in(S.SECOND_REVIEW), submission_in(S.SHORTLISTED)
    client.force_login(editor)
    run(client, "assign_reviewers", [first, second, final], apply="1", reviewers=[expert.pk])
    stages = dict(ReviewAssignment.objects.values_list("submission_id", "stage"))
    assert stages == {first.pk: Stage.FIRST, second.pk: Stage.SECOND, final.pk: Stage.FINAL}


@pytest.mark.django_db
def test_balanced_distribution_from_the_list(client, editor, django_capture_on_commit_callbacks):
    from submissions.models import OutboxMessage, ReviewerProfile

    experts = [make_user("reviewer", username=f"pool{i}") for i in range(3)]
    entries = [submission_in(S.FIRST_REVIEW, org_parent="示范公司党委") for _i in range(6)]
    entries[0].org_parent = "回避党委"
    entries[0].save()
    ReviewerProfile.objects.create(reviewer=experts[0], affiliations="回避党委")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = run(client, "assign_reviewers", entries, apply="1", reviewers=[e.pk for e in experts], per_entry=2)
    assert "已分派 12 项" in " ".join(texts(response))
    per_entry = {e.pk: ReviewAssignment.objects.filter(submission=e, stage=Stage.FIRST).count() for e in entries}
    assert set(per_entry.values()) == {2}
    loads = sorted(ReviewAssignment.objects.filter(reviewer=e).count() for e in experts)
    assert loads == [4, 4, 4]
    assert not ReviewAssignment.objects.filter(submission=entries[0], reviewer=experts[0]).exists()  # conflict skipped
    mails = OutboxMessage.objects.filter(event="assigned")
    assert sorted(mails.values_list("to", flat=True)) == ["pool0@example.com", "pool1@example.com", "pool2@example.com"]
    for mail in mails:
        assert "张三" not in mail.body and "13800138000" not in mail.body  # nothing of the submitter's contact


@pytest.mark.django_db
def test_more_per_entry_than_chosen_is_refused_next_to_the_field(client, editor):
    expert = make_user("reviewer", username="lonely")
    entry = submission_in(S.FIRST_REVIEW)
    client.force_login(editor)
    page = run(client, "assign_reviewers", [entry], apply="1", reviewers=[expert.pk], per_entry=2)
    assert "不能多于选中的专家人数" in page.content.decode()
    assert not ReviewAssignment.objects.exists()
