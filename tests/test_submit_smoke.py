import pytest
from django.urls import reverse

from submissions.models import Region, Status, Submission
from tests.factories import CampaignFactory
from tests.submit_data import entry_data


@pytest.mark.django_db
def test_smoke(client, settings):
    settings.FORM_MIN_SECONDS = 0
    campaign = CampaignFactory()
    region = Region.objects.get(code="jinan")
    url = reverse("calls:submit", args=[campaign.slug])
    r = client.get(url)
    assert r.status_code == 200
    r = client.post(url, entry_data(region))
    if r.status_code == 200:
        print(
            r.context["bundle"].form.errors,
            r.context["bundle"].sections.errors,
            r.context["bundle"].photos.errors,
            r.context["bundle"].photos.non_form_errors(),
        )
    assert r.status_code == 302, r.content.decode()[:3000]
    s = Submission.objects.get()
    assert s.status == Status.SUBMITTED
    assert s.photos.count() == 1
    r = client.get(r.url)
    assert r.status_code == 200
