"""The whole-page cache of the public column: one render shared by every anonymous reader,
kept in each process's memory between checks of the shared version; each reader's own CSRF
token and form stamp come from /form-token/ when they start to write a comment."""

import gzip
import re
import time
import types

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from submissions.models import Comment, Showcase
from submissions.newsroom import publishing
from submissions.platform import abuse, pagecache
from tests.factories import publish_again, published_showcase

pytestmark = pytest.mark.django_db
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def own_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"]]


def cache_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "portal_cache" in q["sql"]]


def test_every_anonymous_reader_gets_the_same_page_and_no_cookie(django_assert_max_num_queries):
    article = published_showcase(lead="导语在此")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get(article.get_absolute_url())  # renders and caches the page
    with django_assert_max_num_queries(4) as captured:
        again = second.get(article.get_absolute_url())
    assert own_queries(captured) == []
    assert again.content == page.content and "导语在此" in again.content.decode()
    assert "Set-Cookie" not in again.headers and not second.cookies  # nothing of any one reader's
    html = again.content.decode()
    assert not TOKEN_INPUT.search(html) and 'data-form-token="/form-token/"' in html
    for path in ("/showcase/", "/showcase/?page=1"):
        listed = Client().get(path)
        assert (
            listed.status_code == 200 and "Set-Cookie" not in listed.headers and not TOKEN_INPUT.search(listed.content.decode())
        )


def test_a_kept_page_is_answered_before_the_url_is_resolved(monkeypatch, django_assert_max_num_queries):
    """CachedPageMiddleware, innermost: no view, no query, and still every other middleware's headers."""
    article = published_showcase(lead="导语在此")
    first = Client().get(article.get_absolute_url())
    calls = []
    monkeypatch.setattr(
        pagecache, "whole_page", lambda *args, **kwargs: calls.append(args) or HttpResponse()
    )  # the views' way in
    with django_assert_max_num_queries(0):
        again = Client().get(article.get_absolute_url())
    assert calls == [] and again.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Content-Language", "Vary"):
        assert again[header] == first[header], header
    own = Client()
    own.cookies["sessionid"] = "x"  # a reader with a session reaches the view
    own.get(article.get_absolute_url())
    assert len(calls) == 1
    with django_assert_max_num_queries(0):  # a WeChat share's parameters: the same kept page
        shared = Client().get(article.get_absolute_url() + "?from=singlemessage&isappinstalled=0&utm_source=wx")
    assert shared.content == first.content and len(calls) == 1


def test_a_reader_who_chose_english_is_not_given_the_kept_chinese_page(settings):
    article = published_showcase()
    chinese = Client().get(article.get_absolute_url())
    assert chinese["Content-Language"] == "zh-hans"
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):  # rendered, then kept: each language its own page
        page = english.get(article.get_absolute_url())
        assert page["Content-Language"] == "en" and page.content != chinese.content
    assert Client().get(article.get_absolute_url()).content == chinese.content


def test_a_head_request_gets_the_kept_page_headers(django_assert_max_num_queries, monkeypatch):
    # The process's copy is good for PAGE_CACHE_LOCAL_SECONDS (1 s): the clock stands still here,
    # so a slow machine between the two requests does not matter.
    now = time.monotonic()
    monkeypatch.setattr(pagecache, "time", types.SimpleNamespace(monotonic=lambda: now, time=time.time))
    article = published_showcase()
    page = Client().get(article.get_absolute_url())
    with django_assert_max_num_queries(0):
        head = Client().head(article.get_absolute_url())
    assert head.status_code == 200 and head.content == b"" and head["Content-Length"] == page["Content-Length"]
    assert Client().head("/showcase/").status_code == 200
    assert Client().post("/showcase/").status_code == 405


def test_a_browser_that_accepts_gzip_gets_the_page_compressed_once():
    article = published_showcase(lead="导语在此")
    plain = Client().get(article.get_absolute_url())
    packed = Client().get(article.get_absolute_url(), headers={"accept-encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(packed.content) == plain.content and len(packed.content) < len(plain.content) / 2
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Cookie" in plain["Vary"]  # the language is chosen by cookie
    again = Client().get(article.get_absolute_url(), headers={"accept-encoding": "gzip"})
    assert again.content == packed.content  # the same bytes: compressed when rendered, not per request
    own = Client()
    own.cookies["sessionid"] = "x"  # a page of the reader's own is not compressed here (nginx does it)
    assert "Content-Encoding" not in own.get(article.get_absolute_url(), headers={"accept-encoding": "gzip"})


def test_the_form_token_lets_a_reader_comment(settings):
    settings.FORM_MIN_SECONDS = 0
    article = published_showcase()
    reader = Client(enforce_csrf_checks=True)
    reader.get(article.get_absolute_url())
    response = reader.get("/form-token/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    fields = response.json()
    assert abs(signing.loads(fields["started"], salt=abuse._SALT) - time.time()) < 5  # shown now, not when cached
    assert reader.cookies["csrftoken"].value
    assert Client().get("/form-token/").json()["csrfmiddlewaretoken"] != fields["csrfmiddlewaretoken"]
    response = reader.post(f"{article.get_absolute_url()}comment/", {"name": "读者", "body": "学习了", "website": "", **fields})
    assert response.status_code == 302 and Comment.objects.get().body == "学习了"


def test_a_comment_sent_without_its_token_comes_back_with_the_text_kept(settings):
    """No script, or the token never arrived: nothing is saved, the reader keeps what they typed."""
    settings.FORM_MIN_SECONDS = 0
    article = published_showcase()
    reader = Client(enforce_csrf_checks=True)
    url = f"{article.get_absolute_url()}comment/"
    response = reader.post(url, {"name": "无脚本读者", "body": "这段话不能丢", "started": "", "website": ""})
    html = response.content.decode()
    assert response.status_code == 403 and not Comment.objects.exists()
    assert "请再点一次“提交评论”" in html and "这段话不能丢" in html and 'value="无脚本读者"' in html
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    fields = {"name": "无脚本读者", "body": "这段话不能丢", "started": started, "website": ""}
    response = reader.post(url, {**fields, "csrfmiddlewaretoken": TOKEN_INPUT.search(html).group(1)})
    assert response.status_code == 302 and Comment.objects.get().body == "这段话不能丢"
    missing = Client(enforce_csrf_checks=True).post("/showcase/no-such-article/comment/", fields)
    assert missing.status_code == 404


def test_a_process_serves_its_own_copy_until_it_checks_the_shared_version(settings, monkeypatch, django_assert_max_num_queries):
    settings.PAGE_CACHE_LOCAL_SECONDS = 1
    article = published_showcase(lead="旧导语")
    assert "旧导语" in Client().get(article.get_absolute_url()).content.decode()
    # Another process edits the article: the shared version moves, this process is not told.
    Showcase.objects.filter(pk=article.pk).update(lead="新导语")
    cache.incr(pagecache.VERSION_KEY)
    with django_assert_max_num_queries(0):  # neither the database nor the shared cache
        assert "旧导语" in Client().get(article.get_absolute_url()).content.decode()
    later = time.monotonic() + 1.01
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    with CaptureQueriesContext(connection) as captured:
        assert "新导语" in Client().get(article.get_absolute_url()).content.decode()
    assert cache_queries(captured)  # the check it was due


def test_without_a_local_copy_every_request_checks_the_shared_version(settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    article = published_showcase(lead="旧导语")
    Client().get(article.get_absolute_url())
    with django_assert_max_num_queries(4) as captured:
        Client().get(article.get_absolute_url())
    assert cache_queries(captured) and not own_queries(captured)
    Showcase.objects.filter(pk=article.pk).update(lead="新导语")
    cache.incr(pagecache.VERSION_KEY)
    assert "新导语" in Client().get(article.get_absolute_url()).content.decode()


def test_a_process_keeps_only_its_newest_pages(settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    pages = pagecache.LocalPages()
    for number in range(128 + 5):  # LOCAL_LIMIT
        pages.keep(f"page-{number}", 7, b"<p>%d</p>" % number)
        pages.get("page-0")  # read often: kept
    assert len(pages.pages) == 128
    assert pages.get("page-0") == b"<p>0</p>" and pages.get("page-1") is None
    assert pages.get("page-132") is not None
    pages.keep("page-new", 8, b"<p>new</p>")  # a newer version: the rest are stale
    assert list(pages.pages) == ["page-new"]


def test_an_edit_refreshes_the_whole_page(client, editor):
    article = published_showcase(lead="旧导语")
    assert "旧导语" in client.get(article.get_absolute_url()).content.decode()
    article.lead = "新导语"
    article.save()
    publishing.edited(article, editor)
    assert client.get(article.get_absolute_url()).status_code == 404  # back for sign-off: off the column
    publish_again(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "新导语" in html and "旧导语" not in html


def test_a_reader_with_something_of_their_own_gets_a_page_of_their_own(client, rf):
    published_showcase()
    own = Client()
    own.cookies["sessionid"] = "x"
    html = own.get("/showcase/?utm_source=wx").content.decode()
    assert 'value="/showcase/?utm_source=wx"' in html  # the language switch returns to the reader's own URL
    shared = Client().get("/showcase/?utm_source=wx").content.decode()
    assert 'value="/showcase/"' in shared and "utm_source" not in shared  # nothing of the first reader's URL
    assert TOKEN_INPUT.search(shared) is None  # no form needs one
    assert pagecache.shared(rf.get("/showcase/", {"page": "2"}))
    assert pagecache.shared(rf.get("/showcase/", {"utm_source": "wx"}))  # ignored, not a page of its own
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
    from tests.platform.test_multiprocess import REDIS_URL

    shared = ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": f"t-{uuid.uuid4().hex[:8]}"})
    assert shared._cache.get_client() is shared._cache.get_client(write=True)
    shared.set("page", ("v1", "<p>页</p>"), 30)
    assert shared.get_many(["page", "missing"]) == {"page": ("v1", "<p>页</p>")}
    shared.delete("page")
