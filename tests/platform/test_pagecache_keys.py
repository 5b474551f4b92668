"""The page cache keys on the cleaned, canonical values of the parameters a page uses (issue 17,
item 2; issue 11, finding 9): share and tracking parameters are ignored, a value that is not
offered redirects to the canonical URL, and a flood of random parameters stores nothing new.
Redis down (issue 11, finding 7): every public page is served uncached, never a 500."""

import logging
import random
import re
import string

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from submissions.column import listquery
from submissions.models import Kind, Region
from submissions.platform import pagecache
from tests.factories import published_showcase

pytestmark = pytest.mark.django_db
REGIONS = ["jinan", "qingdao"]
YEARS = [2024, 2023]


@pytest.mark.parametrize(
    ("query", "filters", "page", "refused", "canonical"),
    [
        ({}, {}, 1, False, ""),
        ({"from": "singlemessage", "isappinstalled": "0", "utm_source": "wx"}, {}, 1, False, ""),
        ({"kind": "pioneer", "page": "2", "scene": "1"}, {"kind": "pioneer"}, 2, False, "kind=pioneer&page=2"),
        ({"page": "1", "kind": ""}, {}, 1, False, ""),
        (
            {"q": "  零  距离 ", "region": "qingdao"},
            {"q": "零 距离", "region": "qingdao"},
            1,
            False,
            "q=%E9%9B%B6+%E8%B7%9D%E7%A6%BB&region=qingdao",
        ),
        ({"q": "字" * 60}, {"q": "字" * 50}, 1, False, "q=" + "%E5%AD%97" * 50),
        ({"year": "2023", "region": "nowhere"}, {"year": "2023"}, 1, True, "year=2023"),
        ({"kind": "z8a7f"}, {}, 1, True, ""),
        ({"page": "p123"}, {}, 1, True, ""),
        ({"page": "0"}, {}, 1, True, ""),
        ({"page": "1234567"}, {}, 1, True, ""),
        ({"page": "٣"}, {}, 1, True, ""),  # an Arabic-Indic digit: not a page number here
        ({"year": "1999"}, {}, 1, True, ""),
    ],
)
def test_the_list_query_is_cleaned_to_its_canonical_values(query, filters, page, refused, canonical):
    parsed = listquery.parse(query, region_codes=REGIONS, years=YEARS)
    assert (parsed.filters, parsed.page, parsed.refused, parsed.querystring()) == (filters, page, refused, canonical)


def test_a_shared_article_costs_what_a_direct_hit_costs(django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 60  # the kept page stays trusted however slow a loaded machine is
    article = published_showcase()
    direct = Client().get(article.get_absolute_url())
    for query in ("?from=singlemessage&isappinstalled=0", "?from=timeline&scene=1&clicktime=1700000000", "?utm_medium=x"):
        with django_assert_max_num_queries(0):  # this process's kept page: no query, no cache read
            shared = Client().get(article.get_absolute_url() + query)
        assert shared.status_code == 200 and shared.content == direct.content
    pagecache.local_pages.forget()  # another process: one read of the shared cache, nothing rendered
    with django_assert_max_num_queries(1):
        assert Client().get(article.get_absolute_url() + "?from=groupmessage").content == direct.content


def test_a_value_not_offered_redirects_to_the_canonical_url():
    published_showcase()
    cases = {
        "/showcase/?kind=z1234": "/showcase/",
        "/showcase/?page=p1&utm_source=x": "/showcase/",
        "/showcase/?kind=pioneer&region=mars&from=singlemessage": "/showcase/?kind=pioneer",
        "/showcase/?page=7": "/showcase/",  # past the last page: the last page (1)
    }
    for url, canonical in cases.items():
        response = Client().get(url)
        assert (response.status_code, response["Location"]) == (302, canonical), url


def _stored():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM portal_cache")
        return {row[0] for row in cursor.fetchall()}


def test_a_flood_of_random_parameters_stores_no_new_page():
    for number in range(12):
        published_showcase()
    for path in ("/showcase/", "/showcase/?page=2", "/showcase/?kind=practice"):
        assert Client().get(path).status_code == 200
    before = _stored()
    rng = random.Random(17)

    def junk(length=8):
        return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length))

    statuses = set()
    for _ in range(150):
        query = {junk(5): junk(), "utm_" + junk(3): junk(), "from": junk()}
        query[rng.choice(["kind", "page", "region", "year", "q", "none"])] = "z" + junk()
        if rng.random() < 0.3:
            query["page"] = str(rng.randint(3, 999999))  # past the last page
        pagecache.local_pages.forget()  # as if every request reached another process
        response = Client().get("/showcase/", query)
        statuses.add(response.status_code)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            # canonical: a refused value dropped (a page past the last is found on the next hop)
            assert re.fullmatch(r"/showcase/(\?(page=\d+)?&?(q=z\w+)?)?", response["Location"]), response["Location"]
        else:  # ignored parameters, or a search that finds nothing: links carry none of them
            assert "utm_" not in response.content.decode() and "from=" not in response.content.decode()
    assert statuses == {200, 302}
    assert _stored() == before  # not one page more than before the flood


def test_pagination_links_carry_only_the_lists_own_parameters():
    """Issue 11, finding 9: one reader's junk is not served to the next."""
    for number in range(12):
        published_showcase(submission__kind=Kind.PIONEER) if number % 2 else published_showcase()
    poisoned = Client().get("/showcase/?page=2&poisonXXXX=1&utm_x=%3Cb%3E&from=singlemessage").content.decode()
    assert 'href="/showcase/">上一页</a>' in poisoned and "poison" not in poisoned and "utm_x" not in poisoned
    clean = Client().get("/showcase/?page=2").content.decode()
    assert "poison" not in clean and 'href="/showcase/">上一页</a>' in clean
    region = Region.objects.order_by("order").first()
    filtered = Client().get(f"/showcase/?kind=practice&junk=1&region={region.code}").content.decode()
    assert "junk" not in filtered


def test_the_portal_works_when_cache_entries_are_evicted():
    """maxmemory with allkeys-lru (docs/deploy.md) may evict any key, the version included."""
    article = published_showcase(lead="导语在此")
    for _ in range(2):
        for url in (article.get_absolute_url(), "/showcase/", "/"):
            assert Client().get(url).status_code == 200
        cache.delete(pagecache.VERSION_KEY)  # evicted: the next version starts above every earlier one
        pagecache.local_pages.forget()
    before = pagecache.version()
    for key in _stored():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM portal_cache WHERE cache_key = %s", [key])  # everything evicted
    pagecache.local_pages.forget()
    assert "导语在此" in Client().get(article.get_absolute_url()).content.decode()
    assert pagecache.version() >= before


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ReusingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/15",  # nothing listens on port 1: connection refused
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_redis_down_serves_every_public_page_uncached_and_logs_it(redis_down, caplog):
    article = published_showcase(lead="导语在此")
    reader = Client()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        for url in ("/", "/showcase/", "/showcase/?kind=practice", article.get_absolute_url(), "/call/", "/showcase/feed/"):
            pagecache.local_pages.forget()
            response = reader.get(url, follow=True)
            assert response.status_code == 200, url
        assert "导语在此" in reader.get(article.get_absolute_url()).content.decode()
        assert "大众日报社" in reader.get("/").content.decode()  # the footer: settings from the database
    errors = [r for r in caplog.records if r.name == "portal.cache" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and "Redis unreachable" in errors[0].getMessage()  # once, not per request
    assert cache.down()  # for /healthz
