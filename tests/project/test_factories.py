"""The factories reach every state through the services, so that what a test builds is what the
portal itself would have stored: a review's total and the entry's score computed, a round
completed, an entry sent with its reference and its history as the public form leaves them."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from submissions.models import OutboxMessage, Review, Status, StatusChange, Submission
from tests.factories import Refused, SubmissionFactory, assign, make_user, review, submission_in


@pytest.mark.django_db
def test_a_reviewed_entry_carries_its_weighted_totals_and_its_score():
    entry = submission_in(Status.FIRST_REVIEW)
    first, second = make_user("reviewer", username="fa"), make_user("reviewer", username="fb")
    assign(entry, first)
    assign(entry, second)
    # Weights 2.5, 3, 2.5, 2 (sum 10), each score out of 10:
    # (2.5×9 + 3×8 + 2.5×7 + 2×10) / 10 ÷ 10 × 100 = 84.00
    review(entry, first, scores={"创新性": 9, "实效性": 8, "示范性": 7, "可推广性": 10})
    review(entry, second)  # 8 on every criterion: 80.00
    totals = dict(Review.objects.filter(submission=entry).values_list("reviewer__username", "total"))
    assert totals == {"fa": Decimal("84.00"), "fb": Decimal("80.00")}
    entry.refresh_from_db()
    assert (entry.score, entry.review_count) == (Decimal("82.00"), 2)
    # The round is complete: the editor who assigned it is told once.
    told = OutboxMessage.objects.filter(event="reviews_complete")
    assert list(told.values_list("to", flat=True)) == ["factory-editor@example.com"]


@pytest.mark.django_db
def test_the_factories_refuse_what_the_portal_refuses():
    reviewer = make_user("reviewer", username="fr")
    draft, accepted = SubmissionFactory(), submission_in(Status.FIRST_REVIEW)
    with pytest.raises(Refused):
        assign(draft, reviewer)  # a draft is given to nobody
    with pytest.raises(Refused):
        review(accepted, reviewer)  # not assigned
    assign(accepted, reviewer)
    Submission.objects.filter(pk=accepted.pk).update(status=Status.ACCEPTED)
    with pytest.raises(Refused):
        review(accepted, reviewer)  # decided: its scoring is closed


@pytest.mark.django_db
def test_a_sent_entry_has_its_reference_and_its_history_as_the_form_leaves_them():
    entry = SubmissionFactory(to=Status.SUBMITTED, sections=3)
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert re.fullmatch(rf"{timezone.now().year}-\d{{4}}", entry.reference)
    assert entry.submitted_at is not None
    assert [(s.order, s.heading) for s in entry.sections.order_by("order")] == [(1, "做法1"), (2, "做法2"), (3, "做法3")]
    assert [edit.history_type for edit in entry.edits.all()] == ["+"]  # stored once, then moved by the workflow
    moves = StatusChange.objects.filter(submission=entry)
    assert list(moves.values_list("from_status", "to_status", "actor", "actor_role", "via")) == [
        ("draft", "submitted", None, "submitter", "web")
    ]


@pytest.mark.django_db
def test_an_entry_in_review_was_sent_through_the_form_first():
    entry = submission_in(Status.FIRST_REVIEW)
    moves = StatusChange.objects.filter(submission=entry).order_by("pk")
    assert list(moves.values_list("to_status", "actor_role", "via")) == [
        ("submitted", "submitter", "web"),
        ("first_review", "editor", ""),
    ]
