"""The demo data (`make run` seeds it): its published articles get their brands through the workflow's
effect, and each brand's page shows."""

import io

import pytest
from django.core.management import call_command

from submissions.models import Brand, Showcase

pytestmark = pytest.mark.django_db


def test_the_seed_s_published_articles_have_their_brand_pages(client, settings, monkeypatch):
    settings.TASKS_EAGER = False  # as `make run` seeds: the jobs wait for the worker
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo", stdout=io.StringIO())
    live = list(Showcase.objects.live().exclude(submission=None).select_related("submission"))
    assert live, "the seed publishes articles"
    keys = {article.submission.dedupe_key for article in live}
    assert set(Brand.objects.values_list("key", flat=True)) == keys
    for brand in Brand.objects.all():
        response = client.get(brand.get_absolute_url())
        assert response.status_code == 200
        assert brand.org_name in response.content.decode()
