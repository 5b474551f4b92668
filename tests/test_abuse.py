import time

import pytest
from django import forms
from django.core import signing
from django.test import RequestFactory

from submissions import abuse


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
