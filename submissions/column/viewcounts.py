"""Reading counts (阅读量), counted without touching the shared page cache.

The article page is the same bytes for every reader (submissions.platform.pagecache), so it can carry
no token of the reader's own and counts nothing itself. static/js/article.js asks the beacon
(`/showcase/<slug>/read/`) for a token once the page is shown, then posts it back:

- GET answers the reader's CSRF token (setting the cookie) and a read token: signed, good for
  TOKEN_SECONDS, bound to the article's slug and the reader (a keyed hash of the address).
  Never cached (no-store), no database query. A read token is not a secret: a script can ask
  for one as a browser does; it makes a count cost two requests from the counted address, and
  with the rules below one address adds at most one reading per article per day.
- POST (Django's CSRF check, then read_token_ok) is counted by record(); a post without a valid
  token gets 403 and counts nothing, without a database query.

record() counts in the shared cache:
- not a bot (the user agent, BOT below), and not the same reader again: one count per reader
  per article per calendar day in TIME_ZONE (Beijing time: the day the editors' figures and
  the readers' habits go by; a reader who comes back each morning counts each day, which a
  24-hour window would miss when they come a little earlier), by cache.add of a key that lives
  until that day ends. The reader is the client address (abuse.client_ip) alone, not its user
  agent, so changing user agents adds nothing; for IPv6 its /64, which one household or phone
  holds whole. Readers behind one shared address (an office, a carrier's NAT) count as one;
- one address counts at most ADDRESS_LIMIT readings per ADDRESS_WINDOW, which also bounds the
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
import ipaddress
import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from submissions.models import Showcase, ShowcaseViews
from submissions.platform import abuse

FLUSH_AT = 100  # pending reads of one article that make the request flush it
ADDRESS_LIMIT, ADDRESS_WINDOW = 120, 600  # readings counted per client address per 10 minutes
SALT = "submissions.column.viewcounts.read"
TOKEN_SECONDS = 3600  # a read token is posted right after the page is shown; an hour is ample
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


def reader(request):
    """Who reads, for counting: the client's address; for IPv6 its /64 network."""
    address = abuse.client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def _reader_tag(request):
    return salted_hmac(SALT, reader(request)).hexdigest()[:20]


def read_token(request, slug):
    """The token the beacon posts back: signed, timed, for this article and this reader."""
    return signing.dumps([slug, _reader_tag(request)], salt=SALT)


def read_token_ok(request, slug, token):
    """True when `token` is read_token()'s for this article and reader, and not expired."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return False
    try:
        value = signing.loads(token, salt=SALT, max_age=TOKEN_SECONDS)
    except signing.BadSignature:  # also expired (SignatureExpired)
        return False
    return value == [slug, _reader_tag(request)]


def _seen_key(request, article_id, today):
    who = f"{settings.SECRET_KEY}|{reader(request)}|{article_id}|{today.isoformat()}"
    return SEEN + hashlib.sha256(who.encode()).hexdigest()[:32]


def _until_tomorrow(now):
    """Seconds from `now` (local time) to the start of the next day, plus a minute."""
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((tomorrow - now).total_seconds()) + 60


def record(request, article_id):
    """Count one reading of the article by this request's client; True if it counted."""
    if is_bot(request.META.get("HTTP_USER_AGENT", "")[:500]):
        return False
    if abuse.hit(request, "read", limit=ADDRESS_LIMIT, window=ADDRESS_WINDOW):
        return False  # one address sending many: not readers, and no more keys
    now = timezone.localtime()
    if not cache.add(_seen_key(request, article_id, now.date()), 1, _until_tomorrow(now)):
        return False  # read again the same day
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
        article_ids = list(Showcase.objects.live().values_list("pk", flat=True))
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
