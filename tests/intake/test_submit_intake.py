"""E-mail intake: an editor enters an entry on an organization's behalf, with the public form's checks."""

import pytest
from django.urls import reverse

from submissions.models import OutboxMessage, Photo, Region, Status, Submission
from submissions.workflow import roles
from tests.factories import CampaignFactory, make_user
from tests.submit_data import entry_data

pytestmark = pytest.mark.django_db
URL = "/admin/intake/"


def intake_data(**overrides):
    data = entry_data(Region.objects.get(code="jinan"), **overrides)
    for name in ("started", "website"):
        data.pop(name)
    return data


def test_the_page_lives_at_admin_intake():
    assert reverse("admin:intake") == URL


def test_only_editors_and_chief_editors_reach_it(client):
    CampaignFactory()
    assert client.get(URL).status_code == 302 and "/admin/login/" in client.get(URL).url
    client.force_login(make_user(roles.REVIEWER, username="rev"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, intake_data()).status_code == 403
    client.force_login(make_user(None, username="plain", is_staff=True))
    assert client.get(URL).status_code == 403
    for role in (roles.EDITOR, roles.CHIEF):
        client.force_login(make_user(role, username=f"u-{role}"))
        page = client.get(URL)
        assert page.status_code == 200
        assert "编辑部后台" in page.content.decode() and 'id="id_org_name"' in page.content.decode()
    assert Submission.objects.count() == 0


def test_an_editor_enters_an_entry_on_the_organizations_behalf(client, editor, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}?campaign={campaign.pk}", intake_data(photos=2))
    entry = Submission.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:submissions_submission_change", args=[entry.pk])
    assert entry.via_email and entry.entered_by == editor and entry.campaign == campaign
    assert entry.status == Status.SUBMITTED and entry.reference
    step = entry.history.get()
    assert (step.actor, step.actor_role, step.via) == (editor, roles.EDITOR, "email")
    assert entry.photos.count() == 2
    assert OutboxMessage.objects.filter(submission=entry, event="received", to="zhangsan@example.com").exists()


def test_the_same_checks_apply_and_photos_are_kept(client, editor):
    CampaignFactory()
    client.force_login(editor)
    response = client.post(URL, intake_data(photos=1, contact_phone="12345", brand_name=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "contact_phone" in errors and "brand_name" in errors
    staged = Photo.objects.get(submission__isnull=True)
    assert staged.upload_key in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_closed_campaign_can_still_take_a_mailed_entry(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    closed = CampaignFactory(
        slug="closed", opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(editor)
    assert client.post(f"{URL}?campaign={closed.pk}", intake_data()).status_code == 302
    assert Submission.objects.get().campaign == closed


def test_duplicate_brand_is_refused_in_intake_too(client, editor):
    campaign = CampaignFactory()
    client.force_login(editor)
    client.post(f"{URL}?campaign={campaign.pk}", intake_data())
    response = client.post(f"{URL}?campaign={campaign.pk}", intake_data())
    assert response.status_code == 200 and "brand_name" in response.context["form"].errors
    assert Submission.objects.count() == 1


def test_query_count_of_the_intake_page(client, editor, django_assert_max_num_queries):
    CampaignFactory()
    client.force_login(editor)
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
