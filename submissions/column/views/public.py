from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from submissions.column.articles import published_articles
from submissions.models import Campaign
from submissions.platform import abuse, pagecache


def home(request):
    """The home page, from the page cache (submissions/platform/pagecache.py) like the column."""

    def render_page(shared):
        campaign = Campaign.current()
        articles = published_articles().select_related("campaign").prefetch_related("photos__photo").order_by("-published_at")[:6]
        context = {"campaign": campaign, "articles": articles, **(pagecache.NO_TOKEN if shared else {})}
        response = render(request, "home.html", context)
        response.pagecache_until = Campaign.next_change()  # "我要报送" shown while the call is open
        return response

    return pagecache.whole_page(request, ("home", get_language()), render_page)


@never_cache
@require_GET
def form_token(request):
    """The reader's own CSRF token and form stamp, for a form on a page that every reader
    shares (the comment form of a cached article page; static/js/article.js asks for them)."""
    return JsonResponse({"csrfmiddlewaretoken": get_token(request), "started": abuse.stamp()})
