"""The brand pages are valid HTML (the Nu HTML checker, as tests/project/test_html_valid.py runs it)."""

import pytest
from django.urls import reverse

from submissions.models import Brand, ShowcaseViews
from tests.brands.helpers import article_of, campaign_of, later_entry
from tests.project.test_html_valid import nu_messages

pytestmark = pytest.mark.django_db


def test_the_brand_pages_and_the_links_to_them_have_no_html_errors(client, tmp_path):
    article = article_of(campaign_of(2024), brand_slogan="码头就是阵地")
    ShowcaseViews.objects.create(showcase=article, count=7)
    later = later_entry()
    brand = Brand.objects.get()
    pages = {}
    for name, url in {
        "brand page": brand.get_absolute_url(),
        "index": reverse("brands:index"),
        "index searched": reverse("brands:index") + "?q=没有",
        "article": article.get_absolute_url(),
        "tracking page": reverse("track:detail", args=[later.tracking_token]),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content
    assert nu_messages(pages, tmp_path) == []
