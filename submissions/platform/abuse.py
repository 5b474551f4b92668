"""Guards against abuse of the public forms, without annoying people.

- a honeypot field that people never see and bots fill in;
- a minimum time between showing a form and posting it (a few seconds);
- a per-IP rate limit kept in the shared cache, so it holds across server processes, on the
  client's address as client_ip() reads it behind trusted proxies (strictly: a forwarded
  address that is not one is refused, never replaced by the proxy's).
Each refusal comes with a clear message in Chinese.
"""

import ipaddress
import logging
import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.env import number

log = logging.getLogger(__name__)

_SALT = "submissions.platform.abuse.started"
# The codes of GuardedForm's refusals: a post refused with one of these came from a bot (or a
# forged page), and nothing it carried is kept.
BOT_CODES = frozenset({"trap", "expired", "too_fast"})
# The client of a request whose forwarded address is missing or not an address (client_ip):
# one shared bucket for rate limits, quotas and the login throttle, that no real client is in
# (0.0.0.0 is never a connection's source) and that the login log's address column (an inet
# on PostgreSQL) still takes. Sending garbage only puts a client in with every other such request.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 (an address to count by, not one to bind to)
# "[2001:db8::1]", "[2001:db8::1]:443", "192.0.2.1:443": the address without its brackets or port.
_WITH_PORT = re.compile(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](:\d{1,5})?|(?P<v4>[\d.]+):\d{1,5}")
_WARN_EVERY = 60
_warned_at = -_WARN_EVERY


def client_ip(request):
    """The client's address. Without PROXY_COUNT: the connecting peer (REMOTE_ADDR), and any
    X-Forwarded-For is ignored. Behind PROXY_COUNT = n trusted proxies: the n-th entry of
    X-Forwarded-For counted from the right, the address the outermost trusted proxy saw connect
    (entries further left are the client's own and may be forged). That entry must be an
    address: plain (what nginx's $proxy_add_x_forwarded_for writes), an IPv6 address in
    brackets, or either with a port, which is dropped; IPv4-mapped IPv6 counts as the IPv4, and
    IPv6 is written in its short form (one address, one bucket).
    A header that is missing, too short, or has anything else at that place gives
    UNKNOWN_CLIENT, never REMOTE_ADDR: that is the proxy's own address, shared by every client
    behind it and often trusted (METRICS_ALLOWED_IPS)."""
    proxies = number("PROXY_COUNT", 0)
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR", "")
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", proxies)
    address = _address(hops[-proxies]) if len(hops) >= proxies else None
    if address is None:
        _warn_unknown(request, proxies)
        return UNKNOWN_CLIENT
    return address


def _address(entry):
    """The address in one X-Forwarded-For entry (normalised), or None when it is not one."""
    text = entry.strip()
    if len(text) > 60:  # the longest address in brackets with a port is 55 characters
        return None
    match = _WITH_PORT.fullmatch(text)
    if match:
        text = match.group("v6") or match.group("v4")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if match and address.version != (6 if match.group("v6") else 4):
        return None  # brackets are for IPv6 only
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_unspecified or getattr(address, "scope_id", None):
        return None  # never a remote connection's source (and 0.0.0.0 is UNKNOWN_CLIENT itself)
    return str(address)


def _warn_unknown(request, proxies):
    """Log a request without a usable forwarded address, at most once a minute per process."""
    global _warned_at
    now = time.monotonic()
    if now - _warned_at < _WARN_EVERY:
        return
    _warned_at = now
    log.warning(
        "X-Forwarded-For has no client address at position %s from the right (PROXY_COUNT): %r from %s; "
        "counted as %s (further ones not logged for %s s)",
        proxies,
        request.META.get("HTTP_X_FORWARDED_FOR", "")[:200],
        request.META.get("REMOTE_ADDR", ""),
        UNKNOWN_CLIENT,
        _WARN_EVERY,
    )


def login_username(request, credentials=None):
    """The user name tried at a login, as django-axes records it: cut to the length of a user
    name, so that a megabyte typed into the field is refused as a failed login, not a 500."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "POST", {}).get("username")
    return name[:150] if isinstance(name, str) else name


def hit(request, scope, *, limit, window):
    """Count one action of this client in `scope`; True when it is over `limit` per `window` seconds.
    A limit of 0 (or less) is no limit: nothing is counted."""
    if limit <= 0:
        return False
    bucket = int(time.time() // window)
    key = f"rate:{scope}:{client_ip(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            count = 1
    return count > limit


def take_bytes(client, scope, size, *, limit, window):
    """Count `size` bytes against this client's allowance in `scope` (the shared cache, per
    `window` seconds); False, counting nothing, when they would go over `limit`. 0: no limit."""
    if limit <= 0 or size <= 0:
        return True
    bucket = int(time.time() // window)
    key = f"bytes:{scope}:{client}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        total = cache.incr(key, size)
    except ValueError:  # expired between add and incr
        cache.add(key, size, timeout=window + 5)
        total = size
    if total > limit:
        try:
            cache.decr(key, size)
        except ValueError:
            pass
        return False
    return True


def rate_limit_message(window):
    minutes = max(1, window // 60)
    return _("提交过于频繁，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}


def stamp():
    """The signed time a form is shown at (its `started` field)."""
    return signing.dumps(time.time(), salt=_SALT)


class HiddenTrapInput(forms.TextInput):
    """A text input people never see (hidden by CSS class, skipped by keyboard and screen readers)."""

    def __init__(self):
        super().__init__(attrs={"class": "portal-trap", "tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"})


class GuardedForm(forms.Form):
    """Mixin fields and checks: honeypot and minimum fill time. Use with forms.Form or ModelForm."""

    website = forms.CharField(label=gettext_lazy("网址（请勿填写）"), required=False, widget=HiddenTrapInput())
    started = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = stamp()

    def refused_as_bot(self):
        """True when the honeypot, the fill time or the page's stamp refused this post."""
        if not self.is_bound or not self.errors:
            return False
        return any(error.code in BOT_CODES for error in self.errors.as_data().get(NON_FIELD_ERRORS, []))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("提交未成功，请刷新页面后重试。"), code="trap")
        try:
            started = signing.loads(cleaned.get("started") or "", salt=_SALT, max_age=2 * 24 * 3600)
        except signing.BadSignature:
            raise forms.ValidationError(_("页面已过期，请刷新页面后重试（已填写的内容会保留）。"), code="expired")
        if time.time() - float(started) < settings.FORM_MIN_SECONDS:
            raise forms.ValidationError(_("提交太快了，请检查填写内容后再提交。"), code="too_fast")
        return cleaned
