"""Production settings: HTTPS only, secure cookies, strict headers on every response."""

import json
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from tests.factories import PASSWORD, make_user


def production_settings(**extra_env):
    """Selected settings as a fresh process with DEBUG off computes them."""
    code = (
        "import json, portal.settings as s;"
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_HSTS_PRELOAD','SECURE_PROXY_SSL_HEADER',"
        "'SECURE_CONTENT_TYPE_NOSNIFF','SECURE_REFERRER_POLICY','X_FRAME_OPTIONS','DEBUG']}, default=list))"
    )
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50, "DEBUG": "0", **extra_env}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=django_settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_are_strict():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    # Without a proxy, a client's own X-Forwarded-Proto must not make plain HTTP look secure.
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_proxy_ssl_header_only_behind_a_proxy():
    assert production_settings(PROXY_COUNT="1")["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_deploy_check_is_clean_under_production_settings(signing_pair):
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0", "ALLOWED_HOSTS": "brands.example.com"}
    env["CERTIFICATE_SIGNING_KEY"], env["CERTIFICATE_SIGNING_CERT"] = map(str, signing_pair)  # the newspaper's pair
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/showcase/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure(client, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # what production_settings() shows
    make_user("editor", username="cookie-editor")
    login = client.get("/admin/login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"]
    response = client.post("/admin/login/?next=/admin/", {"username": "cookie-editor", "password": PASSWORD}, secure=True)
    assert response.status_code == 302, response.content.decode()[:500]
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_the_entry_edit_history_has_no_inline_style(client):
    """simple_history's own template carried a style attribute the CSP refused (templates/simple_history/)."""
    from submissions.models import Status
    from tests.factories import submission_in

    entry = submission_in(Status.SUBMITTED)
    client.force_login(make_user("editor", username="history-editor"))
    response = client.get(f"/admin/submissions/submission/{entry.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="paginator"' in page and "style=" not in page and "<script>" not in page
