"""The public column's page cache: rendered article and list pages, under one version key.

Two levels: the parts of a page (get_or_render: title, head, body), and the whole page as an
anonymous reader gets it (whole_page). A whole page holds nothing of any one reader's: its
comment form fetches its CSRF token and `started` stamp from /form-token/ when the reader
starts to write (static/js/article.js), and the language switch needs no token. So every
anonymous reader gets the same bytes, and a page served again costs a dictionary lookup:

- each process keeps its newest pages in memory (LocalPages), trusted for
  PAGE_CACHE_LOCAL_SECONDS (default 1) after it last read the shared version, and answers
  them from CachedPageMiddleware, the innermost middleware: every other middleware runs as for
  any page (security headers, CSP, language), only URL resolution and the view are skipped;
- past that, one round trip to the shared cache reads the version and the page together;
- only a page that is missing or older than the version is rendered again.

A page is also kept gzipped, made once when it is rendered: a reader whose browser accepts gzip
(every phone) gets those bytes, so the proxy in front does not compress the same page again for
every request. With no reader's token in it, a shared page has no secret for compression to leak.

Readers with something of their own (a session, a message waiting, an unknown query
parameter) get a page rendered for them from the cached parts, with their token in place.

Every change that can affect a public page (an article or its parts saved, an article put on or
taken off the column: the workflow's "cache" effect, a comment approved or withdrawn, the site
settings, a campaign or a city saved) bumps the version: in the process that made the change at once, in the others within
PAGE_CACHE_LOCAL_SECONDS. The bump happens at once and again after the transaction commits, so
a page rendered from the old data meanwhile is not kept either. A bump does not make every
reader's next page cold at once: for each page one process renders it again while the others
serve the page before for that moment (versioned(): stale while revalidating, under a lock per
page and version); an editor (who has a session) always gets the page rendered for them.

Keys hold only the cleaned values of the parameters a page uses (PAGE_PARAMETERS,
submissions/column/listquery.py): share and tracking parameters are ignored, and a value not offered
is redirected by the view, so no request can add a page to the cache that no reader would see.
The home page, the call page and the 404 page are cached the same way; a page that shows
whether a call is open is good only until a call opens or closes (pagecache_until). The 404
page is one copy per language and section whatever the path; the addresses it answered lately
(without a query string, at most MISSING_LIMIT) are kept apart, so the same missing address
asked again is answered by CachedPageMiddleware too and a path scan never pushes out the
column's pages (LocalPages.missing).
"""

import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from portal import dbrouter
from submissions.models import (
    Campaign,
    Comment,
    Region,
    RelatedLink,
    Showcase,
    ShowcasePhoto,
    ShowcaseSection,
    SiteSettings,
    Video,
)

VERSION_KEY = "showcase-pages:version"
TIMEOUT = 600  # seconds a page is kept in the shared cache even when nothing changes
RENDER_SECONDS = 30  # the longest one process may take to render a page again while others serve the one before
LOCAL_LIMIT = 128  # whole pages a process keeps in memory (the newest used)
MISSING_LIMIT = 256  # addresses of the 404 page a process answers before resolving them
# In the context of a shared page: `{% csrf_token %}` renders nothing (the form fetches its own).
NO_TOKEN = {"csrf_token": ""}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip reads Accept-Encoding
# Every GET parameter a cached page uses (the list's filters and page), in key order. Any other
# parameter is ignored by every cached page and never reaches a key (known_query).
PAGE_PARAMETERS = ("kind", "page", "q", "region", "year")


class LocalPages:
    """This process's copy of the newest whole pages, each kept with the version it was rendered
    at, and trusted only while the shared version was read less than `seconds` ago.

    `missing`: the exact requests answered with a page kept under a shared key (the 404 page:
    one copy per language and section), so that the same missing address asked for again (a
    broken link followed from a shared post, a bot's usual probe) is answered before URL
    resolution like any kept page. A flood of random paths churns only that list, of its own
    size, never the column's pages. Only an address without a query string: a view may answer
    404 or not by a parameter no cached page uses (the media view's `t`, a submitter's link)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages = OrderedDict()  # key -> (body, gzipped body), all of `self.version`
        self.missing = OrderedDict()  # the same, for addresses of the 404 page
        self.version = None
        self.until = 0.0

    def get(self, key, *, missing=False):
        with self.lock:
            if time.monotonic() >= self.until:
                return None
            kept = self.missing if missing else self.pages
            body = kept.get(key)
            if body is not None:
                kept.move_to_end(key)
            return body

    def keep(self, key, version, body):
        """`body` (the page and its gzipped bytes) is the page at `version`, the shared version just read."""
        seconds = settings.PAGE_CACHE_LOCAL_SECONDS
        with self.lock:
            if version != self.version:
                self.pages.clear()
                self.missing.clear()
                self.version = version
            if seconds <= 0:
                return
            self.until = time.monotonic() + seconds
            self._add(self.pages, key, body, LOCAL_LIMIT)

    def remember(self, key, body):
        """A missing address `key` was answered with `body`, a page of the current version."""
        with self.lock:
            if time.monotonic() < self.until:
                self._add(self.missing, key, body, MISSING_LIMIT)

    @staticmethod
    def _add(kept, key, body, limit):
        kept[key] = body
        kept.move_to_end(key)
        while len(kept) > limit:
            kept.popitem(last=False)

    def forget(self):
        with self.lock:
            self.pages.clear()
            self.missing.clear()
            self.version = None
            self.until = 0.0


local_pages = LocalPages()


def version():
    value = cache.get(VERSION_KEY)
    if value is None:
        # A fresh start (or an evicted key) begins above any version used before.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        value = cache.get(VERSION_KEY)
    return value


def _bump_now():
    local_pages.forget()
    dbrouter.changed()  # with a read replica: pages are rendered from the primary until it has caught up
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


def bump():
    """Make every cached page stale, now and once the current transaction commits."""
    _bump_now()
    transaction.on_commit(_bump_now)


def _digest(parts):
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def key(*parts):
    return f"showcase-page:{version()}:{_digest(parts)}"


def get_or_render(parts, render, *, keep=None):
    """The cached value under `parts`, else render() (which may raise Http404), stored unless
    keep(value) says no."""
    page_key = key(*parts)
    value = cache.get(page_key)
    if value is None:
        value = render()
        if keep is None or keep(value):
            cache.set(page_key, value, TIMEOUT)
    return value


def anonymous(request):
    """A GET (or HEAD) from a reader with nothing of their own: no session, no message waiting."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and dbrouter.PIN_COOKIE not in request.COOKIES  # a writer reads their own change, not a shared page
    )


def shared(request):
    """Whether this request may be answered with the page every anonymous reader gets. Any query
    parameter a page does not use (WeChat's from, isappinstalled, scene, utm_*, a bot's junk) is
    ignored: it neither gives the reader a page of their own nor reaches a cache key."""
    return anonymous(request)


def known_query(data):
    """The query string of the PAGE_PARAMETERS in `data` (a QueryDict or dict) that have a value,
    in one fixed order: the same request spelt with other parameters, or in another order, gets
    the same string. A view's canonical query is this of its cleaned values."""
    return urlencode([(name, data.get(name)) for name in PAGE_PARAMETERS if data.get(name)])


def _reader_key(request, query=None):
    """This process's key of a page: the path, the page parameters (known_query; the view passes
    its canonical one) and the language it is read in."""
    if query is None:
        query = known_query(request.GET) if request.META.get("QUERY_STRING") else ""
    return (request.path, query, get_language())


def versioned(parts, compute, *, keep=None, fresh=None, serve_stale=True):
    """The value under `parts` as of the current version, with that version, in one shared-cache
    round trip: (version, value). compute() makes it again when it is missing or stale; it is
    stored unless keep(value) says no. fresh(value) False: stale whatever its version.

    After a change (the version moved) one process renders the value again while the others go
    on serving the one before for as long as that render takes (stale while revalidating, under
    a lock per value and version): a change does not make every reader's next page cold at
    once. A render that fails (Http404: the article was taken down) removes the old value.
    serve_stale=False: never the value before (a form whose choices must be current)."""
    return _versioned(parts, compute, keep=keep, fresh=fresh, serve_stale=serve_stale)[:2]


def _versioned(parts, compute, *, keep=None, fresh=None, serve_stale=True):
    page_key = "showcase-versioned:" + _digest(parts)
    found = cache.get_many([VERSION_KEY, page_key])
    current, kept = found.get(VERSION_KEY), found.get(page_key)
    usable = kept is not None and (fresh is None or fresh(kept[1]))
    if usable and current is not None:
        if kept[0] == current:
            return current, kept[1], False
        if serve_stale and not cache.add(f"{page_key}:rendering:{current}", 1, RENDER_SECONDS):
            return kept[0], kept[1], True  # another process is rendering it: the page before meanwhile
    current = version()  # read before computing: a change meanwhile makes this value stale at once
    try:
        value = compute()
    except BaseException:
        if kept is not None:
            cache.delete(page_key)
        raise
    if keep is None or keep(value):
        cache.set(page_key, (current, value), TIMEOUT)
    return current, value, False


def whole_page(request, parts, render, *, query="", path=None, status=200, local=True, local_key=None):
    """The whole page under `parts`: render(True) renders the page every anonymous reader
    shares (with NO_TOKEN in its context), render(False) a page for this reader alone.
    `query`: the page's canonical query string (known_query of its cleaned parameters), which
    `parts` stand for. A page is kept with the version it was rendered at, so one shared-cache
    round trip (the version and the page together) tells whether it is still good. This process
    keeps it too (unless `local` is False), for CachedPageMiddleware to answer the same request
    next time (it has already looked there when the view is called). A shared page is rendered
    with request.canonical_path (`path`, default the request's, and `query`), so nothing of the
    first reader's URL is kept in it. A response with `pagecache_keep = False` is served but not
    stored; one with `pagecache_until` (a time.time()) is good until then only. `local_key`:
    keep this process's copy under that key instead of the request's (one copy for any path:
    the 404 page), looked up here since CachedPageMiddleware cannot know it."""
    if not shared(request):
        return render(False)
    if local_key is not None:
        body = local_pages.get(local_key)
        if body is not None:
            _remember_missing(request, query, body)
            return _respond(request, *body)
    request.canonical_path = (path or request.path) + (f"?{query}" if query else "")

    def rendered():
        response = render(True)
        if not getattr(response, "pagecache_keep", True):
            raise _NotKept(response)
        html = response.content
        return html, gzip.compress(html, compresslevel=6, mtime=0), getattr(response, "pagecache_until", None)

    def fresh(value):
        return value[2] is None or time.time() < value[2]

    try:
        current, (html, packed, _until), stale = _versioned(("whole", *parts), rendered, fresh=fresh)
    except _NotKept as refused:
        return refused.response
    if local and not stale:
        local_pages.keep(local_key or _reader_key(request, query), current, (html, packed, status))
        if local_key is not None:  # and the address it was asked for (LocalPages.missing)
            _remember_missing(request, query, (html, packed, status))
    return _respond(request, html, packed, status)


def _remember_missing(request, query, body):
    if not request.META.get("QUERY_STRING"):
        local_pages.remember(_reader_key(request, query), body)


def _missing(request, key):
    return None if request.META.get("QUERY_STRING") else local_pages.get(key, missing=True)


class _NotKept(Exception):
    def __init__(self, response):
        self.response = response


def _respond(request, html, packed, status=200):
    if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(packed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(html, status=status)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class CachedPageMiddleware:
    """The innermost middleware: a page this process keeps for this very request (rendered by
    whole_page for an earlier reader) is answered without resolving the URL or calling the view.
    The middleware outside it run as for any response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if anonymous(request):
            key = _reader_key(request)
            body = local_pages.get(key) or _missing(request, key)
            if body is not None:
                return _respond(request, *body)
        return self.get_response(request)


def _connect():
    for model in (Showcase, ShowcaseSection, ShowcasePhoto, RelatedLink, SiteSettings, Region, Campaign, Video):
        receiver([post_save, post_delete], sender=model, dispatch_uid=f"pagecache-{model.__name__}")(_changed)

    # weak=False: these receivers are local functions; held weakly they were collected as soon
    # as _connect returned, and a comment's approval never bumped the version. An article's
    # move is not here: it is an effect of the workflow (submissions.workflow.effects, "cache").

    @receiver(post_save, sender=Comment, dispatch_uid="pagecache-comment-save", weak=False)
    def _comment_saved(sender, instance, created, **kwargs):
        # A new pending comment is not shown, so it does not make pages stale (spam cannot flush the cache).
        if not created or instance.state == Comment.State.APPROVED:
            bump()

    @receiver(post_delete, sender=Comment, dispatch_uid="pagecache-comment-delete", weak=False)
    def _comment_deleted(sender, instance, **kwargs):
        if instance.state == Comment.State.APPROVED:
            bump()


def _changed(sender, **kwargs):
    bump()
