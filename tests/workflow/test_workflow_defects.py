"""Three workflow defects of issue 24, each reproduced: a move and its reviewers' assignment as one
unit; 提交签审 on a published, unedited article; the submitter mailed again by a correction."""

import pytest
from django.contrib.messages import get_messages
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from submissions import workflow
from submissions.models import OutboxMessage, ReviewAssignment, Showcase, Stage, Status, StatusChange
from submissions.newsroom import publishing
from submissions.review import assignments
from tests.factories import SubmissionFactory, article_in, make_user, submission_in
from tests.newsroom.test_publish_admin import change_data

S, A = Status, Showcase.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _history(entry):
    return list(StatusChange.objects.filter(submission=entry).order_by("pk").values_list("pk", "from_status", "to_status"))


def _press_first_review(client, entry, reviewers):
    url = reverse("admin:submissions_submission_transition", args=[entry.pk])
    data = {"to": S.FIRST_REVIEW, "move": S.FIRST_REVIEW, "from_status": S.SUBMITTED, "reviewers": [r.pk for r in reviewers]}
    response = client.post(url, data)
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- 1. Move and assign reviewers in one press: both or neither ---


def test_a_failing_assignment_rolls_the_move_back(editor, monkeypatch, django_capture_on_commit_callbacks):
    experts = [make_user("reviewer", username=f"unit{i}") for i in range(2)]
    entry = submission_in(S.SUBMITTED)
    before = _history(entry)

    def broken(*args, **kwargs):
        raise OperationalError("the outbox could not be written")

    monkeypatch.setattr(assignments.assigned_mail, "reviewers_assigned", broken)
    with django_capture_on_commit_callbacks(execute=True):
        told = _press_first_review(_as(editor), entry, experts)
    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED
    assert _history(entry) == before
    assert not ReviewAssignment.objects.exists()
    assert not OutboxMessage.objects.filter(event="assigned").exists()
    assert told == ["未办理：评审专家分派失败（系统错误）。作品仍为“已报送”，也未分派任何评审专家，请刷新后重试。"]


def test_a_refused_reviewer_rolls_the_move_back(editor, django_capture_on_commit_callbacks):
    """A real failure: between the page and the press, someone else gave the entry to one of the ticked reviewers."""
    experts = [make_user("reviewer", username=f"race{i}") for i in range(2)]
    entry = submission_in(S.SUBMITTED)
    ReviewAssignment.objects.create(submission=entry, reviewer=experts[0], stage=Stage.FIRST, assigned_by=editor)
    before = _history(entry)
    told = _press_first_review(_as(editor), entry, experts)
    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED
    assert _history(entry) == before
    assert list(ReviewAssignment.objects.values_list("reviewer__username", flat=True)) == ["race0"]
    assert len(told) == 1 and "未办理" in told[0] and "已分派给" in told[0]


def test_the_press_still_moves_and_assigns_when_all_is_well(editor):
    experts = [make_user("reviewer", username=f"well{i}") for i in range(2)]
    entry = submission_in(S.SUBMITTED)
    _press_first_review(_as(editor), entry, experts)
    entry.refresh_from_db()
    assert entry.status == S.FIRST_REVIEW
    assert ReviewAssignment.objects.filter(submission=entry, stage=Stage.FIRST).count() == 2


# --- 2. 提交签审 does not take an unedited published article down; a correction asks its reason ---


def test_an_unedited_published_article_is_not_offered_or_allowed_to_go_back_for_sign_off(editor):
    article = article_in(A.PUBLISHED)
    assert A.AWAITING_SIGNOFF not in [move.to for move in workflow.allowed_moves(article, editor)]
    assert A.UNPUBLISHED in [move.to for move in workflow.allowed_moves(article, editor)]
    page = _as(editor).get(reverse("admin:submissions_showcase_change", args=[article.pk])).content.decode()
    assert 'value="awaiting_signoff"' not in page and 'value="unpublished"' in page
    response = _as(editor).post(reverse("admin:submissions_showcase_move", args=[article.pk]), {"to": "awaiting_signoff"})
    assert "文章发布后未作修改" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    article.refresh_from_db()
    assert article.state == A.PUBLISHED
    assert Client().get(article.get_absolute_url()).status_code == 200
    with pytest.raises(workflow.TransitionError):
        publishing.request_sign_off(article, editor)


def test_a_correction_of_a_published_article_asks_its_reason(editor):
    article = article_in(A.PUBLISHED)
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    client = _as(editor)
    assert 'name="correction_reason"' in client.get(url).content.decode()
    response = client.post(url, change_data(article, lead="更正后的导语"))
    assert response.status_code == 200 and "请填写更正原因" in response.content.decode()
    article.refresh_from_db()
    assert article.state == A.PUBLISHED and article.lead != "更正后的导语"
    assert Client().get(article.get_absolute_url()).status_code == 200

    response = client.post(url, change_data(article, lead="更正后的导语", correction_reason="导语中的数字有误"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == A.AWAITING_SIGNOFF and article.lead == "更正后的导语"
    step = article.history.order_by("-pk").first()
    assert (step.from_status, step.to_status, step.message) == (A.PUBLISHED, A.AWAITING_SIGNOFF, "导语中的数字有误")


# --- 3. A correction does not mail the submitter "accepted" and "published" again ---


def test_a_correction_and_republication_mail_the_submitter_each_event_once(
    editor, chief, mailoutbox, django_capture_on_commit_callbacks
):
    entry = SubmissionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        list(workflow.walk(entry, S.ACCEPTED, editor=editor))
        article = publishing.draft_from_entry(entry, editor=editor)
        publishing.request_sign_off(article, editor)
        publishing.sign_off(article, chief)
        publishing.publish(article, chief)
    with django_capture_on_commit_callbacks(execute=True):
        article.lead = "更正后的导语"
        article.save()
        publishing.edited(article, editor)
    entry.refresh_from_db()
    assert entry.status == S.ACCEPTED  # the correction took it down for a new sign-off
    with django_capture_on_commit_callbacks(execute=True):
        publishing.sign_off(article, chief)
        publishing.publish(article, chief)
    entry.refresh_from_db()
    assert entry.status == S.PUBLISHED
    assert [c.to_status for c in entry.history.order_by("pk")][-3:] == [S.PUBLISHED, S.ACCEPTED, S.PUBLISHED]
    to_submitter = OutboxMessage.objects.filter(to=entry.contact_email)
    assert to_submitter.filter(event="accepted").count() == 1
    assert to_submitter.filter(event="published").count() == 1
    subjects = [m.subject for m in mailoutbox if m.to == [entry.contact_email]]
    assert sum("您的报送已被采用" in s for s in subjects) == 1
    assert sum("巡展文章已发表" in s for s in subjects) == 1
