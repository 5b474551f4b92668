"""The public column's reads from a read replica (REPLICA_DATABASE_URL); everything else from the primary.

With a replica configured (the database alias "replica", portal/settings.py), ReplicaMiddleware marks
a request as a *replica read* when all of these hold:

- it is a GET or HEAD of one of REPLICA_VIEWS: the column's list (and its search), article, print and
  poster pages, feed and sitemaps, the home page, the brand and expert public pages;
- the client is not pinned to the primary: a client that posted anything (any method but GET, HEAD,
  OPTIONS, TRACE), or whose request wrote a row of the portal's own tables (an INSERT, UPDATE or
  DELETE sent to the primary, WriteWatch; asking for the write database, as get_or_create does to
  read, is not a write), gets a signed cookie
  (PIN_COOKIE) good for REPLICA_PIN_SECONDS, and reads the primary while it holds one, so a
  submitter sees their own receipt and an editor who has just published sees the article;
- no public page changed in the last REPLICA_PIN_SECONDS (changed(), called where the public pages'
  cache version moves, submissions/platform/pagecache.py): a page rendered then reads the primary, so a
  replica a moment behind cannot put the page as it was before the change into the shared page cache
  under the new version (read once per request that renders, from the cache; a page served from
  the cache reads nothing);
- the replica is up: a connection error marks it down for REPLICA_RETRY_SECONDS (this process
  only), logged once, and reads go to the primary meanwhile; a replica read that fails because the
  replica went away (or a query cancelled by a conflict with recovery) is run again on the primary.

ReplicaRouter then sends that request's reads of the portal's models (REPLICA_APPS) to the replica;
sessions, the cache table, login throttling and the task queue stay on the primary, as every write
does (reading counts, 阅读量, included: the beacon is a POST that never pins, NO_PIN_VIEWS). Migrations
never run on the replica. Without a replica neither the router nor the middleware is installed:
nothing is added to any page.
"""

import contextvars
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, InterfaceError, OperationalError, connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "primary_pin"
PIN_SALT = "portal.dbrouter.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
READ_METHODS = frozenset({"GET", "HEAD"})
# The public read-only pages whose queries may go to the replica (URL names, namespaced).
REPLICA_VIEWS = frozenset(
    {
        "home",
        "showcase:list",  # the list and its search (?q=)
        "showcase:detail",
        "showcase:feed",
        "showcase:print",
        "showcase:poster",
        "showcase:poster-image",
        "sitemap",
        "sitemap-section",
        "brands:index",
        "brands:detail",
        "brands:of_article",
        "experts:index",
        "experts:detail",
    }
)
# Posts that do not pin the client: the reading beacon, posted by every article page a reader opens.
NO_PIN_VIEWS = frozenset({"showcase:read"})
# Apps whose tables a replica read may read there; any other (sessions, the cache table, axes, the
# task queue) is read from the primary, where it was just written.
REPLICA_APPS = frozenset({"submissions"})
# A statement that writes a row, and the table it writes (Django quotes table names on both engines).
WRITE_STATEMENT = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"(\w+)"', re.IGNORECASE)
# PostgreSQL's SQLSTATE for a standby query cancelled by a conflict with recovery (serialization_failure).
RECOVERY_CONFLICT = "40001"
# The time (time.time()) until which pages are rendered from the primary: the last public change's, plus REPLICA_PIN_SECONDS.
FRESH_KEY = "replica:primary-until"

log = logging.getLogger("portal.replica")


class _Request:
    """What the router knows of the request being served (one per request, in a context variable)."""

    __slots__ = ("checked", "no_pin", "replica", "used", "wrote")

    def __init__(self):
        self.replica = False  # this request's reads of REPLICA_APPS may go to the replica
        self.checked = False  # the replica's connection was checked in this request
        self.used = False  # a query was sent to the replica
        self.wrote = False  # a row of REPLICA_APPS' tables was written
        self.no_pin = False


_current = contextvars.ContextVar("portal_dbrouter_request", default=None)


def configured():
    return REPLICA in settings.DATABASES


class _Health:
    """Whether this process uses the replica: after a connection error, not for REPLICA_RETRY_SECONDS."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down = False

    def available(self):
        return not self.down or time.monotonic() >= self.down_until

    def failed(self, error):
        with self.lock:
            first = not self.down
            self.down = True
            self.down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        if first:
            log.warning(
                "Read replica unavailable, reading from the primary (next try in %s s): %s",
                settings.REPLICA_RETRY_SECONDS,
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
            )

    def succeeded(self):
        if self.down:
            with self.lock:
                was, self.down = self.down, False
            if was:
                log.warning("Read replica back: public pages read from it again.")


health = _Health()


def changed():
    """A public page changed: for REPLICA_PIN_SECONDS every process renders pages from the primary
    (the module's docstring). Nothing without a replica."""
    if configured():
        seconds = settings.REPLICA_PIN_SECONDS
        try:
            cache.set(FRESH_KEY, time.time() + seconds, timeout=seconds + 1)
        except Exception:  # the cache down: the page cache is bypassed anyway
            log.debug("could not record a public change for the replica router", exc_info=True)


def _just_changed():
    try:
        until = cache.get(FRESH_KEY)
    except Exception:  # the cache down: nothing is kept from this render either
        return False
    return until is not None and time.time() < until


def _replica_usable(state):
    """Whether the replica answers, checked once per request (a connection made, or the one kept
    passing Django's health check, which Django would run before the first query anyway), and
    whether its reads may be kept (no public change just now)."""
    if not state.checked:
        state.checked = True
        if not health.available() or _just_changed():
            state.replica = False
            return False
        connection = connections[REPLICA]
        try:
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            health.failed(error)
            _close_quietly(connection)
            state.replica = False
            return False
        health.succeeded()
    return state.replica


def _close_quietly(connection):
    try:
        connection.close()
    except DatabaseError:
        pass


class ReplicaRouter:
    """Reads of a replica read (see the module's docstring) from the replica; writes on the primary;
    migrations never on the replica. Returns None for what it does not decide (other routers, or
    Django's default: the primary)."""

    def __init__(self, enabled=None):
        self.enabled = configured() if enabled is None else enabled

    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None or not state.replica or model._meta.app_label not in REPLICA_APPS:
            return None
        if not _replica_usable(state):
            return PRIMARY
        state.used = True
        return REPLICA

    def db_for_write(self, model, **hints):
        if not self.enabled:
            return None
        return PRIMARY  # never the replica, even for an instance read from it

    def allow_relation(self, obj1, obj2, **hints):
        if self.enabled and {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True  # the same data: one is a copy of the other
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


class WriteWatch:
    """An execute wrapper on the primary's connection for one request: notes a statement that writes
    a table of REPLICA_APPS (which a replica read could read a moment later, stale)."""

    def __init__(self, state):
        self.state = state

    def __call__(self, execute, sql, params, many, context):
        if not self.state.wrote:
            match = WRITE_STATEMENT.match(sql)
            if match and match.group(1).split("_", 1)[0] in REPLICA_APPS:
                self.state.wrote = True
        return execute(sql, params, many, context)


def pinned(request):
    """Whether this client holds a valid pin to the primary (signed, and younger than REPLICA_PIN_SECONDS)."""
    if PIN_COOKIE not in request.COOKIES:
        return False
    return request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS) is not None


def pin(response):
    seconds = settings.REPLICA_PIN_SECONDS
    if seconds > 0:
        response.set_signed_cookie(
            PIN_COOKIE,
            "1",
            salt=PIN_SALT,
            max_age=seconds,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


class ReplicaMiddleware:
    """Marks replica reads and pins writers to the primary (the module's docstring). Not installed
    (MiddlewareNotUsed) when no replica is configured."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        state = _Request()
        token = _current.set(state)
        try:
            with connections[PRIMARY].execute_wrapper(WriteWatch(state)):
                response = self.get_response(request)
        finally:
            _current.reset(token)
        if (state.wrote or request.method not in SAFE_METHODS) and not state.no_pin:
            pin(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _current.get()
        name = request.resolver_match.view_name
        if name in NO_PIN_VIEWS:
            state.no_pin = True
        elif request.method in READ_METHODS and name in REPLICA_VIEWS and not pinned(request):
            state.replica = True
        return None

    def process_exception(self, request, exception):
        """A replica read that failed because of the replica: run the view again on the primary."""
        state = _current.get()
        if state is None or not state.used or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        connection = connections[REPLICA]
        if getattr(exception.__cause__, "pgcode", None) == RECOVERY_CONFLICT:
            log.info("A replica read was cancelled by a conflict with recovery; read again from the primary.")
        elif connection.connection is None or not connection.is_usable():
            health.failed(exception)
            _close_quietly(connection)
        else:
            return None  # the primary's error, or a query of its own: handled as any other
        state.replica = state.used = False
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
