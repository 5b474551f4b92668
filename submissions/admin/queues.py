"""The queues (待办) in the admin: counts on the first page, a queue's own page, and "next"."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from submissions.review import queues
from submissions.workflow import rules

SHOWN = 5  # items listed under each queue on the first page
PAGE = 100  # items on a queue's own page


# Queues whose items open on another page than where the queue's model is edited: an article waiting
# for sign-off opens as it will read, with the sign-off buttons above it (the preview).
OPENS_ON = {"signoff": "admin:submissions_showcase_preview"}


def item_url(queue, obj):
    url = reverse(OPENS_ON[queue.name], args=[obj.pk]) if queue.name in OPENS_ON else queue.url(obj)
    return f"{url}?{urlencode({'queue': queue.name})}"


def permissions_of(queue):
    """The permissions the queue's work asks for: its own, or its move's (any of which will do)."""
    if isinstance(queue.work, str):
        return {queue.work}
    table, frm, to = queue.work
    return set(table[(frm, to)])


def ordered(user, found):
    """The user's queues in the registry's order, except that who holds the marks of two roles (a chief
    editor holds the editors' permissions too) sees the work of the senior one first: sign-off
    before the editors' queues."""
    held = [perm for _role, perm in rules.ROLE_MARKS if user.has_perm(perm)]
    if len(held) < 2:
        return list(found)
    return sorted(found, key=lambda queue: 0 if held[0] in permissions_of(queue) else 1)


def label_of(queue, obj):
    if queue.name == "score":  # a reviewer: reference and brand, never who sent it (blind review)
        label = f"{obj.reference} {obj.brand_display}"
    else:
        label = str(obj)
    due = getattr(obj, "queue_due", None)  # the round's due date (review/queues.py), where its campaign set one
    if due is not None:
        label += " · " + _("截止 %(due)s") % {"due": date_format(timezone.localtime(due), "n月j日 H:i")}
    return label


def rows(queue, user, limit):
    return [{"label": label_of(queue, obj), "url": item_url(queue, obj)} for obj in queue.items(user)[:limit]]


def summary(user):
    """Each of the user's queues with its count and its first items, for the admin's first page."""
    result = []
    for queue in ordered(user, queues.queues_for(user)):
        count = queues.bounded_count(queue, user)  # a long queue is not counted to its end: "99+"
        shown, capped = (f"{queues.COUNT_CAP}+", True) if count > queues.COUNT_CAP else (count, False)
        result.append({"queue": queue, "count": shown, "capped": capped, "items": rows(queue, user, SHOWN) if count else []})
    return result


def queue_view(request, site, name):
    queue = queues.get(request.user, name)
    if queue is None:
        raise Http404(_("没有这个待办队列。"))
    count = queues.bounded_count(queue, request.user, PAGE)
    context = {
        **site.each_context(request),
        "title": queue.label,
        "queue": queue,
        "items": rows(queue, request.user, PAGE),
        "count": count if count <= PAGE else f"{PAGE}+",  # counted to PAGE + 1 at most
    }
    return TemplateResponse(request, "admin/queue.html", context)


def next_view(request, site, name):
    queue = queues.get(request.user, name)
    if queue is None:
        raise Http404(_("没有这个待办队列。"))
    after = request.GET.get("after", "")
    following = queues.following(queue, request.user, int(after) if after.isdigit() and len(after) < 12 else None)
    if following is None:
        messages.info(request, _("“%(queue)s”已全部处理完。") % {"queue": queue.label})
        return redirect("admin:index")
    return redirect(item_url(queue, following))
