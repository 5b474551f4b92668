from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database means unhealthy
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
