from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from submissions import abuse
from submissions.models import Campaign, Showcase


def home(request):
    campaign = Campaign.current()
    articles = (
        Showcase.objects.filter(state=Showcase.State.PUBLISHED)
        .select_related("campaign")
        .prefetch_related("photos__photo")
        .order_by("-published_at")[:6]
    )
    return render(request, "home.html", {"campaign": campaign, "articles": articles})


@never_cache
@require_GET
def form_token(request):
    """The reader's own CSRF token and form stamp, for a form on a page that every reader
    shares (the comment form of a cached article page; static/js/article.js asks for them)."""
    return JsonResponse({"csrfmiddlewaretoken": get_token(request), "started": abuse.stamp()})
