"""The public column's page cache: rendered article and list pages, under one version key.

Every change that can affect a public page (an article or its parts saved, an article's state
moved, a comment approved or withdrawn, the site settings saved) bumps the version, so every
cached page is stale at once and the next reader gets a fresh one. The bump happens at once
and again after the transaction commits, so a page rendered from the old data meanwhile is
not kept either.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

VERSION_KEY = "showcase-pages:version"
TIMEOUT = 600  # seconds a page is kept even when nothing changes


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
