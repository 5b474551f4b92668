"""Admin login is throttled by django-axes, keyed on the real client address."""

import pytest
from django.conf import settings

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor_account():
    return make_user("editor", username="throttled")


def attempt(client, password="wrong-password", **meta):
    return client.post(LOGIN, {"username": "throttled", "password": password}, **meta)


def fail_until_locked(client, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, **meta).status_code == 200  # the form again, with its error
    return attempt(client, **meta)


def test_locked_after_the_failure_limit_with_a_chinese_page(client, editor_account):
    locked = fail_until_locked(client, REMOTE_ADDR="203.0.113.5")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "15 分钟" in page
    assert "<script" not in page
    # Even the right password is refused while locked.
    assert attempt(client, password=PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
    # Another address is not affected.
    assert attempt(client, password=PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_behind_a_proxy_the_forwarded_client_address_is_locked_not_the_proxy(client, editor_account, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    proxy = "10.0.0.1"
    locked = fail_until_locked(client, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    # A client that forges an extra address in front is still the same client to us.
    forged = attempt(client, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    assert forged.status_code == 429
    # Someone else behind the same proxy can still log in.
    other = attempt(client, password=PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302


def test_without_a_proxy_a_forged_forwarded_header_does_not_dodge_the_lock(client, editor_account, monkeypatch):
    monkeypatch.delenv("PROXY_COUNT", raising=False)
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    locked = attempt(client, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert locked.status_code == 429


def test_a_garbage_forwarded_address_is_not_the_proxys(client, editor_account, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    response = attempt(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address" * 50)
    assert response.status_code == 200  # the form with its error, not a database error
    from axes.models import AccessAttempt

    # Not the proxy's address (every client's): the one shared address of broken requests,
    # which the log's address column (inet on PostgreSQL) takes.
    assert AccessAttempt.objects.get().ip_address == "0.0.0.0"


def test_an_enormous_user_name_is_just_a_failed_login(client):
    response = client.post(LOGIN, {"username": "a" * 5000, "password": "x"})
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert len(AccessAttempt.objects.get().username) == 150


def test_many_user_names_from_one_address_lock_the_address(client, editor_account, settings):
    """Issue 11, finding 10: five user names × four wrong passwords from one address never locked."""
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT) == (5, 20)
    statuses = []
    for name in ("admin", "editor", "chief", "root", "zhangsan"):
        for _ in range(4):
            response = client.post(LOGIN, {"username": name, "password": "guess"}, REMOTE_ADDR="203.0.113.77")
            statuses.append(response.status_code)
    assert statuses[:19] == [200] * 19 and statuses[19] == 429
    # The address is locked for every name, the right password included; other addresses are not.
    assert attempt(client, password=PASSWORD, REMOTE_ADDR="203.0.113.77").status_code == 429
    assert attempt(client, password=PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_few_failures_of_several_people_behind_one_address_do_not_lock_it(client, editor_account):
    for name in ("colleague1", "colleague2", "colleague3"):
        for _ in range(3):
            assert client.post(LOGIN, {"username": name, "password": "typo"}, REMOTE_ADDR="203.0.113.8").status_code == 200
    assert attempt(client, password=PASSWORD, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_a_valid_login_between_guesses_does_not_clear_the_address_count(client, editor_account):
    for n in range(19):
        client.post(LOGIN, {"username": f"guess{n % 5}", "password": "x"}, REMOTE_ADDR="203.0.113.90")
    assert attempt(client, password=PASSWORD, REMOTE_ADDR="203.0.113.90").status_code == 302
    client.logout()
    response = client.post(LOGIN, {"username": "guess9", "password": "x"}, REMOTE_ADDR="203.0.113.90")
    assert response.status_code == 429
