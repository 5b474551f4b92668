"""The queues (待办) in the admin: counts on the first page, a queue's own page, and "next"."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from submissions.review import queues

SHOWN = 5  # items listed under each queue on the first page
PAGE = 100  # items on a queue's own page


def item_url(queue, obj):
    return f"{queue.url(obj)}?{urlencode({'queue': queue.name})}"


def label_of(queue, obj):
    if queue.name == "score":  # a reviewer: reference and brand, never who sent it (blind review)
        return f"{obj.reference} {obj.brand_display}"
    return str(obj)


def rows(queue, user, limit):
    return [{"label": label_of(queue, obj), "url": item_url(queue, obj)} for obj in queue.items(user)[:limit]]


def summary(user):
    """Each of the user's queues with its count and its first items, for the admin's first page."""
    result = []
    for queue in queues.queues_for(user):
        count = queue.items(user).count()
        result.append({"queue": queue, "count": count, "items": rows(queue, user, SHOWN) if count else []})
    return result


def queue_view(request, site, name):
    queue = queues.get(request.user, name)
    if queue is None:
        raise Http404(_("没有这个待办队列。"))
    context = {
        **site.each_context(request),
        "title": queue.label,
        "queue": queue,
        "items": rows(queue, request.user, PAGE),
        "count": queue.items(request.user).count(),
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
