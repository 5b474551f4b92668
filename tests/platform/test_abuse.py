import time

import pytest
from django import forms
from django.core import signing
from django.test import RequestFactory

from submissions.platform import abuse


class NameForm(abuse.GuardedForm):
    name = forms.CharField()


def started(seconds_ago):
    return signing.dumps(time.time() - seconds_ago, salt=abuse._SALT)


def test_a_person_passes():
    form = NameForm({"name": "张三", "started": started(10)})
    assert form.is_valid(), form.errors


def test_honeypot_refuses_bots():
    form = NameForm({"name": "张三", "website": "http://spam", "started": started(10)})
    assert not form.is_valid()
    assert "刷新" in form.non_field_errors()[0]


def test_too_fast_is_refused_but_a_few_seconds_is_enough(settings):
    settings.FORM_MIN_SECONDS = 3  # production's default (portal/settings.py)
    assert not NameForm({"name": "张三", "started": started(0.5)}).is_valid()
    assert NameForm({"name": "张三", "started": started(3.1)}).is_valid()


def test_forged_start_time_is_refused():
    form = NameForm({"name": "张三", "started": "1.0"})
    assert not form.is_valid()


@pytest.mark.django_db
def test_rate_limit_counts_per_ip(settings):
    factory = RequestFactory()
    one = factory.post("/", REMOTE_ADDR="10.0.0.1")
    two = factory.post("/", REMOTE_ADDR="10.0.0.2")
    assert [abuse.hit(one, "t", limit=3, window=60) for _ in range(4)] == [False, False, False, True]
    assert [abuse.hit(one, "off", limit=0, window=60) for _ in range(10)] == [False] * 10  # 0 is no limit
    assert abuse.hit(two, "t", limit=3, window=60) is False


def test_client_ip_behind_a_proxy(monkeypatch):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert abuse.client_ip(request) == "127.0.0.1"
    monkeypatch.setenv("PROXY_COUNT", "1")
    assert abuse.client_ip(request) == "5.6.7.8"


PROXY = "10.0.0.2"  # behind nginx every request connects from it
UNKNOWN = "0.0.0.0"  # the one shared client of every request without a usable forwarded address
MISSING = object()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.1.1.1, 203.0.113.5", "203.0.113.5"),  # the client's own entries, further left, are ignored
        (1, "1.1.1.1,203.0.113.5", "203.0.113.5"),
        (1, "203.0.113.5:51234", "203.0.113.5"),  # a proxy that writes the port
        (1, "2001:DB8:0:0::1", "2001:db8::1"),  # IPv6 in its short form
        (1, "[2001:db8::1]", "2001:db8::1"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "::ffff:203.0.113.5", "203.0.113.5"),  # IPv4-mapped: the IPv4 address
        (1, "203.0.113.5, not-an-address", UNKNOWN),  # not the proxy's address: refused
        (1, "unknown", UNKNOWN),
        (1, "203.0.113.5, ", UNKNOWN),
        (1, "", UNKNOWN),
        (1, MISSING, UNKNOWN),
        (1, "999.0.0.1", UNKNOWN),
        (1, "203.0.113.5 198.51.100.7", UNKNOWN),
        (1, "0.0.0.0", UNKNOWN),
        (1, "fe80::1%eth0", UNKNOWN),
        (1, "[203.0.113.5]", UNKNOWN),
        (1, "1" * 5000, UNKNOWN),
        (2, "198.51.100.7, 203.0.113.5, 10.0.0.3", "203.0.113.5"),  # the outer proxy saw 203.0.113.5
        (2, "203.0.113.5, 10.0.0.3", "203.0.113.5"),
        (2, "10.0.0.3", UNKNOWN),  # fewer entries than proxies
        (2, "garbage, 10.0.0.3", UNKNOWN),
        (2, "198.51.100.7, [2001:db8::7]:80, 10.0.0.3", "2001:db8::7"),
        (0, "203.0.113.5", PROXY),  # without PROXY_COUNT the header is ignored
        (0, MISSING, PROXY),
    ],
)
def test_client_ip_parses_the_forwarded_address_strictly(monkeypatch, proxies, forwarded, expected):
    monkeypatch.setenv("PROXY_COUNT", str(proxies))
    headers = {} if forwarded is MISSING else {"HTTP_X_FORWARDED_FOR": forwarded}
    assert abuse.client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)) == expected


@pytest.mark.django_db
def test_broken_forwarded_addresses_share_one_bucket_apart_from_the_proxy(monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    factory = RequestFactory()
    broken = [factory.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=junk) for junk in ("x", "", "1.2.3.4, y")]
    assert [abuse.hit(request, "t", limit=2, window=60) for request in broken] == [False, False, True]
    for client in ("203.0.113.5", PROXY):  # a real client, and the proxy's own address, are not in that bucket
        assert abuse.hit(factory.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client), "t", limit=2, window=60) is False


def test_a_broken_forwarded_address_is_logged_at_most_once_a_minute(monkeypatch, caplog):
    monkeypatch.setenv("PROXY_COUNT", "1")
    monkeypatch.setattr(abuse, "_warned_at", float("-inf"))
    for _ in range(5):
        abuse.client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="garbage"))
    warnings = [record for record in caplog.records if record.name == "submissions.platform.abuse"]
    assert len(warnings) == 1 and "'garbage'" in warnings[0].getMessage() and PROXY in warnings[0].getMessage()


@pytest.mark.django_db
def test_metrics_are_not_served_to_a_broken_forwarded_address_from_the_proxy(client, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    # nginx on the same machine: every request comes from 127.0.0.1, which METRICS_ALLOWED_IPS allows.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200
    for junk in ("", "unknown", "203.0.113.5, localhost"):
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=junk).status_code == 403, junk
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403  # no header at all
