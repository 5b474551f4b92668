"""Shared fixtures: users per role, a live server that serves collected static files as
production does, and real Chromium through Playwright."""

import contextlib
import os
import re
import shutil
import socket
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.utils import translation

from submissions.platform import pagecache
from submissions.workflow import roles
from tests.factories import make_user

# Playwright's sync API runs an event loop in this thread; the ORM calls made by tests
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Fixtures of the submission tests: quick_forms, campaign, region.
pytest_plugins = ["tests.submit_data"]

IN_CI = bool(os.environ.get("CI"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FAVICON = re.compile(r"/static/img/favicon(\.[0-9a-f]{12})?\.svg$")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: a missing browser or database must not pass silently."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped") and session.exitstatus == 0:
        reporter.write_line("CI: tests were skipped; in CI every test must run.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _clean_state(request, settings, tmp_path):
    """Each test gets its own media folder, the site's language (a request in English leaves the
    thread's language behind it), and (when it uses the database) an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    translation.activate(settings.LANGUAGE_CODE)
    pagecache.local_pages.forget()  # a process's copy of public pages, from an earlier test's data
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        cache.clear()
    yield
    if uses_db:
        cache.clear()


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory):
    """A self-signed key and certificate for signing certificates' PDFs, made once a run (as `make run` does)."""
    from submissions.results import keys

    return keys.dev_pair(tmp_path_factory.mktemp("signing"))


@pytest.fixture
def signing(settings, signing_pair):
    """Certificates may be issued: the newspaper's signing pair is configured."""
    settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_SIGNING_CERT = map(str, signing_pair)


@pytest.fixture
def reviewer(db):
    return make_user(roles.REVIEWER, username="reviewer")


@pytest.fixture
def editor(db):
    return make_user(roles.EDITOR, username="editor")


@pytest.fixture
def chief(db):
    return make_user(roles.CHIEF, username="chief")


class _ClosingServer(ThreadedWSGIServer):
    """Django's live server, which ends the connections still open when it closes and waits
    for their threads. A browser keeps its connections open between requests, and the thread
    serving one closes its database connections when it ends: with the shared in-memory SQLite
    database, that must happen before the fixture stops sharing it, not when the browser quits."""

    daemon_threads = False  # so that server_close() joins them
    block_on_close = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_requests = set()

    def process_request(self, request, client_address):
        self.open_requests.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        self.open_requests.discard(request)
        super().shutdown_request(request)

    def server_close(self):
        for request in list(self.open_requests):
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)
        super().server_close()


class _LiveServerThread(LiveServerThread):
    server_class = _ClosingServer


@pytest.fixture(scope="session")
def live_server(request):
    """Django's live server, serving static files from STATIC_ROOT (what collectstatic wrote,
    hashed names included) instead of from the app folders, as WhiteNoise does in production."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import modify_settings

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        pytest.fail("Static files are not collected: run `manage.py collectstatic` (make test does).")
    overrides = {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    for conn in overrides.values():
        conn.inc_thread_sharing()
    thread = _LiveServerThread("localhost", _StaticFilesHandler, connections_override=overrides, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error

    class Server:
        url = f"http://localhost:{thread.port}"
        # pytest-django switches this on around each test that uses the live server.
        _live_server_modified_settings = modify_settings(ALLOWED_HOSTS={"append": "localhost"})

        def __str__(self):
            return self.url

    yield Server()
    thread.terminate()
    for conn in overrides.values():
        conn.dec_thread_sharing()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class PageWatch:
    """Collects console errors, failed requests and HTTP errors of one page's life.

    One failure is not the page's: Chromium asks for the favicon after the load and cancels
    the request when the page is left or reloaded before it is answered. A missing favicon
    still shows, as an HTTP error."""

    def __init__(self, page):
        self.errors = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda res: res.status >= 400 and self.errors.append(f"HTTP {res.status}: {res.url}"))

    def _failed(self, request):
        if request.failure == "net::ERR_ABORTED" and FAVICON.match(urlsplit(request.url).path):
            return
        self.errors.append(f"failed: {request.url} {request.failure}")


def _page(browser, width, height, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.watch = PageWatch(page)
    return context, page


@pytest.fixture
def phone_page(browser, live_server):
    """A page at phone width (375 px)."""
    context, page = _page(browser, 375, 740)
    yield page
    context.close()


@pytest.fixture
def phone_page_without_script(browser, live_server):
    """A page at phone width with JavaScript off (what the forms must still do without their scripts)."""
    context, page = _page(browser, 375, 740, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_server):
    """A page at desktop width (1280 px)."""
    context, page = _page(browser, 1280, 900)
    yield page
    context.close()
