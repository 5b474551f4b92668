"""Every public page from the page cache (issue 17, item 3): home, call page and 404 like the
column; a change re-renders each page once while other readers get the page before for that
moment; a page that shows whether a call is open is good only until it opens or closes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from submissions.models import Showcase
from submissions.newsroom import publishing
from submissions.platform import pagecache
from tests.factories import CampaignFactory, publish_again, published_showcase

pytestmark = pytest.mark.django_db


def _stored():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM portal_cache")
        return {row[0] for row in cursor.fetchall()}


def test_home_call_page_and_404_come_from_the_page_cache(django_assert_max_num_queries):
    campaign = CampaignFactory()
    published_showcase(lead="导语")
    for url, status in (("/", 200), (reverse("calls:detail", args=[campaign.slug]), 200), ("/no-such-page/", 404)):
        first = Client().get(url)
        assert first.status_code == status
        pagecache.local_pages.forget()  # another process: one read of the shared cache, no query of its own
        with django_assert_max_num_queries(1):
            again = Client().get(url)
        assert (again.status_code, again.content) == (status, first.content), url


def test_a_missing_address_asked_again_is_answered_before_url_resolution(settings, monkeypatch):
    """The 404 page for an address this process answered lately comes from its copy, as a kept
    page does: no URL resolution, no view (a broken link followed again and again)."""
    from django.core.handlers.base import BaseHandler

    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    first = Client().get("/no-such-page/")
    assert first.status_code == 404

    def no_resolving(*args, **kwargs):
        raise AssertionError("resolved again")

    monkeypatch.setattr(BaseHandler, "resolve_request", no_resolving)
    again = Client().get("/no-such-page/")
    assert again.status_code == 404 and again.content == first.content
    with pytest.raises(AssertionError, match="resolved again"):
        Client().get("/another-missing-page/")  # not asked before: resolved (then the one 404 page)
    with pytest.raises(AssertionError, match="resolved again"):
        Client().get("/no-such-page/?t=a-token")  # a query string: the view may decide otherwise
    pagecache.bump()  # a change: every copy of this process goes
    with pytest.raises(AssertionError, match="resolved again"):
        Client().get("/no-such-page/")


def test_the_missing_addresses_kept_are_bounded_and_never_push_out_the_column(settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    article = published_showcase()
    Client().get(article.get_absolute_url())
    for number in range(256 + 50):  # MISSING_LIMIT
        assert Client().get(f"/x{number}/").status_code == 404
    assert len(pagecache.local_pages.missing) == 256
    assert pagecache.local_pages.get((article.get_absolute_url(), "", "zh-hans")) is not None


def test_random_paths_share_one_404_page_and_keep_the_column_in_memory(settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    article = published_showcase()
    Client().get(article.get_absolute_url())
    Client().get("/no-such-page/")
    before = _stored()
    for number in range(40):
        response = Client().get(f"/x{number}/?utm_source={number}")
        assert response.status_code == 404 and f"x{number}" not in response.content.decode()
        assert 'name="next" type="hidden" value="/"' in response.content.decode()
    assert _stored() == before  # not a page more
    with django_assert_max_num_queries(0):  # this process's one copy, whatever the path
        assert Client().get("/another-missing-page/").status_code == 404
    assert pagecache.local_pages.get((article.get_absolute_url(), "", "zh-hans")) is not None
    missing = Client().get("/showcase/no-such-article/")
    assert missing.status_code == 404


def test_a_call_page_is_rendered_again_once_the_call_opens_or_closes(monkeypatch, django_assert_max_num_queries):
    campaign = CampaignFactory()
    url = reverse("calls:detail", args=[campaign.slug])
    Client().get(url)
    pagecache.local_pages.forget()
    with django_assert_max_num_queries(1):
        Client().get(url)
    later = campaign.closes_at.timestamp() + 1
    monkeypatch.setattr(pagecache.time, "time", lambda: later)  # past the deadline: the kept page is stale
    pagecache.local_pages.forget()
    with django_assert_max_num_queries(20) as captured:
        Client().get(url)
    assert any("submissions_campaign" in q["sql"] for q in captured.captured_queries)  # rendered again


def _whole_key(article):
    return "showcase-versioned:" + pagecache._digest(("whole", "detail", "zh-hans", article.slug))


def test_after_a_change_one_process_renders_while_the_others_serve_the_page_before(editor, django_assert_max_num_queries):
    article = published_showcase(lead="旧导语")
    assert "旧导语" in Client().get(article.get_absolute_url()).content.decode()
    Showcase.objects.filter(pk=article.pk).update(lead="新导语")
    article.refresh_from_db()
    publishing.edited(article, editor)  # bumps the version; the edit takes it off the column for a new sign-off
    publish_again(article)  # signed off and published again (more bumps): the new text is the one to render
    # Another process has begun to render the new page: this one serves the page before, without a query.
    assert cache.add(f"{_whole_key(article)}:rendering:{pagecache.version()}", 1, 30)
    pagecache.local_pages.forget()
    with django_assert_max_num_queries(8) as captured:  # the database cache's own only
        stale = Client().get(article.get_absolute_url()).content.decode()
    assert "旧导语" in stale
    assert not [q for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert pagecache.local_pages.get((article.get_absolute_url(), "", "zh-hans")) is None  # the page before is not kept
    cache.delete(f"{_whole_key(article)}:rendering:{pagecache.version()}")  # that render failed or finished elsewhere
    assert "新导语" in Client().get(article.get_absolute_url()).content.decode()


def test_an_article_taken_down_is_not_served_from_the_page_before(chief):
    from submissions import workflow

    article = published_showcase()
    assert Client().get(article.get_absolute_url()).status_code == 200
    workflow.transition(article, Showcase.State.UNPUBLISHED, actor=chief, message="撤稿")
    pagecache.local_pages.forget()
    assert Client().get(article.get_absolute_url()).status_code == 404
    assert Client().get(article.get_absolute_url()).status_code == 404
    assert cache.get(_whole_key(article)) is None  # the page before is gone, not kept for others
