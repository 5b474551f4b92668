"""The read replica's router and middleware (portal/dbrouter.py), in this process with a fake replica
connection: which reads go where, the pin to the primary, the back-off when the replica is down.
The whole path against a real primary and replica: tests/platform/test_replica.py."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from portal import dbrouter
from submissions.models import Showcase, SiteSettings

PIN_SECONDS = 3
RETRY_SECONDS = 2


# --- the router and the middleware, with a fake replica connection ---


class FakeConnection:
    """connections["replica"] as the router uses it: counts connection attempts, fails while `down`."""

    def __init__(self):
        self.down = False
        self.attempts = 0
        self.connection = None
        self.closed = 0

    def close_if_health_check_failed(self):
        if self.connection is not None and self.down:
            self.connection = None

    def ensure_connection(self):
        if self.connection is None:
            self.attempts += 1
            if self.down:
                raise OperationalError('connection to server at "127.0.0.1", port 1 failed: Connection refused')
            self.connection = object()

    def is_usable(self):
        return not self.down

    def close(self):
        self.closed += 1
        self.connection = None


@pytest.fixture
def replica(monkeypatch, settings):
    """A configured replica whose connection is a FakeConnection; the process's health reset."""
    fake = FakeConnection()
    monkeypatch.setattr(dbrouter, "connections", {dbrouter.REPLICA: fake, dbrouter.PRIMARY: connections["default"]})
    monkeypatch.setattr(dbrouter, "configured", lambda: True)
    monkeypatch.setattr(dbrouter, "health", dbrouter._Health())
    settings.REPLICA_PIN_SECONDS = PIN_SECONDS
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "replica-tests"}}
    settings.REPLICA_RETRY_SECONDS = RETRY_SECONDS
    cache.clear()
    yield fake
    cache.clear()


def serve(method, path, *, cookies=None, view=None):
    """`path` through ReplicaMiddleware as Django's handler calls it; (response, where the view's
    read of an article went). `view(router)` runs inside, as the view would."""
    router = dbrouter.ReplicaRouter(enabled=True)
    request = getattr(RequestFactory(), method.lower())(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(request.path_info)
    seen = {}

    def get_response(request):
        middleware.process_view(request, request.resolver_match.func, (), {})
        if view is not None:
            view(router)
        seen["read"] = router.db_for_read(Showcase)
        return HttpResponse("ok")

    middleware = dbrouter.ReplicaMiddleware(get_response)
    response = middleware(request)
    return response, seen["read"]


def pin_of(response):
    cookie = response.cookies.get(dbrouter.PIN_COOKIE)
    return {dbrouter.PIN_COOKIE: cookie.value} if cookie is not None else None


def test_without_a_replica_nothing_is_installed(settings):
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
    with pytest.raises(MiddlewareNotUsed):
        dbrouter.ReplicaMiddleware(lambda request: HttpResponse())
    router = dbrouter.ReplicaRouter()
    assert router.db_for_write(Showcase) is None and router.db_for_read(Showcase) is None


def test_the_column_read_by_an_unpinned_reader_goes_to_the_replica(replica):
    for path in (
        "/showcase/",
        "/showcase/?q=党建",
        "/showcase/some-article/",
        "/showcase/feed/",
        "/sitemap.xml",
        "/brands/",
        "/experts/",
    ):
        response, read = serve("GET", path)
        assert read == "replica", path
        assert pin_of(response) is None, path
    assert replica.attempts == 1  # one connection, kept


def test_everything_else_reads_the_primary(replica):
    for path in ("/track/", "/submit/", "/vote/some-call/", "/recommend/", "/experts/mine/"):
        assert serve("GET", path)[1] is None, path  # None: Django's default, the primary
    # A reader of the column reads the session and cache tables on the primary.
    seen = []
    read = serve("GET", "/showcase/", view=lambda router: seen.append(router.db_for_read(Session)))[1]
    assert read == "replica" and seen == [None]
    # Outside a request (a task, a command): the primary.
    assert dbrouter.ReplicaRouter(enabled=True).db_for_read(Showcase) is None
    assert replica.attempts == 1


def test_a_post_pins_the_client_to_the_primary_until_the_pin_expires(replica, monkeypatch):
    response = serve("POST", "/showcase/some-article/comment/")[0]
    pin = pin_of(response)
    assert pin is not None
    cookie = response.cookies[dbrouter.PIN_COOKIE]
    assert cookie["max-age"] == PIN_SECONDS and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert serve("GET", "/showcase/some-article/", cookies=pin)[1] is None
    assert serve("GET", "/showcase/", cookies=pin)[1] is None
    # The same cookie, kept by a client past its age, is refused by the server: the replica again.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + PIN_SECONDS + 1)
    assert serve("GET", "/showcase/", cookies=pin)[1] == "replica"


def test_pages_rendered_just_after_a_public_change_read_the_primary(replica, monkeypatch):
    """A replica a moment behind must not put the page before the change in the shared page cache."""
    dbrouter.changed()
    assert serve("GET", "/showcase/some-article/")[1] == "default"
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + PIN_SECONDS + 0.1)
    assert serve("GET", "/showcase/some-article/")[1] == "replica"


def test_a_forged_or_foreign_pin_is_ignored(replica):
    assert serve("GET", "/showcase/", cookies={dbrouter.PIN_COOKIE: "1"})[1] == "replica"
    other = signing.get_cookie_signer(salt=dbrouter.PIN_COOKIE + "another-salt").sign("1")
    assert serve("GET", "/showcase/", cookies={dbrouter.PIN_COOKIE: other})[1] == "replica"


def write_the_site_settings(_router):
    SiteSettings.objects.filter(pk=1).update(site_name="改过的名称")


def write_a_session(_router):
    Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())


@pytest.mark.django_db
def test_a_get_that_wrote_pins_and_the_reading_beacon_does_not(replica):
    SiteSettings.load()
    assert pin_of(serve("GET", "/track/", view=write_the_site_settings)[0]) is not None
    # A write of a table that is never read from the replica (a session) pins nobody.
    assert pin_of(serve("GET", "/showcase/", view=write_a_session)[0]) is None
    assert pin_of(serve("POST", "/showcase/some-article/read/", view=write_the_site_settings)[0]) is None


@pytest.mark.django_db
def test_a_get_that_only_asked_for_the_write_database_pins_nobody(replica, settings):
    """get_or_create reads on the write database (the site's settings, on a cold cache, on any page):
    a read, so the reader stays on the replica."""
    settings.DATABASE_ROUTERS = ["portal.dbrouter.ReplicaRouter"]
    SiteSettings.load()
    cache.clear()
    response, read = serve("GET", "/showcase/", view=lambda _router: SiteSettings.load())
    assert read == "replica" and pin_of(response) is None
    assert SiteSettings.objects.count() == 1


def test_writes_and_migrations_only_on_the_primary(replica):
    router = dbrouter.ReplicaRouter(enabled=True)
    seen = []
    for path in ("/showcase/", "/track/"):
        serve("GET", path, view=lambda router: seen.append(router.db_for_write(Showcase)))
    assert seen == ["default", "default"]
    assert router.db_for_write(Showcase, instance=Showcase()) == "default"
    assert router.allow_migrate("replica", "submissions") is False
    assert router.allow_migrate("default", "submissions") is None
    primary, copy = Showcase(), Showcase()
    primary._state.db, copy._state.db = "default", "replica"
    assert router.allow_relation(primary, copy) is True


def test_a_replica_that_refuses_connections_is_left_alone_for_a_while(replica, caplog, monkeypatch):
    replica.down = True
    with caplog.at_level("WARNING", logger="portal.replica"):
        for _ in range(5):
            assert serve("GET", "/showcase/")[1] == "default"
    assert replica.attempts == 1  # tried once, then left alone: no request waits on it
    warnings = [r for r in caplog.records if r.name == "portal.replica"]
    assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()
    # Back after REPLICA_RETRY_SECONDS: tried again, used, and said so.
    replica.down = False
    real_monotonic = time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real_monotonic() + RETRY_SECONDS + 0.1)
    with caplog.at_level("WARNING", logger="portal.replica"):
        assert serve("GET", "/showcase/")[1] == "replica"
    assert replica.attempts == 2
    assert "back" in caplog.records[-1].getMessage()


def test_a_replica_read_that_failed_with_the_replica_is_run_again_on_the_primary(replica, caplog):
    calls = []

    def view(router):
        calls.append(router.db_for_read(Showcase))

    request = RequestFactory().get("/showcase/")
    request.resolver_match = resolve("/showcase/")

    def again(request, *args, **kwargs):
        view(dbrouter.ReplicaRouter(enabled=True))
        return HttpResponse("again")

    request.resolver_match.func = again

    def get_response(request):
        middleware.process_view(request, request.resolver_match.func, (), {})
        view(dbrouter.ReplicaRouter(enabled=True))
        replica.down = True  # the replica went away under the query
        answer = middleware.process_exception(request, OperationalError("server closed the connection unexpectedly"))
        assert answer is not None
        return answer

    middleware = dbrouter.ReplicaMiddleware(get_response)
    with caplog.at_level("WARNING", logger="portal.replica"):
        response = middleware(request)
    assert response.content == b"again"
    assert calls == ["replica", None]  # None: Django's default, the primary
    assert replica.closed >= 1 and not dbrouter.health.available()


def test_an_error_of_the_primary_is_not_retried(replica):
    request = RequestFactory().get("/showcase/")
    request.resolver_match = resolve("/showcase/")

    def get_response(request):
        middleware.process_view(request, request.resolver_match.func, (), {})
        dbrouter.ReplicaRouter(enabled=True).db_for_read(Showcase)  # the replica used, and still fine
        return HttpResponse(repr(middleware.process_exception(request, OperationalError("primary gone"))))

    middleware = dbrouter.ReplicaMiddleware(get_response)
    assert middleware(request).content == b"None"
    assert dbrouter.health.available()
