"""deploy/nginx.conf in front of gunicorn (issue 17, items 4 and 5): Debian's nginx runs the
shipped server block (ports, paths and the certificate swapped for the test's) in front of a
production gunicorn. Anonymous readers' pages are answered from nginx's one-second cache, a
change reaches readers within the stated time, a reader with a session (an editor) never gets
a cached page, nothing that sets a cookie is cached, and photos go out by X-Accel-Redirect:
private ones only after the access check."""

import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from bench.common import free_port
from bench.nginx import NGINX, Nginx
from tests.platform.test_multiprocess import PORTS, REDIS_URL, ROOT, Server, database_url

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (.ci/run installs nginx-light)")
MICROCACHE_SECONDS = 1


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    url = database_url(tmp_path_factory)
    folder = tmp_path_factory.mktemp("nginx")
    media = folder / "media"
    prefix = f"nginx-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEST_ROOT_URLCONF": "tests.multiprocess_urls",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "MEDIA_ROOT": str(media),
        "MEDIA_ACCEL_REDIRECT": "/_media/",
        "MEDIA_PUBLIC_ROOT": f"{media}-public",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "PROXY_COUNT": "1",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if url.startswith("sqlite"):
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    app = Server(env)
    app.wait()
    proxy = Nginx(folder, nginx_port=free_port(PORTS), upstream_port=app.port, media=media)
    proxy.wait()
    try:
        yield app, proxy
    finally:
        proxy.stop()
        app.stop()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@pytest.mark.django_db(transaction=True)
def test_readers_get_the_microcached_page_and_an_edit_reaches_them_in_time(stack):
    app, proxy = stack
    first, edited = (f"{word}{uuid.uuid4().hex[:8]}" for word in ("初版导语", "新版导语"))
    status, body = app.post("/_test/article", {"lead": first})
    page = f"/showcase/{json.loads(body)['slug']}/"
    statuses = []
    for query in ("", "", "?from=singlemessage&isappinstalled=0", "?utm_source=x"):
        status, headers, html = proxy.get(page + query)
        assert status == 200 and first.encode() in html and "Set-Cookie" not in headers
        statuses.append(headers["X-Cache"])
    assert statuses[0] in ("MISS", "EXPIRED") and statuses[1:] == ["HIT", "HIT", "HIT"]  # share parameters: the same copy
    assert app.post("/_test/article-edit", {"slug": page.split("/")[2], "lead": edited}) == (200, "edited")
    # Within nginx's second plus the process's own second (PAGE_CACHE_LOCAL_SECONDS), readers see it.
    time.sleep(MICROCACHE_SECONDS + 1 + 0.3)
    status, headers, html = proxy.get(page)
    assert edited.encode() in html and first.encode() not in html
    assert proxy.get("/showcase/")[1]["X-Cache"] in ("MISS", "EXPIRED", "HIT")


@pytest.mark.django_db(transaction=True)
def test_a_reader_with_a_session_never_gets_a_cached_page_and_nothing_personal_is_kept(stack):
    app, proxy = stack
    status, body = app.post("/_test/article", {"lead": "导语"})
    page = f"/showcase/{json.loads(body)['slug']}/"
    proxy.get(page)
    assert proxy.get(page)[1]["X-Cache"] == "HIT"
    for cookies in ("sessionid=abc", "csrftoken=x; sessionid=abc", "messages=xyz"):
        status, headers, _html = proxy.get(page, cookies=cookies)
        assert status == 200 and headers["X-Cache"] == "BYPASS", cookies
    for path in ("/form-token/", "/admin/login/", "/call/"):
        for _ in range(2):
            _status, headers, _html = proxy.get(path)
            assert headers.get("X-Cache") in (None, "MISS", "BYPASS", "EXPIRED"), path  # never HIT
    # /form-token/ sets the reader's CSRF cookie: never cached, each reader gets their own.
    tokens = {json.loads(proxy.get("/form-token/")[2])["csrfmiddlewaretoken"] for _ in range(3)}
    assert len(tokens) == 3


@pytest.mark.django_db(transaction=True)
def test_photos_go_out_by_nginx_after_the_access_check(stack):
    app, proxy = stack
    status, body = app.post("/_test/article", {"lead": "有图", "photo": "1"})
    made = json.loads(body)
    status, headers, image = proxy.get(made["photo"])
    assert status == 200 and image[:3] == b"\xff\xd8\xff" and headers["Content-Type"] == "image/jpeg"
    assert "max-age=31536000" in headers["Cache-Control"] and headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in headers
    for _ in range(2):  # the private photo: refused every time, never from the cache
        status, headers, body = proxy.get(made["private"])
        assert status == 404 and image[:3] != body[:3]
    assert proxy.get("/_media/" + made["photo"].removeprefix("/media/"))[0] == 404  # internal only


@pytest.mark.django_db(transaction=True)
def test_published_renditions_are_served_from_the_public_folder_and_leave_it_on_unpublish(stack):
    app, proxy = stack
    status, body = app.post("/_test/article", {"lead": "公开图", "photo": "1"})
    made = json.loads(body)
    name = made["photo"].removeprefix("/media/")
    private = made["private"].removeprefix("/media/")
    public_root = Path(proxy.folder) / "media-public"
    page = f"/showcase/{made['slug']}/"
    html = proxy.get(page)[2].decode()
    assert f'src="/pub/{name}"' in html and made["photo"] not in html  # the page points at the public path
    assert (public_root / name).is_file() and not (public_root / private).exists()
    status, headers, image = proxy.get(f"/pub/{name}")
    assert status == 200 and image[:3] == b"\xff\xd8\xff" and headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in headers["Content-Security-Policy"]
    assert "X-Cache" not in headers  # straight from disk, not from the portal
    # A private photo's name on the public path: not in the folder, so the media view's check: 404.
    for guess in (f"/pub/{private}", "/pub/../media/" + private, "/pub/" + private.replace("/", "%2F")):
        status, headers, body = proxy.get(guess)
        assert status in (400, 404) and body[:3] != b"\xff\xd8\xff", guess
    assert app.post("/_test/article-unpublish", {"slug": made["slug"]}) == (200, "unpublished")
    assert not (public_root / name).exists()
    status, headers, body = proxy.get(f"/pub/{name}")
    assert status == 404 and body[:3] != b"\xff\xd8\xff"  # taken down: private again


def _get_from(proxy, source, path, headers=None):
    """A GET to nginx from the loopback address `source` (127.0.0.2 is as local as 127.0.0.1, but
    not in the shipped allow list)."""
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_metrics_only_for_the_addresses_nginx_allows(stack):
    _app, proxy = stack
    status, body = _get_from(proxy, "127.0.0.1", "/metrics")  # the shipped allow list: the machine itself
    assert status == 200 and b"portal_worker_up" in body
    for path in ("/metrics", "//metrics", "/%6Detrics", "/metrics?name[]=x"):
        status, body = _get_from(proxy, "127.0.0.2", path, {"X-Forwarded-For": "127.0.0.1"})
        # Refused by nginx itself (its own page), not left to the portal's check.
        assert status == 403 and b"<center>nginx" in body and b"portal_" not in body, path
    # The rest of the site is not restricted.
    assert _get_from(proxy, "127.0.0.2", "/robots.txt")[0] == 200


@pytest.mark.django_db(transaction=True)
def test_the_reading_beacon_through_nginx(stack):
    app, proxy = stack
    _status, body = app.post("/_test/article", {"lead": "阅读量"})
    beacon = f"/showcase/{json.loads(body)['slug']}/read/"
    for _ in range(2):  # the tokens are the reader's own: never from the cache
        status, headers, body = proxy.get(beacon)
        assert status == 200 and headers.get("X-Cache") in (None, "MISS", "BYPASS", "EXPIRED")
        assert "no-store" in headers["Cache-Control"] and "csrftoken=" in headers["Set-Cookie"]
        assert set(json.loads(body)) == {"csrfmiddlewaretoken", "token"}
    for _ in range(2):  # a reader who has the cookie already
        status, headers, body = proxy.get(beacon, cookies="csrftoken=" + "a" * 32)
        assert status == 200 and headers.get("X-Cache") in (None, "MISS", "BYPASS", "EXPIRED")
