"""The sitemap index and its paginated sitemaps, from the page cache (issue 17, item 1)."""

import pytest
from django.test import Client

from submissions.column.views.sitemaps import ArticleSitemap
from submissions.platform import pagecache
from tests.factories import published_showcase

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_page_and_each_page_is_cached(monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [published_showcase() for _ in range(5)]
    index = Client().get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    xml = index.content.decode()
    for loc in ("/sitemap-articles.xml<", "/sitemap-articles.xml?p=2<", "/sitemap-articles.xml?p=3<", "/sitemap-pages.xml<"):
        assert loc in xml, loc
    assert "?p=4" not in xml
    pages = [Client().get("/sitemap-articles.xml", {"p": page}).content.decode() for page in (1, 2, 3)]
    for article in articles:  # each article on exactly one page
        assert sum(article.get_absolute_url() in page for page in pages) == 1
    with django_assert_max_num_queries(2):  # the shared cache's one read each
        assert Client().get("/sitemap-articles.xml", {"p": 2}).content.decode() == pages[1]
        assert Client().get("/sitemap.xml").content == index.content
    for bad in ({"p": "4"}, {"p": "x"}, {"p": "1234567"}):
        assert Client().get("/sitemap-articles.xml", bad).status_code == 404
    assert Client().get("/sitemap-nothing.xml").status_code == 404


def test_a_new_article_reaches_the_sitemap():
    published_showcase()
    Client().get("/sitemap-articles.xml")
    later = published_showcase()  # published through the workflow: the version moves
    pagecache.local_pages.forget()
    assert later.get_absolute_url() in Client().get("/sitemap-articles.xml").content.decode()
