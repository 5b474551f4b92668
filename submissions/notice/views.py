"""The public notice page (/notice/<campaign>/), its objection form and the objector's receipt.

The notice page is the same for every reader and is cached like the column's pages (platform/
pagecache.py): kept until something on it changes (the list, the close: services bump the
version) or until its last day ends, when its "how to object" part changes by itself. The form
and the receipt are each reader's own and never cached.
"""

from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from submissions.notice import selectors, services
from submissions.notice.forms import MAX_POST_BYTES, ObjectionForm
from submissions.platform import abuse, bodies, pagecache

WINDOW = 3600
POSTS_PER_HOUR = 30  # every post of the form, per address (each one may check three files)
OBJECTIONS_PER_HOUR = 5  # objections kept, per address


def _limit(name, default):
    return getattr(settings, name, default)


def detail(request, slug):
    def render_page(shared):
        notice = selectors.published_notice(slug)
        if notice is None:
            raise Http404
        today = services.current_date()
        context = {
            "notice": notice,
            "listed": selectors.listed(notice),
            "removed": selectors.removed(notice),
            "takes_objections": services.takes_objections(notice, today),
            "not_started": today < notice.starts_on,
            **(pagecache.NO_TOKEN if shared else {}),
        }
        response = render(request, "notice/detail.html", context)
        if not notice.is_closed:  # it changes when it starts taking objections and when its last day ends
            last = notice.starts_on - timedelta(days=1) if today < notice.starts_on else notice.ends_on
            response.pagecache_until = services.end_of(last).timestamp()
        return response

    return pagecache.whole_page(request, ("notice", get_language(), slug), render_page)


@bodies.bounded(lambda: MAX_POST_BYTES)
@never_cache
def objection(request, slug):
    notice = selectors.published_notice(slug)
    if notice is None:
        raise Http404
    if not services.takes_objections(notice):
        return render(request, "notice/closed.html", {"notice": notice}, status=403)
    if request.method != "POST":
        return render(request, "notice/objection.html", {"notice": notice, "form": ObjectionForm(notice)})
    if bodies.declared_length(request) > MAX_POST_BYTES:  # refused before the body is read
        return _refused(request, notice, _("提交的文件过大：证明材料最多 3 个，每个不超过 10 MB。"), status=413)
    refused = bodies.csrf_refusal(request)
    if refused is not None:
        return refused
    if abuse.hit(request, "objection-post", limit=_limit("OBJECTION_POST_RATE_LIMIT", POSTS_PER_HOUR), window=WINDOW):
        return _refused(request, notice, abuse.rate_limit_message(WINDOW), status=429)
    form = ObjectionForm(notice, request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "notice/objection.html", {"notice": notice, "form": form}, status=400)
    if abuse.hit(request, "objection", limit=_limit("OBJECTION_RATE_LIMIT", OBJECTIONS_PER_HOUR), window=WINDOW):
        return _refused(request, notice, abuse.rate_limit_message(WINDOW), status=429)
    try:
        kept = services.raise_objection(notice, form.cleaned_data["item"], form.cleaned_data, form.checked_evidence)
    except services.NoticeError as refused:
        return _refused(request, notice, str(refused), status=403)
    return redirect("notice:receipt", slug, kept.token)


def _refused(request, notice, message, *, status):
    return render(request, "notice/refused.html", {"notice": notice, "message": message}, status=status)


@never_cache
def receipt(request, slug, token):
    found = selectors.receipt(slug, token)
    if found is None:
        raise Http404
    response = render(request, "notice/receipt.html", {"objection": found, "notice": found.notice})
    response["Referrer-Policy"] = "no-referrer"  # the address is the objector's own
    return response
