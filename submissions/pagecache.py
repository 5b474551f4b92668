"""The public column's page cache: rendered article and list pages, under one version key.

Two levels: the parts of a page (get_or_render: title, head, body), and the whole HTML of a
page as an anonymous reader gets it (whole_page). A whole page is rendered once with
placeholders for what is each reader's own (the CSRF token, the comment form's `started`
stamp), which are put in per request: a cached page costs two cache reads and a string
replace, not a template render. Readers with something of their own (a session, a message
waiting, an unknown query parameter) get a page rendered for them from the cached parts.

Every change that can affect a public page (an article or its parts saved, an article's state
moved, a comment approved or withdrawn, the site settings saved) bumps the version, so every
cached page is stale at once and the next reader gets a fresh one. The bump happens at once
and again after the transaction commits, so a page rendered from the old data meanwhile is
not kept either.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "showcase-pages:version"
TIMEOUT = 600  # seconds a page is kept even when nothing changes
# Stand-ins in a shared whole page for what each reader gets their own of (never a real value:
# CSRF tokens are 64 letters and digits, stamps are signed).
CSRF_PLACEHOLDER = "reader-csrf-token-placeholder"
STARTED_PLACEHOLDER = "reader-form-started-placeholder"


def version():
    value = cache.get(VERSION_KEY)
    if value is None:
        # A fresh start (or an evicted key) begins above any version used before.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        value = cache.get(VERSION_KEY)
    return value


def _bump_now():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


def bump():
    """Make every cached page stale, now and once the current transaction commits."""
    _bump_now()
    transaction.on_commit(_bump_now)


def key(*parts):
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"showcase-page:{version()}:{digest}"


def get_or_render(parts, render):
    """The cached value under `parts`, else render() (which may raise Http404), stored."""
    page_key = key(*parts)
    value = cache.get(page_key)
    if value is None:
        value = render()
        cache.set(page_key, value, TIMEOUT)
    return value


def shared(request, query=()):
    """Whether this GET may be answered with the page every anonymous reader gets."""
    return (
        request.method == "GET"
        and not set(request.GET) - set(query)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def whole_page(request, parts, render, *, query=()):
    """The whole page under `parts`: render(True) renders it with the placeholders (kept in the
    cache), render(False) for this reader alone. `query`: the GET parameters that are in `parts`.
    The page is kept with the version it was rendered at, so one cache round trip (the version
    and the page together) tells whether it is still good."""
    if not shared(request, query):
        return render(False)
    page_key = "showcase-whole:" + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    found = cache.get_many([VERSION_KEY, page_key])
    current = found.get(VERSION_KEY)
    kept = found.get(page_key)
    if current is not None and kept is not None and kept[0] == current:
        html = kept[1]
    else:
        current = version()  # read before rendering: a change meanwhile makes this page stale at once
        html = render(True).content.decode()
        cache.set(page_key, (current, html), TIMEOUT)
    html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if STARTED_PLACEHOLDER in html:
        from submissions import abuse

        html = html.replace(STARTED_PLACEHOLDER, abuse.stamp())
    return HttpResponse(html)


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
