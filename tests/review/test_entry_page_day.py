"""The editors' day on the entry's page and list (issue 29, item 5): a warning when moving on with
scores missing, the entry read once (its edit form folded), 是/否 in words, and Django's literal
phrases ("选择 报送作品 来修改", "修改 报送作品", "以 状态", "无可选的") written as natural Chinese."""

import re

import pytest
from django.urls import reverse

from submissions import workflow
from submissions.models import Stage, Status
from tests.factories import assign, make_user, review, submission_in
from tests.review.test_admin_entries import edit_data

S = Status
LIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def change_url(entry):
    return reverse("admin:submissions_submission_change", args=[entry.pk])


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_moving_on_with_scores_missing_is_warned_beside_the_step(client, editor):
    expert = make_user("reviewer", username="day-expert")
    entry = submission_in(S.FIRST_REVIEW)
    assign(entry, expert, Stage.FIRST)
    client.force_login(editor)
    html = page(client, change_url(entry))
    assert 'class="wb-missing"' in html and "初审 0 / 1 份评分已交" in text(html)
    assert 'aria-describedby="wb-missing"' in html  # the primary step names the warning
    review(entry, expert, Stage.FIRST)
    html = page(client, change_url(entry))
    assert 'class="wb-missing"' not in html and "评分未齐" not in html


@pytest.mark.django_db
def test_a_round_without_reviewers_is_warned_too_but_not_an_entry_before_review(client, editor):
    waiting = submission_in(S.SUBMITTED)
    client.force_login(editor)
    assert "评分未齐" not in page(client, change_url(waiting))  # its step opens the round
    entry = submission_in(S.FIRST_REVIEW)
    html = page(client, change_url(entry))
    assert "初审 0 / 0 份评分已交" in text(html) and "本轮尚未分派评审专家" in html


@pytest.mark.django_db
def test_the_entry_is_read_once_its_edit_form_folded(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    html = page(client, change_url(entry))
    assert html.count('class="entry-preview"') == 1
    fold = re.search(r'<details class="entry-panel entry-edit" id="entry-edit"([^>]*)>', html)
    assert fold and "open" not in fold.group(1)
    assert html.index('id="entry-edit"') < html.index('id="submission_form"')  # the form is inside the fold


@pytest.mark.django_db
def test_the_edit_form_opens_by_itself_on_an_error(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    opened = client.get(change_url(entry))
    workflow.transition(entry, S.FIRST_REVIEW, actor=editor)
    response = client.post(change_url(entry), edit_data(opened, brand_slogan="旧页面的修改"))
    html = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in html
    assert re.search(r'<details class="entry-panel entry-edit" id="entry-edit" open>', html)


@pytest.mark.django_db
def test_by_email_is_said_in_words(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    html = page(client, change_url(entry))
    field = html[html.index("field-via_email_text") :][:600]
    assert "否" in field and "icon-no" not in field and "icon-yes" not in field


@pytest.mark.django_db
def test_django_literal_phrases_read_as_natural_chinese(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    listing = page(client, LIST)
    assert "<h1>报送作品</h1>" in listing and "<title>报送作品 |" in listing
    assert "来修改" not in listing and "来查看" not in listing
    assert "按状态" in text(listing) and "以 状态" not in listing  # the filters' headings
    assert "共 1 条" in text(listing)
    change = page(client, change_url(entry))
    assert "<h1>修改报送作品</h1>" in change and "修改 报送作品" not in change
    index = page(client, reverse("admin:index"))
    assert "无可选的" not in index and "最近操作" in index
    articles = page(client, reverse("admin:submissions_showcase_changelist"))
    assert "<h1>巡展文章</h1>" in articles and "来修改" not in articles
    add = page(client, reverse("admin:submissions_campaign_add"))
    assert "<h1>新增征集活动</h1>" in add
