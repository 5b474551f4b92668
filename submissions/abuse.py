"""Guards against abuse of the public forms, without annoying people.

- a honeypot field that people never see and bots fill in;
- a minimum time between showing a form and posting it (a few seconds);
- a per-IP rate limit kept in the shared cache, so it holds across server processes.
Each refusal comes with a clear message in Chinese.
"""

import ipaddress
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_SALT = "submissions.abuse.started"
# The codes of GuardedForm's refusals: a post refused with one of these came from a bot (or a
# forged page), and nothing it carried is kept.
BOT_CODES = frozenset({"trap", "expired", "too_fast"})


def client_ip(request):
    """The client's address; behind PROXY_COUNT trusted proxies, taken from X-Forwarded-For."""
    from portal.env import number

    proxies = number("PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies and _is_ip(hops[-proxies]):
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


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
