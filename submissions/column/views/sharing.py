"""Sharing and reading an article: the share poster (分享海报) and its page, the print page, and
the reading beacon (阅读量). The first three work as plain links, without script; the beacon is
asked by static/js/article.js."""

from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from submissions.column import articles, posters, viewcounts
from submissions.column.views.showcase import _photos, article_page, load_article, summary_of
from submissions.models import Campaign
from submissions.platform import pagecache


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


@never_cache
@require_http_methods(["GET", "POST"])
def read(request, slug):
    """The reading beacon (submissions/column/viewcounts.py). GET: the reader's CSRF token and a read
    token for this article, no database query. POST with both: 204, counted (or not) by
    viewcounts.record(), and ?count=1 answers the count; without a valid read token: 403, nothing
    counted (without the CSRF token the CSRF check refuses it first)."""
    if request.method == "GET":
        return JsonResponse({"csrfmiddlewaretoken": get_token(request), "token": viewcounts.read_token(request, slug)})
    if not viewcounts.read_token_ok(request, slug, request.POST.get("token")):
        return HttpResponseForbidden()
    article = articles.published_articles().filter(slug=slug).only("pk").first()
    if article is None:
        raise Http404
    viewcounts.record(request, article.pk)
    if request.GET.get("count") == "1":
        return JsonResponse({"views": viewcounts.current(article.pk)})
    return HttpResponse(status=204)
