"""Reviewers see the practice, not the people: no contact name, mobile or e-mail on any page a
reviewer can reach; under blind review no organization (nor parent) until scoring closes."""

import pytest
from django.urls import reverse

from submissions.models import Campaign, Stage, Status
from tests.factories import assign, review, submission_in

S = Status
CONTACT = ("联系人王五", "13912345678", "secret-contact@example.com")
ORG, PARENT = "保密示范公司收费站党支部", "保密示范集团党委"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def entry_for(reviewer, *, blind=False, status=S.FIRST_REVIEW):
    entry = submission_in(
        status,
        org_name=ORG,
        org_parent=PARENT,
        contact_name=CONTACT[0],
        contact_phone=CONTACT[1],
        contact_email=CONTACT[2],
    )
    Campaign.objects.filter(pk=entry.campaign_id).update(blind_review=blind)
    assign(entry, reviewer, Stage.FIRST)
    return entry


def reviewer_pages(client, entry):
    """Every admin page a reviewer reaches for this entry, as text."""
    score = reverse("admin:submissions_submission_score", args=[entry.pk, Stage.FIRST])
    pages = {
        "score": client.get(score),
        "list": client.get(reverse("admin:submissions_submission_changelist")),
        "index": client.get(reverse("admin:index")),
        "reviews": client.get(reverse("admin:submissions_review_changelist")),
    }
    for mine in entry.reviews.all():
        pages["review"] = client.get(reverse("admin:submissions_review_change", args=[mine.pk]))
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


@pytest.mark.django_db
def test_no_contact_details_on_any_reviewer_page(client, reviewer):
    entry = entry_for(reviewer)
    review(entry, reviewer)
    client.force_login(reviewer)
    for name, html in reviewer_pages(client, entry).items():
        for secret in CONTACT:
            assert secret not in html, (name, secret)
    assert ORG in reviewer_pages(client, entry)["score"]  # not blind: the organization is shown


@pytest.mark.django_db
def test_reviewer_cannot_find_an_entry_by_its_contact(client, reviewer):
    entry = entry_for(reviewer)
    client.force_login(reviewer)
    listing = reverse("admin:submissions_submission_changelist")
    assert entry.reference in client.get(listing, {"q": entry.reference}).content.decode()
    for term in CONTACT:
        assert entry.reference not in client.get(listing, {"q": term}).content.decode(), term


@pytest.mark.django_db
def test_editor_still_sees_the_contact(client, editor):
    entry = submission_in(S.FIRST_REVIEW, contact_name=CONTACT[0], contact_phone=CONTACT[1])
    client.force_login(editor)
    html = client.get(reverse("admin:submissions_submission_change", args=[entry.pk])).content.decode()
    assert CONTACT[0] in html and CONTACT[1] in html


@pytest.mark.django_db
def test_blind_review_hides_the_organization_until_scoring_closes(client, reviewer, editor):
    entry = entry_for(reviewer, blind=True)
    review(entry, reviewer)
    client.force_login(reviewer)
    for name, html in reviewer_pages(client, entry).items():
        assert ORG not in html, name
        assert PARENT not in html, name
    assert entry.brand_name in reviewer_pages(client, entry)["score"]
    client.force_login(editor)
    editor_html = client.get(reverse("admin:submissions_submission_change", args=[entry.pk])).content.decode()
    assert ORG in editor_html  # editors always see who sent it
    from submissions import workflow

    workflow.transition(entry, S.DECLINED, actor=editor, message="本次未采用")
    client.force_login(reviewer)
    assert ORG in reviewer_pages(client, entry)["score"]  # scoring closed: no longer blind


@pytest.mark.django_db
def test_reviewer_pages_cost_a_bounded_number_of_queries(client, reviewer, django_assert_max_num_queries):
    entry = entry_for(reviewer, blind=True)
    client.force_login(reviewer)
    client.get(reverse("admin:submissions_submission_changelist"))
    with django_assert_max_num_queries(20):
        client.get(reverse("admin:submissions_submission_changelist"))
    with django_assert_max_num_queries(25):
        client.get(reverse("admin:submissions_submission_score", args=[entry.pk, Stage.FIRST]))
