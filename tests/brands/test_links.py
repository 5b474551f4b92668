"""The ways to the brand's page: from every article of it, from the tracking page and the admin page of
the organization's entries of later years, from the index (paginated, searched, hostile parameters
never a 500) and from the sitemap."""

import re

import pytest
from django.urls import reverse

from submissions.models import Brand, Status
from submissions.workflow import roles
from tests.brands.helpers import BRAND, ORG, article_of, campaign_of, later_entry
from tests.factories import make_user, submission_in

pytestmark = pytest.mark.django_db


def brand_href(brand):
    return reverse("brands:detail", args=[brand.slug])


def test_the_article_links_to_its_brand(client):
    article = article_of(campaign_of(2024))
    html = client.get(article.get_absolute_url()).content.decode()
    link = f"/brands/of/{article.slug}/"
    assert f'href="{link}"' in html and ">品牌档案</a>" in html
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == brand_href(Brand.objects.get())


def test_the_article_s_link_of_an_article_taken_down_or_unknown_is_a_404(client):
    article = article_of(campaign_of(2024))
    from submissions.newsroom import publishing

    publishing.unpublish(article, article.signed_off_by, "核实中")
    assert client.get(f"/brands/of/{article.slug}/").status_code == 404
    assert client.get("/brands/of/no-such-article/").status_code == 404
    assert client.get("/brands/of/" + "a" * 500 + "/").status_code == 404


def test_the_tracking_page_of_a_later_entry_links_to_the_brand_and_another_s_does_not(client):
    article_of(campaign_of(2024))
    brand = Brand.objects.get()
    later = later_entry()
    html = client.get(reverse("track:detail", args=[later.tracking_token])).content.decode()
    assert f'href="{brand_href(brand)}"' in html and "该品牌档案" in html
    other = submission_in(Status.SUBMITTED, org_name=ORG, brand_name="别的品牌")
    html = client.get(reverse("track:detail", args=[other.tracking_token])).content.decode()
    assert "该品牌档案" not in html and brand.slug not in html


def test_the_admin_page_of_a_later_entry_links_to_the_brand(client):
    article_of(campaign_of(2024))
    brand = Brand.objects.get()
    later = later_entry()
    client.force_login(make_user(roles.EDITOR, username="brand-editor"))
    response = client.get(reverse("admin:submissions_submission_change", args=[later.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{brand_href(brand)}"' in html and "该品牌档案" in html


def test_the_index_lists_brands_newest_publication_first_and_pages(client, monkeypatch):
    from submissions.brands import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    made = [article_of(campaign_of(2020 + n), brand_name=f"品牌{n}") for n in range(5)]
    article_of(campaign_of(2030, slug="never-live"), state="signed_off", brand_name="未发布品牌")
    first = client.get("/brands/").content.decode()
    names = re.findall(r"品牌(\d)”", first)
    assert names == ["4", "3"]  # newest publication first
    assert "共 5 个品牌" in first and "未发布品牌" not in first
    third = client.get("/brands/?page=3").content.decode()
    assert re.findall(r"品牌(\d)”", third) == ["0"]
    assert 'href="/brands/?page=2"' in third
    found = client.get("/brands/", {"q": "  品牌2 "}).content.decode()
    assert re.findall(r"品牌(\d)”", found) == ["2"]
    assert len(made) == 5


@pytest.mark.parametrize(
    "query, location",
    [
        ("page=abc", "/brands/"),
        ("page=0", "/brands/"),
        ("page=-1", "/brands/"),
        ("page=1e3", "/brands/"),
        ("page=99999999999", "/brands/"),
        ("page=%EF%BC%92", "/brands/"),  # a full-width digit
        ("page=9", "/brands/"),  # past the last page: to the last
        ("q=%3Cscript%3E&page=x", "/brands/?q=%3Cscript%3E"),  # the words kept, the page dropped
        ("q=%00%00", None),  # NUL: refused as a bad request by the portal's middleware
    ],
)
def test_hostile_index_parameters_are_redirected_never_a_500(client, query, location):
    article_of(campaign_of(2024))
    response = client.get(f"/brands/?{query}")
    if location is None:
        assert response.status_code == 400
        return
    assert response.status_code == 302, response.status_code
    assert response["Location"] == location


def test_a_huge_search_is_cut_and_finds_nothing_without_error(client):
    article_of(campaign_of(2024))
    response = client.get("/brands/", {"q": "码" * 5000, "utm_source": "x" * 3000})
    assert response.status_code == 200
    assert "没有找到符合条件的品牌" in response.content.decode()
    assert client.get("/brands/", {"q": BRAND[:2]}).content.decode().count("data-brand=") == 1


def test_the_sitemap_lists_the_brand_pages(client):
    article_of(campaign_of(2024))
    brand = Brand.objects.get()
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-brands.xml" in index
    xml = client.get("/sitemap-brands.xml").content.decode()
    assert brand_href(brand) in xml
    assert "/brands/</loc>" in client.get("/sitemap-pages.xml").content.decode()


def test_an_entry_read_with_its_brand_slug_costs_the_link_no_query(django_assert_num_queries):
    from django.template import Context, Template

    from submissions.brands import selectors
    from submissions.models import Submission

    article_of(campaign_of(2024))
    later = later_entry()
    entry = selectors.with_brand_slug(Submission.objects.filter(pk=later.pk)).get()
    with django_assert_num_queries(0):
        html = Template("{% load brand_tags %}{% brand_link entry %}").render(Context({"entry": entry}))
    assert brand_href(Brand.objects.get()) in html
