"""The vote's public pages: the board (/vote/<campaign>/), the voter's confirmation, casting a vote.

The board is the same for every reader without a session and is served from the page cache like
the column (platform/pagecache.py), good for a minute: its counts come from the counter the
periodic task refreshes every minute (vote/tasks.py), so a viral moment costs a cache lookup per
reader. A confirmed voter (who has a session) gets it rendered for them, with the vote buttons and
their CSRF token, from the same one-query board. The confirmation and the vote are each person's
own and never cached.
"""

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from submissions.platform import abuse, pagecache
from submissions.vote import selectors, services
from submissions.vote.forms import CodeForm, PhoneForm

WINDOW = 3600
CODES_PER_HOUR = 20  # codes asked for, per address
VOTES_PER_HOUR = 60  # votes cast, per address
REFRESH_SECONDS = 60  # the board's counts are as old as this at most (plus the counter's minute)
DEVICE_COOKIE = "vote_device"
VOTER = "vote_voter"  # session keys: the confirmed voter's hash, the last four digits shown, the number waiting for its code
VOTER_TAIL = "vote_voter_tail"
PENDING = "vote_phone"


def _limit(name, default):
    return getattr(settings, name, default)


def board(request, slug):
    def render_page(shared):
        vote_settings = selectors.vote_settings(slug)
        if vote_settings is None:
            raise Http404
        now = time.time()
        context = {
            "vote": vote_settings,
            "campaign": vote_settings.campaign,
            "entries": selectors.board(vote_settings),
            "is_open": services.is_open(vote_settings),
            "not_started": now < vote_settings.opens_at.timestamp(),
            "voter_tail": None if shared else request.session.get(VOTER_TAIL),
            **(pagecache.NO_TOKEN if shared else {}),
        }
        response = render(request, "vote/board.html", context)
        changes = [t.timestamp() for t in (vote_settings.opens_at, vote_settings.closes_at) if t.timestamp() > now]
        response.pagecache_until = min([now + REFRESH_SECONDS, *changes])
        return response

    return pagecache.whole_page(request, ("vote", get_language(), slug), render_page)


def _device(request, response):
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@never_cache
def voter(request, slug):
    """Confirm a mobile number: send a code to it, then check the code; the voter is then kept in the session."""
    vote_settings = selectors.vote_settings(slug)
    if vote_settings is None:
        raise Http404
    phone_form, code_form, status = PhoneForm(), CodeForm(), 200
    action = request.POST.get("action")
    if request.method == "POST" and action == "send":
        phone_form = PhoneForm(request.POST)
        if not phone_form.is_valid():
            status = 400
        elif abuse.hit(request, "vote-code", limit=_limit("VOTE_CODE_RATE_LIMIT", CODES_PER_HOUR), window=WINDOW):
            messages.error(request, abuse.rate_limit_message(WINDOW))
            status = 429
        else:
            try:
                services.send_code(phone_form.cleaned_data["phone"])
            except services.VoteError as refused:
                messages.error(request, str(refused))
                status = 429
            else:
                request.session[PENDING] = phone_form.cleaned_data["phone"]
                messages.success(request, _("验证码已发送，5 分钟内有效。"))
                return redirect("vote:voter", slug)
    elif request.method == "POST" and action == "confirm":
        code_form = CodeForm(request.POST)
        phone = request.session.get(PENDING)
        if phone is None:
            messages.error(request, _("请先获取验证码。"))
            status = 400
        elif not code_form.is_valid():
            status = 400
        else:
            try:
                voter_hash = services.confirm(phone, code_form.cleaned_data["code"])
            except services.VoteError as refused:
                messages.error(request, str(refused))
                status = 403
            else:
                request.session.cycle_key()
                request.session.pop(PENDING, None)
                request.session[VOTER], request.session[VOTER_TAIL] = voter_hash, phone[-4:]
                messages.success(request, _("手机号已验证，可以投票了。"))
                return redirect("vote:board", slug)
    elif request.method == "POST":
        status = 400
    context = {
        "vote": vote_settings,
        "campaign": vote_settings.campaign,
        "phone_form": phone_form,
        "code_form": code_form,
        "pending": request.session.get(PENDING, "")[-4:],
        "voter_tail": request.session.get(VOTER_TAIL),
    }
    return _device(request, render(request, "vote/voter.html", context, status=status))


@never_cache
@require_POST
def cast(request, slug, pk):
    vote_settings = selectors.vote_settings(slug)
    if vote_settings is None:
        raise Http404
    entry = get_object_or_404(services.standing(vote_settings.campaign_id), pk=pk)
    voter_hash = request.session.get(VOTER)
    if not voter_hash:
        return redirect("vote:voter", slug)
    if abuse.hit(request, "vote", limit=_limit("VOTE_RATE_LIMIT", VOTES_PER_HOUR), window=WINDOW):
        return HttpResponse(abuse.rate_limit_message(WINDOW), status=429, content_type="text/plain; charset=utf-8")
    fingerprint = services.Fingerprint.of(
        abuse.client_ip(request), request.META.get("HTTP_USER_AGENT", ""), request.COOKIES.get(DEVICE_COOKIE, "")
    )
    try:
        services.cast(vote_settings.campaign, entry, voter_hash, fingerprint, vote_settings=vote_settings)
    except services.VoteError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("投票成功，票数每分钟更新一次。"))
    return redirect("vote:board", slug)
