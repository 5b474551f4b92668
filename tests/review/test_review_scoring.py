"""Scoring rounds: weighted averages, one review per reviewer per round, reviewers' isolation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from submissions.models import Review, Stage, Status, Submission
from submissions.review import scoring as reviews
from tests.factories import assign, make_user, submission_in

S = Status
LIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def score_url(entry, stage=Stage.FIRST):
    return reverse("admin:submissions_submission_score", args=[entry.pk, stage])


def score_data(entry, values, comment="评语"):
    data = {f"c{c.pk}": values[c.name] for c in entry.campaign.criteria.all()}
    return {**data, "comment": comment}


FULL = {"创新性": 10, "实效性": 10, "示范性": 10, "可推广性": 10}


@pytest.mark.django_db
def test_weighted_total_is_normalised_to_100():
    entry = submission_in(S.FIRST_REVIEW)
    criteria = {c.name: c for c in entry.campaign.criteria.all()}  # weights 2.5, 3, 2.5, 2; max 10
    scores = {"创新性": 10, "实效性": 5, "示范性": 0, "可推广性": 10}
    total = reviews.weighted_total([(criteria[n], s) for n, s in scores.items()])
    assert total == Decimal("60.00")  # (2.5·1 + 3·0.5 + 2.5·0 + 2·1) / 10 × 100


@pytest.mark.django_db
def test_saving_reviews_keeps_the_entry_score_and_count(reviewer):
    entry = submission_in(S.FIRST_REVIEW)
    criteria = {c.name: c for c in entry.campaign.criteria.all()}
    other = make_user("reviewer", username="r2")
    reviews.save_review(entry, reviewer, Stage.FIRST, {c: 10 for c in criteria.values()})
    reviews.save_review(entry, other, Stage.FIRST, {c: 5 for c in criteria.values()})
    entry.refresh_from_db()
    assert (entry.score, entry.review_count) == (Decimal("75.00"), 2)
    reviews.save_review(entry, other, Stage.FIRST, {c: 10 for c in criteria.values()}, "改分")  # replaces, not adds
    entry.refresh_from_db()
    assert (entry.score, entry.review_count) == (Decimal("100.00"), 2)
    assert Review.objects.filter(submission=entry, reviewer=other).count() == 1


@pytest.mark.django_db
def test_reviewer_scores_an_assigned_entry_and_goes_to_the_next(client, reviewer):
    first, second = submission_in(S.FIRST_REVIEW), submission_in(S.FIRST_REVIEW)
    assign(first, reviewer)
    assign(second, reviewer)
    client.force_login(reviewer)
    response = client.get(score_url(first))
    assert response.status_code == 200
    html = response.content.decode()
    assert "创新性" in html and "可推广性" in html and first.introduction in html
    response = client.post(score_url(first), {**score_data(first, FULL), "save_next": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:submissions_submission_next_unscored")
    response = client.get(response["Location"])
    assert response["Location"] == score_url(second)
    first.refresh_from_db()
    assert (first.score, first.review_count) == (Decimal("100.00"), 1)
    review = Review.objects.get(submission=first, reviewer=reviewer, stage=Stage.FIRST)
    assert review.comment == "评语" and review.scores.count() == 4


@pytest.mark.django_db
def test_scores_out_of_range_are_refused_next_to_the_field(client, reviewer):
    entry = submission_in(S.FIRST_REVIEW)
    assign(entry, reviewer)
    client.force_login(reviewer)
    response = client.post(score_url(entry), score_data(entry, {**FULL, "创新性": 11, "实效性": ""}, comment="保留的评语"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "分数不能超过满分 10" in html and "请为此项打分" in html
    assert "保留的评语" in html
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_reviewer_sees_only_assigned_entries(client, reviewer, django_assert_max_num_queries):
    mine = submission_in(S.FIRST_REVIEW, brand_name="我的作品")
    theirs = submission_in(S.FIRST_REVIEW, brand_name="别人的作品")
    assign(mine, reviewer)
    assign(theirs, make_user("reviewer", username="r2"))
    client.force_login(reviewer)
    client.get(LIST)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert [e.pk for e in response.context["cl"].result_list] == [mine.pk]
    assert "别人的作品" not in response.content.decode()
    change = reverse("admin:submissions_submission_change", args=[theirs.pk])
    assert client.get(change).status_code == 404
    assert client.get(score_url(theirs)).status_code == 404
    assert client.post(score_url(theirs), score_data(theirs, FULL)).status_code == 404
    assert client.get(score_url(mine, Stage.SECOND)).status_code == 403  # not assigned in that round
    assert not Review.objects.exists()
    mine_change = client.get(reverse("admin:submissions_submission_change", args=[mine.pk]))
    assert mine_change.status_code == 302 and mine_change["Location"] == score_url(mine)


@pytest.mark.django_db
def test_other_reviewers_scores_are_hidden_until_one_has_sent_ones_own(client, reviewer):
    entry = submission_in(S.FIRST_REVIEW)
    other = make_user("reviewer", username="r2")
    assign(entry, reviewer)
    assign(entry, other)
    criteria = list(entry.campaign.criteria.all())
    reviews.save_review(entry, other, Stage.FIRST, {c: 3 for c in criteria}, "别人的评语")
    client.force_login(reviewer)
    html = client.get(score_url(entry)).content.decode()
    assert "别人的评语" not in html and "30.00" not in html
    listing = client.get(LIST).content.decode()
    assert "30.00" not in listing and "评分后可见" in listing
    client.post(score_url(entry), score_data(entry, FULL))
    html = client.get(score_url(entry)).content.decode()
    assert "别人的评语" in html and "30.00" in html


@pytest.mark.django_db
def test_reviewer_list_ranks_by_their_weighted_score(client, reviewer):
    entries = [submission_in(S.FIRST_REVIEW) for _ in range(3)]
    for entry in entries:
        assign(entry, reviewer)
    criteria = list(entries[0].campaign.criteria.all())
    reviews.save_review(entries[0], reviewer, Stage.FIRST, {c: 5 for c in criteria})
    reviews.save_review(entries[1], reviewer, Stage.FIRST, {c: 9 for c in criteria})
    client.force_login(reviewer)
    ranked = [e.pk for e in client.get(LIST).context["cl"].result_list]
    scored = [pk for pk in ranked if pk != entries[2].pk]
    assert scored == [entries[1].pk, entries[0].pk]


@pytest.mark.django_db
def test_next_unscored_when_all_are_scored(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("admin:submissions_submission_next_unscored"), follow=True)
    assert "都已评分" in response.content.decode()


@pytest.mark.django_db
def test_reviews_admin_shows_a_reviewer_only_their_own(client, reviewer):
    entry = submission_in(S.FIRST_REVIEW)
    other = make_user("reviewer", username="r2")
    criteria = list(entry.campaign.criteria.all())
    reviews.save_review(entry, other, Stage.FIRST, {c: 3 for c in criteria})
    client.force_login(reviewer)
    response = client.get(reverse("admin:submissions_review_changelist"))
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []
    assert Submission.objects.get(pk=entry.pk).review_count == 1


@pytest.mark.django_db
def test_scoring_is_closed_once_the_entry_is_decided(client, reviewer, editor):
    from submissions import workflow

    entry = submission_in(S.FIRST_REVIEW)
    assign(entry, reviewer)
    workflow.transition(entry, S.DECLINED, actor=editor, message="主题不符")
    client.force_login(reviewer)
    response = client.post(score_url(entry), score_data(entry, FULL))
    assert response.status_code == 200 and "评分已结束" in response.content.decode()
    assert not Review.objects.exists()
