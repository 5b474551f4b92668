"""Admin login: throttled against brute force (django-axes), also behind a reverse proxy."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_user

LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chief_user(db):
    return make_user("chief", username="chief")


def attempt(client, password, **meta):
    return client.post(LOGIN, {"username": "chief", "password": password, "next": "/admin/"}, **meta)


@pytest.mark.django_db
def test_login_works_and_is_locked_after_repeated_failures(client, chief_user, settings):
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert attempt(client, PASSWORD).status_code == 429  # even the right password, for a while


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_lock(client, chief_user, settings, monkeypatch):
    monkeypatch.delenv("PROXY_COUNT", raising=False)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_each_client_is_throttled_by_its_own_address(client, chief_user, settings, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    # The attacker stays locked out, even when adding a forged address in front of the real one...
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", **proxy).status_code == 429
    # ...while the real editor, behind the same proxy, still logs in.
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302
