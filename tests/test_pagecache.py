"""The whole-page cache of the public column: one render shared by every anonymous reader, with
each reader's own CSRF token and form stamp put in per request."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from submissions import abuse, pagecache, publishing
from submissions.models import Comment
from tests.factories import published_showcase

pytestmark = pytest.mark.django_db


def own_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"]]


def test_a_cached_article_page_carries_each_readers_own_token_and_stamp(settings, django_assert_max_num_queries):
    settings.FORM_MIN_SECONDS = 0
    article = published_showcase(lead="导语在此")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(article.get_absolute_url())  # renders and caches the page
    with django_assert_max_num_queries(4) as captured:  # the cache's reads only
        html = second.get(article.get_absolute_url()).content.decode()
    assert own_queries(captured) == []
    assert "导语在此" in html and "placeholder" not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) == 2 and second.cookies["csrftoken"].value
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert abs(signing.loads(started, salt=abuse._SALT) - time.time()) < 5  # shown now, not when cached
    other = first.get(article.get_absolute_url()).content.decode()
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', other)[0] != tokens[0]
    response = second.post(
        f"{article.get_absolute_url()}comment/",
        {"name": "读者", "body": "学习了", "started": started, "website": "", "csrfmiddlewaretoken": tokens[1]},
    )
    assert response.status_code == 302 and Comment.objects.get().body == "学习了"  # the token is the reader's own


def test_an_edit_refreshes_the_whole_page(client, editor):
    article = published_showcase(lead="旧导语")
    assert "旧导语" in client.get(article.get_absolute_url()).content.decode()
    article.lead = "新导语"
    article.save()
    publishing.edited(article, editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "新导语" in html and "旧导语" not in html


def test_a_reader_with_something_of_their_own_gets_a_page_of_their_own(client, rf):
    published_showcase()
    html = client.get("/showcase/?utm_source=wx").content.decode()
    assert 'value="/showcase/?utm_source=wx"' in html  # the language switch returns to the reader's own URL
    assert pagecache.shared(rf.get("/showcase/", {"page": "2"}), query=("page",))
    assert not pagecache.shared(rf.get("/showcase/", {"utm_source": "wx"}), query=("page",))
    with_message = rf.get("/showcase/")
    with_message.COOKIES["messages"] = "x"
    assert not pagecache.shared(with_message)
    with_session = rf.get("/showcase/")
    with_session.COOKIES["sessionid"] = "x"
    assert not pagecache.shared(with_session)


def test_the_redis_cache_keeps_one_client_per_pool():
    """portal.cache: Django's Redis backend made a client per call; ours reuses it, and still works."""
    import uuid

    from portal.cache import ReusingRedisCache
    from tests.test_multiprocess import REDIS_URL

    shared = ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": f"t-{uuid.uuid4().hex[:8]}"})
    assert shared._cache.get_client() is shared._cache.get_client(write=True)
    shared.set("page", ("v1", "<p>页</p>"), 30)
    assert shared.get_many(["page", "missing"]) == {"page": ("v1", "<p>页</p>")}
    shared.delete("page")
