"""Sharing and reading an article: the share poster (分享海报) and its page, the print page, and
the reading beacon (阅读量). Each works as a plain link or request, without script."""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from submissions import articles, pagecache, posters, viewcounts
from submissions.models import Campaign
from submissions.views.showcase import _photos, article_page, load_article, summary_of


def _article(slug):
    article = articles.published_articles().filter(slug=slug).select_related("campaign").prefetch_related(_photos()).first()
    if article is None:
        raise Http404
    return article


def _poster_name(article):
    column = article.campaign.column_name if article.campaign_id else (Campaign.current() or Campaign()).column_name
    return posters.poster_of(article, column, summary_of(article))


@require_safe
def poster_page(request, slug):
    """A page with the poster alone, to long-press and save (WeChat's browser offers 保存图片)."""
    article = _article(slug)
    return render(request, "showcase/poster.html", {"article": article, "poster_name": _poster_name(article)})


@require_safe
@cache_control(public=True, max_age=3600)
def poster_image(request, slug):
    article = _article(slug)
    name = _poster_name(article)
    try:
        handle = posters.default_storage.open(name, "rb")
    except OSError:
        raise Http404
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def print_page(request, slug):
    """The article alone, laid out for paper: the 打印 button's page when script does not print."""
    page = pagecache.get_or_render(
        ("detail", get_language(), slug),
        lambda: article_page(load_article(articles.published_articles(), slug=slug)),
    )
    return render(request, "showcase/print.html", {"page": page, "slug": slug})


@csrf_exempt  # a counter, nothing of the reader's: the page that sends it is the same for everyone
@require_http_methods(["POST", "GET"])
def read(request, slug):
    """The reading beacon: 204, counted (or not) by viewcounts.record(); ?count=1 answers the count."""
    article = articles.published_articles().filter(slug=slug).only("pk").first()
    if article is None:
        raise Http404
    viewcounts.record(request, article.pk)
    if request.GET.get("count") == "1":
        return JsonResponse({"views": viewcounts.current(article.pk)})
    return HttpResponse(status=204)
