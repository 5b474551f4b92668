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

Every change that can affect a public page (an article or its parts saved, an article's state
moved, a comment approved or withdrawn, the site settings saved) bumps the version, so every
cached page is stale at once: in the process that made the change at once, in the others
within PAGE_CACHE_LOCAL_SECONDS. The bump happens at once and again after the transaction
commits, so a page rendered from the old data meanwhile is not kept either.
"""

import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "showcase-pages:version"
TIMEOUT = 600  # seconds a page is kept in the shared cache even when nothing changes
LOCAL_LIMIT = 128  # whole pages a process keeps in memory (the newest used)
# In the context of a shared page: `{% csrf_token %}` renders nothing (the form fetches its own).
NO_TOKEN = {"csrf_token": ""}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip reads Accept-Encoding


class LocalPages:
    """This process's copy of the newest whole pages, each kept with the version it was rendered
    at, and trusted only while the shared version was read less than `seconds` ago."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages = OrderedDict()  # key -> (body, gzipped body), all of `self.version`
        self.version = None
        self.until = 0.0

    def get(self, key):
        with self.lock:
            if time.monotonic() >= self.until:
                return None
            body = self.pages.get(key)
            if body is not None:
                self.pages.move_to_end(key)
            return body

    def keep(self, key, version, body):
        """`body` (the page and its gzipped bytes) is the page at `version`, the shared version just read."""
        seconds = settings.PAGE_CACHE_LOCAL_SECONDS
        with self.lock:
            if version != self.version:
                self.pages.clear()
                self.version = version
            if seconds <= 0:
                return
            self.until = time.monotonic() + seconds
            self.pages[key] = body
            self.pages.move_to_end(key)
            while len(self.pages) > LOCAL_LIMIT:
                self.pages.popitem(last=False)

    def forget(self):
        with self.lock:
            self.pages.clear()
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


def get_or_render(parts, render):
    """The cached value under `parts`, else render() (which may raise Http404), stored."""
    page_key = key(*parts)
    value = cache.get(page_key)
    if value is None:
        value = render()
        cache.set(page_key, value, TIMEOUT)
    return value


def anonymous(request):
    """A GET (or HEAD) from a reader with nothing of their own: no session, no message waiting."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def shared(request, query=()):
    """Whether this request may be answered with the page every anonymous reader gets."""
    return anonymous(request) and not set(request.GET) - set(query)


def _reader_key(request):
    """This process's key of a page: the request exactly as sent (another spelling of the same
    query is another key, and reaches the view) and the language it is read in."""
    return (request.path, request.META.get("QUERY_STRING", ""), get_language())


def whole_page(request, parts, render, *, query=()):
    """The whole page under `parts`: render(True) renders the page every anonymous reader
    shares (with NO_TOKEN in its context), render(False) a page for this reader alone.
    `query`: the GET parameters that are in `parts`. A page is kept with the version it was
    rendered at, so one shared-cache round trip (the version and the page together) tells
    whether it is still good. This process keeps it too, for CachedPageMiddleware to answer the
    same request next time (it has already looked there when the view is called)."""
    if not shared(request, query):
        return render(False)
    page_key = "showcase-whole:v2:" + _digest(parts)  # v2: (page, gzipped page)
    found = cache.get_many([VERSION_KEY, page_key])
    current, kept = found.get(VERSION_KEY), found.get(page_key)
    if current is None or kept is None or kept[0] != current:
        current = version()  # read before rendering: a change meanwhile makes this page stale at once
        html = render(True).content
        kept = (current, (html, gzip.compress(html, compresslevel=6, mtime=0)))
        cache.set(page_key, kept, TIMEOUT)
    local_pages.keep(_reader_key(request), current, kept[1])
    return _respond(request, *kept[1])


def _respond(request, html, packed):
    if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(packed)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(html)
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
            body = local_pages.get(_reader_key(request))
            if body is not None:
                return _respond(request, *body)
        return self.get_response(request)


def _connect():
    from submissions.models import Comment, RelatedLink, Showcase, ShowcasePhoto, ShowcaseSection, SiteSettings, StatusChange

    for model in (Showcase, ShowcaseSection, ShowcasePhoto, RelatedLink, SiteSettings):
        receiver([post_save, post_delete], sender=model, dispatch_uid=f"pagecache-{model.__name__}")(_changed)

    @receiver(post_save, sender=Comment, dispatch_uid="pagecache-comment-save")
    def _comment_saved(sender, instance, created, **kwargs):
        # A new pending comment is not shown, so it does not make pages stale (spam cannot flush the cache).
        if not created or instance.state == Comment.State.APPROVED:
            bump()

    @receiver(post_delete, sender=Comment, dispatch_uid="pagecache-comment-delete")
    def _comment_deleted(sender, instance, **kwargs):
        if instance.state == Comment.State.APPROVED:
            bump()

    @receiver(post_save, sender=StatusChange, dispatch_uid="pagecache-article-moved")
    def _moved(sender, instance, created, **kwargs):
        # workflow.transition() records every article move here; the state itself is written by update().
        if created and instance.showcase_id:
            bump()


def _changed(sender, **kwargs):
    bump()
