"""{% queue_bar %}: on an item opened from a queue (?queue=name), the queue's name and "next"."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from submissions.review import queues

register = template.Library()


@register.inclusion_tag("admin/_queue_bar.html", takes_context=True)
def queue_bar(context):
    request, original = context.get("request"), context.get("original")
    name = request.GET.get("queue", "") if request is not None else ""
    queue = queues.get(request.user, name) if name and len(name) < 40 and original is not None else None
    if queue is None or not isinstance(original, queue.model):
        return {"queue": None}
    url = f"{reverse('admin:queue_next', args=[queue.name])}?{urlencode({'after': original.pk})}"
    return {"queue": queue, "next_url": url, "list_url": reverse("admin:queue", args=[queue.name])}
