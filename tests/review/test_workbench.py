"""The entry's page as the workbench: the primary step with its round's reviewers ticked, return and
decline apart, assigning and unassigning in the entry's own round, progress, and who is told."""

import re

import pytest
from django.urls import reverse

from submissions.models import OutboxMessage, ReviewAssignment, ReviewerProfile, Stage, Status
from submissions.review import scoring as reviews
from tests.factories import assign, make_user, submission_in

S = Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page_of(client, entry):
    response = client.get(reverse("admin:submissions_submission_change", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def ticked(html):
    return set(re.findall(r'name="reviewers" value="(\d+)" checked', html))


@pytest.fixture
def experts(db):
    return [make_user("reviewer", username=f"wb{i}", first_name=f"专家{i}") for i in range(3)]


@pytest.mark.django_db
def test_submitted_entry_offers_first_review_with_two_least_busy_reviewers_ticked(client, editor, experts):
    busy = submission_in(S.FIRST_REVIEW)
    assign(busy, experts[0])
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    html = page_of(client, entry)
    assert 'class="button default wb-primary-button" name="move" value="first_review"' in html
    assert ticked(html) == {str(experts[1].pk), str(experts[2].pk)}  # 专家0 already has one to score
    assert "wb-warning" in html and "wb-danger" in html  # return and decline, colour-coded, apart
    assert html.count('<details class="wb-message') == 2


@pytest.mark.django_db
def test_primary_step_moves_and_assigns_in_one_press(client, editor, experts, django_capture_on_commit_callbacks):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    url = reverse("admin:submissions_submission_transition", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "to": S.FIRST_REVIEW,
                "move": S.FIRST_REVIEW,
                "from_status": S.SUBMITTED,
                "reviewers": [experts[0].pk, experts[1].pk],
            },
        )
    entry.refresh_from_db()
    assert entry.status == S.FIRST_REVIEW
    assert set(ReviewAssignment.objects.filter(submission=entry).values_list("reviewer__username", "stage")) == {
        ("wb0", Stage.FIRST),
        ("wb1", Stage.FIRST),
    }
    assert sorted(OutboxMessage.objects.filter(event="assigned").values_list("to", flat=True)) == [
        "wb0@example.com",
        "wb1@example.com",
    ]
    for mail in OutboxMessage.objects.filter(event="assigned"):
        assert "请您评审 1 件作品" in mail.subject and f"初审 · {entry.reference} {entry.brand_display}：http" in mail.body


@pytest.mark.django_db
def test_an_entry_in_second_review_is_assigned_for_second_review(client, editor, experts):
    entry = submission_in(S.SECOND_REVIEW)
    client.force_login(editor)
    html = page_of(client, entry)
    assert "复审评审专家" in html and "分派（复审）" in html and "分派（初审）" not in html
    client.post(reverse("admin:submissions_submission_assign", args=[entry.pk]), {"reviewers": [experts[2].pk]})
    assert list(ReviewAssignment.objects.values_list("stage", flat=True)) == [Stage.SECOND]


@pytest.mark.django_db
def test_progress_and_unassign(client, editor, experts):
    entry = submission_in(S.FIRST_REVIEW)
    done, waiting = assign(entry, experts[0]), assign(entry, experts[1])
    reviews.save_review(entry, experts[0], Stage.FIRST, {c: 8 for c in entry.campaign.criteria.all()})
    client.force_login(editor)
    html = page_of(client, entry)
    assert "初审评分 1/2 已提交" in html
    assert reverse("admin:submissions_submission_unassign", args=[entry.pk, waiting.pk]) in html
    assert reverse("admin:submissions_submission_unassign", args=[entry.pk, done.pk]) not in html
    client.post(reverse("admin:submissions_submission_unassign", args=[entry.pk, done.pk]))
    client.post(reverse("admin:submissions_submission_unassign", args=[entry.pk, waiting.pk]))
    assert list(ReviewAssignment.objects.values_list("reviewer__username", flat=True)) == ["wb0"]  # scored: kept


@pytest.mark.django_db
def test_a_declared_conflict_cannot_be_ticked(client, editor, experts):
    entry = submission_in(S.SUBMITTED, org_parent="利害党委")
    ReviewerProfile.objects.create(reviewer=experts[0], affiliations="利害党委")
    client.force_login(editor)
    html = page_of(client, entry)
    assert f'value="{experts[0].pk}" disabled' in html and "（需回避）" in html
    assert str(experts[0].pk) not in ticked(html)


@pytest.mark.django_db
def test_editor_is_told_when_the_rounds_reviews_are_all_in(editor, experts, django_capture_on_commit_callbacks):
    entry = submission_in(S.FIRST_REVIEW)
    for expert in experts[:2]:
        ReviewAssignment.objects.create(submission=entry, reviewer=expert, stage=Stage.FIRST, assigned_by=editor)
    marks = {c: 7 for c in entry.campaign.criteria.all()}
    with django_capture_on_commit_callbacks(execute=True):
        reviews.save_review(entry, experts[0], Stage.FIRST, marks)
        assert not OutboxMessage.objects.filter(event="reviews_complete").exists()
        reviews.save_review(entry, experts[1], Stage.FIRST, marks)
        reviews.save_review(entry, experts[1], Stage.FIRST, marks)  # a correction: not told twice
    mails = OutboxMessage.objects.filter(event="reviews_complete")
    assert list(mails.values_list("to", flat=True)) == ["editor@example.com"]
    assert "初审" in mails.get().subject
    assert f"{entry.reference} {entry.org_name}{entry.brand_display}的初审评分已全部提交（2 位专家" in mails.get().body


@pytest.mark.django_db
def test_only_editors_assign(client, reviewer, chief, experts):
    entry = submission_in(S.FIRST_REVIEW)
    url = reverse("admin:submissions_submission_assign", args=[entry.pk])
    assert client.post(url, {"reviewers": [experts[0].pk]}).status_code == 302  # anonymous: to the login
    client.force_login(reviewer)
    assert client.post(url, {"reviewers": [experts[0].pk]}).status_code == 403
    assert not ReviewAssignment.objects.exists()
    client.force_login(chief)
    client.post(url, {"reviewers": [experts[0].pk]})
    assert ReviewAssignment.objects.count() == 1


@pytest.mark.django_db
def test_the_workbench_page_costs_a_bounded_number_of_queries(client, editor, experts, django_assert_max_num_queries):
    entry = submission_in(S.FIRST_REVIEW)
    for expert in experts:
        assign(entry, expert)
    client.force_login(editor)
    page_of(client, entry)
    with django_assert_max_num_queries(32):
        page_of(client, entry)


@pytest.mark.django_db
def test_in_first_review_more_first_round_reviewers_can_be_added(client, editor, experts):
    entry = submission_in(S.FIRST_REVIEW)
    assign(entry, experts[0])
    client.force_login(editor)
    html = page_of(client, entry)
    assert "分派（初审）" in html and "再分派初审评审专家" in html  # folded: the primary step offers 复审's
    assert 'value="second_review"' in html
    client.post(reverse("admin:submissions_submission_assign", args=[entry.pk]), {"reviewers": [experts[1].pk]})
    assert sorted(ReviewAssignment.objects.values_list("reviewer__username", "stage")) == [
        ("wb0", Stage.FIRST),
        ("wb1", Stage.FIRST),
    ]
