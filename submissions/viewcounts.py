"""Reading counts (阅读量), counted without touching the shared page cache.

The article page is the same bytes for every reader (submissions.pagecache), so it cannot count
anything itself. static/js/article.js sends one small POST (`/showcase/<slug>/read/`) once the
page is shown; record() counts it in the shared cache:

- not a bot (the user agent, BOT below), and not the same reader again: one count per client
  (a hash of its address and user agent) per article per REPEAT_SECONDS (cache.add of a key);
  one address counts at most ADDRESS_LIMIT readings per ADDRESS_WINDOW, which also bounds the
  keys a client can make;
- the count is an atomic cache.incr of the article's pending counter;
- flush() moves every pending counter into the database (ShowcaseViews.count += n), taking
  exactly what it read (cache.decr), so counts made meanwhile stay for the next flush. It is a
  plain function for the task queue to run every minute or so (`flush_views` command meanwhile);
  an article whose pending count reaches FLUSH_AT is flushed at once by the request that did it.

The count shown (article page, admin list) is the database's: it lags by a flush and, on the
cached page, by the page's life in the cache. Losing the cache loses only the counts not yet
flushed.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from submissions import abuse
from submissions.abuse import client_ip
from submissions.models import Showcase, ShowcaseViews

REPEAT_SECONDS = 30 * 60  # one count per client per article per half hour
FLUSH_AT = 100  # pending reads of one article that make the request flush it
ADDRESS_LIMIT, ADDRESS_WINDOW = 120, 600  # readings counted per client address per 10 minutes
PENDING = "views:pending:"
SEEN = "views:seen:"
BOT = re.compile(
    r"bot|spider|crawl|slurp|fetch|preview|monitor|headless|phantom|curl|wget|python|java/|go-http|okhttp|httpclient"
    r"|scrapy|facebookexternalhit|bingpreview|lighthouse|pagespeed|^$",
    re.IGNORECASE,
)
CHUNK = 1000  # counters read per cache round trip when flushing


def is_bot(user_agent):
    return bool(BOT.search(user_agent or ""))


def _seen_key(request, article_id):
    who = f"{settings.SECRET_KEY}|{client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}|{article_id}"
    return SEEN + hashlib.sha256(who.encode()).hexdigest()[:32]


def record(request, article_id):
    """Count one reading of the article by this request's client; True if it counted."""
    if is_bot(request.META.get("HTTP_USER_AGENT", "")[:500]):
        return False
    if abuse.hit(request, "read", limit=ADDRESS_LIMIT, window=ADDRESS_WINDOW):
        return False  # one address sending many (changing its user agent): not readers, and no more keys
    if not cache.add(_seen_key(request, article_id), 1, REPEAT_SECONDS):
        return False  # read again within the window
    key = PENDING + str(article_id)
    cache.add(key, 0, timeout=None)
    try:
        pending = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)
        pending = 1
    if pending >= FLUSH_AT:
        flush([article_id])
    return True


def _take(found):
    """Take the counts read (decr by exactly that much); {article_id: n}."""
    taken = {}
    for key, value in found.items():
        if not value:
            continue
        try:
            cache.decr(key, value)
        except ValueError:
            continue  # gone meanwhile (flushed by another process): nothing to take
        taken[int(key.removeprefix(PENDING))] = value
    return taken


def _write(taken):
    with transaction.atomic():
        ShowcaseViews.objects.bulk_create([ShowcaseViews(showcase_id=pk) for pk in taken], ignore_conflicts=True)
        for pk, value in taken.items():
            ShowcaseViews.objects.filter(showcase_id=pk).update(count=F("count") + value)


def flush(article_ids=None):
    """Write the pending counts to the database; returns how many readings were written.
    `article_ids`: only those (default: every published article)."""
    if article_ids is None:
        article_ids = list(Showcase.objects.filter(state=Showcase.State.PUBLISHED).values_list("pk", flat=True))
    written = 0
    for start in range(0, len(article_ids), CHUNK):
        keys = [PENDING + str(pk) for pk in article_ids[start : start + CHUNK]]
        taken = _take(cache.get_many(keys))
        if taken:
            existing = set(Showcase.objects.filter(pk__in=taken).values_list("pk", flat=True))
            taken = {pk: n for pk, n in taken.items() if pk in existing}
            _write(taken)
            written += sum(taken.values())
    return written


def count_of(article):
    """The article's stored count (0 before its first flush); `views` should be select_related."""
    try:
        return article.views.count
    except ShowcaseViews.DoesNotExist:
        return 0


def current(article_id):
    """The stored count plus what is pending in the cache (what the beacon answers)."""
    stored = ShowcaseViews.objects.filter(showcase_id=article_id).values_list("count", flat=True).first() or 0
    return stored + (cache.get(PENDING + str(article_id)) or 0)
