"""Reading counts need the page's token and count one reading per reader, article and day
(issue 23, finding 9): the beacon (/showcase/<slug>/read/) gives a read token and the CSRF
token on GET, and counts a POST only with both; one address is one reader whatever its user
agents; a new day (Beijing time) counts again."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions.column import viewcounts
from tests.factories import published_showcase

pytestmark = pytest.mark.django_db
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.40"
BEIJING = ZoneInfo("Asia/Shanghai")


def _url(article):
    return reverse("showcase:read", args=[article.slug])


def _reader(ip="10.0.0.1", ua=PHONE, **options):
    return Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **options)


def _read(article, ip="10.0.0.1", ua=PHONE):
    client = _reader(ip, ua)
    token = client.get(_url(article)).json()["token"]
    return client.post(_url(article), {"token": token})


def test_a_post_without_the_read_token_counts_nothing():
    article = published_showcase()
    reader = _reader()
    assert reader.post(_url(article)).status_code == 403
    assert reader.post(_url(article) + "?count=1", {"token": "forged"}).status_code == 403
    assert reader.post(_url(article), {"token": "x" * 100_000}).status_code == 403
    assert viewcounts.flush() == 0
    assert _read(article).status_code == 204  # with the token: counted
    assert viewcounts.flush() == 1


def test_an_old_read_token_counts_nothing(monkeypatch):
    article = published_showcase()
    reader = _reader()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 2 * 3600)  # the token was given two hours ago
    token = reader.get(_url(article)).json()["token"]
    monkeypatch.undo()
    assert reader.post(_url(article), {"token": token}).status_code == 403
    assert viewcounts.flush() == 0


def test_the_csrf_check_applies():
    article = published_showcase()
    reader = _reader(enforce_csrf_checks=True)
    given = reader.get(_url(article))
    assert "csrftoken" in given.cookies  # the beacon gives the reader their CSRF cookie
    tokens = given.json()
    assert reader.post(_url(article), {"token": tokens["token"]}).status_code == 403  # no CSRF token
    assert viewcounts.flush() == 0
    counted = reader.post(_url(article), {"token": tokens["token"]}, HTTP_X_CSRFTOKEN=tokens["csrfmiddlewaretoken"])
    assert counted.status_code == 204
    assert viewcounts.flush() == 1


def test_twenty_user_agents_from_one_address_count_one():
    article = published_showcase()
    for index in range(20):
        assert _read(article, ua=f"{PHONE} build/{index}").status_code == 204
    assert viewcounts.flush() == 1
    _read(article, ip="10.0.0.2")  # another address: another reader
    assert viewcounts.flush() == 1


def test_one_reading_per_day_in_beijing_time(monkeypatch):
    article = published_showcase()
    moments = [
        (datetime(2026, 3, 2, 7, 0, tzinfo=BEIJING), 1),  # 2 March 07:00 in Beijing, still 1 March in UTC
        (datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING), 0),  # the same Beijing day (2 March in UTC by now)
        (datetime(2026, 3, 2, 23, 50, tzinfo=BEIJING), 0),
        (datetime(2026, 3, 3, 0, 10, tzinfo=BEIJING), 1),  # the next day counts again
        (datetime(2026, 3, 4, 8, 0, tzinfo=BEIJING), 1),
    ]
    for moment, counted in moments:
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        assert _read(article).status_code == 204
        assert viewcounts.flush() == counted, moment


def test_a_token_for_one_article_does_not_count_for_another():
    first, second = published_showcase(), published_showcase()
    reader = _reader()
    token = reader.get(_url(first)).json()["token"]
    assert reader.post(_url(second), {"token": token}).status_code == 403
    assert viewcounts.flush() == 0


def test_a_token_is_for_the_address_that_asked_for_it():
    article = published_showcase()
    token = _reader("10.0.0.1").get(_url(article)).json()["token"]
    assert _reader("10.0.0.2").post(_url(article), {"token": token}).status_code == 403
    assert viewcounts.flush() == 0


def test_an_ipv6_reader_is_its_64_network():
    article = published_showcase()
    token = _reader("2001:db8:1:2::1").get(_url(article)).json()["token"]
    assert _reader("2001:db8:1:2:aaaa::9").post(_url(article), {"token": token}).status_code == 204
    for suffix in range(1, 6):  # new addresses in the same /64: the same reader
        _read(article, ip=f"2001:db8:1:2::{suffix}")
    assert viewcounts.flush() == 1
    _read(article, ip="2001:db8:1:3::1")  # another /64
    assert viewcounts.flush() == 1


def test_behind_a_proxy_broken_forwarded_addresses_count_as_one_reader(monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    article = published_showcase()
    for junk in ("unknown", "", "1.2.3.4, nonsense", "999.0.0.1"):
        client = Client(HTTP_USER_AGENT=PHONE, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=junk)
        client.post(_url(article), {"token": client.get(_url(article)).json()["token"]})
    assert viewcounts.flush() == 1
    for index in range(3):
        client = Client(HTTP_USER_AGENT=PHONE, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{index}")
        client.post(_url(article), {"token": client.get(_url(article)).json()["token"]})
    assert viewcounts.flush() == 3


def test_the_token_is_never_cached_and_costs_no_query(django_assert_num_queries):
    article = published_showcase()
    with django_assert_num_queries(0):
        response = _reader().get(_url(article))
    assert response.status_code == 200
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert set(response.json()) == {"csrfmiddlewaretoken", "token"}
