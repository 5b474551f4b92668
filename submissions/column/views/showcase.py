"""The public column 优秀党建品牌巡展: list, article, comments, RSS feed, robots.txt (the sitemaps: views/sitemaps.py).

Article and list pages are cached (submissions.platform.pagecache) and rendered from a handful of
queries whatever the number of articles. The comment form is rendered per request, outside
the cached part, so its CSRF token is always the reader's own.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from portal.text import strip_controls
from submissions.column import articles as article_reads
from submissions.column import listquery
from submissions.column.forms import CommentForm, ListFilterForm
from submissions.models import Campaign, Region, SiteSettings
from submissions.newsroom import publishing
from submissions.platform import abuse, pagecache, search
from submissions.platform.search.suggest import suggestions

PER_PAGE = 10
COMMENT_LIMIT, COMMENT_WINDOW = 5, 600  # comments per IP per 10 minutes


# The read side lives in submissions.column.articles (shared with the admin and the exports).
_photos = article_reads.photos_prefetch
summary_of = article_reads.summary_of
article_page = article_reads.article_page
load_article = article_reads.load_article


def _render_detail(request, slug, form, *, status=200, extra=None):
    page = pagecache.get_or_render(
        ("detail", get_language(), slug),
        lambda: article_page(load_article(article_reads.published_articles(), slug=slug)),
    )
    return render(request, "showcase/detail.html", {"page": page, "slug": slug, "form": form, **(extra or {})}, status=status)


def _shared_context(form):
    """The context of a page every reader shares: the comment form without the reader's own
    token and stamp, which static/js/article.js fetches from /form-token/."""
    form.fields["started"].initial = ""
    return pagecache.NO_TOKEN


@require_safe  # GET, and HEAD for link checkers and monitors
def detail(request, slug):
    def render_page(shared):
        form = CommentForm()
        return _render_detail(request, slug, form, extra=_shared_context(form) if shared else None)

    return pagecache.whole_page(request, ("detail", get_language(), slug), render_page)


def comment_again(request, slug):
    """A comment sent without a valid CSRF token, most often from a shared page whose form had
    not fetched its token yet (no script, or the network dropped it). Nothing is saved: the form
    comes back with what was typed and the reader's own token, to be sent again. Called by the
    CSRF failure view (submissions.views.errors.csrf_failure)."""
    typed = {name: request.POST.get(name, "")[: CommentForm.base_fields[name].max_length] for name in ("name", "body")}
    form = CommentForm(initial=typed)
    form.fields["body"].widget.attrs["autofocus"] = True  # brings the reader back to the form
    notice = _("为确认是您本人提交，请再点一次“提交评论”。您填写的内容已保留。")
    return _render_detail(request, slug, form, status=403, extra={"notice": notice})


@require_POST
def comment(request, slug):
    article = article_reads.published_articles().filter(slug=slug).only("pk").first()
    if article is None:
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        if abuse.hit(request, "comment", limit=COMMENT_LIMIT, window=COMMENT_WINDOW):
            form.add_error(None, abuse.rate_limit_message(COMMENT_WINDOW))
        else:
            form.instance.showcase = article
            form.instance.ip_hash = publishing.ip_hash(abuse.client_ip(request))
            form.save()
            messages.success(request, _("评论已提交，审核通过后将显示。"))
            return redirect(reverse("showcase:detail", kwargs={"slug": slug}) + "#comments")
    return _render_detail(request, slug, form)


def _filtered(filters):
    """The published articles the filters other than the query keep."""
    articles = article_reads.published_articles()
    if filters.get("kind"):
        articles = articles.filter(submission__kind=filters["kind"])
    if filters.get("region"):
        articles = articles.filter(submission__region__code=filters["region"])
    if filters.get("year"):
        articles = articles.filter(published_at__year=int(filters["year"]))
    return articles


def _list_choices():
    """The cities and years the list offers, cached with the pages: (regions, years)."""

    def compute():
        regions = [(r.code, r.name) for r in Region.objects.order_by("order", "pk")]
        years = sorted({d.year for d in article_reads.published_articles().dates("published_at", "year")}, reverse=True)
        return regions, years

    return pagecache.versioned(("list-choices",), compute)[1]


def _list_page(query, regions, years):
    form = ListFilterForm(query.filters, regions=regions, years=years)
    filters = form.filters()
    articles, words = _filtered(filters), filters.get("q", "")
    found = search.terms(words)

    def whole(queryset):
        return queryset.select_related("submission__region").prefetch_related(_photos())

    if found:  # ranked by search.RANKING
        page = search.page(articles, words, query.page, PER_PAGE, whole)
    else:  # newest first; a query with nothing searchable finds nothing
        page = Paginator(whole(articles.none() if words else articles.order_by("-published_at", "-pk")), PER_PAGE).get_page(
            query.page
        )
    if query.page > page.paginator.num_pages:
        raise listquery.PastLastPage(page.paginator.num_pages)
    path = reverse("showcase:list")
    context = {
        "page": page,
        "form": form,
        "filters": filters,
        # links carry the canonical query only (listquery): the same list is always the same URL
        "previous_href": query.href(path, page=page.previous_page_number()) if page.has_previous() else "",
        "next_href": query.href(path, page=page.next_page_number()) if page.has_next() else "",
    }
    for article in page:
        article.list_summary = summary_of(article)
        article.cover = next(iter(article.photos.all()), None)
        if found:
            article.marked_title = search.highlight(article.title, found)
            article.passage = search.passage(article.search_text, found, fallback=article.list_summary)
    if filters and not page.object_list:
        offered = suggestions(filters.get("q", ""), found, filters)
        codes = [code for code, _name in regions]
        context["suggestions"] = [
            (label, listquery.parse(params, region_codes=codes, years=years).href(path)) for label, params in offered
        ]
    body = render_to_string("showcase/_list.html", context)
    # A search that finds nothing is served but not stored: random search words cannot fill the cache.
    return {
        "body": body,
        "column_name": _column_name(),
        "filtered": bool(filters),
        "kept": page.paginator.count > 0 or "q" not in filters,
    }


def _column_name():
    """The column's name (优秀党建品牌巡展) as the current campaign spells it: the list's heading and the feed's title."""
    campaign = Campaign.current()
    return strip_controls(campaign.column_name if campaign else _("优秀党建品牌巡展"))


def _kept(page):
    return page.get("kept", True)


@require_safe
def article_list(request):
    regions, years = _list_choices()
    query = listquery.parse(request.GET, region_codes=[code for code, _name in regions], years=years)
    if query.refused:
        return redirect(query.url(request.path))
    parts = ("list", get_language(), *query.key())

    def render_page(shared):
        page = pagecache.get_or_render(parts, lambda: _list_page(query, regions, years), keep=_kept)
        response = render(request, "showcase/list.html", {"page": page, **(pagecache.NO_TOKEN if shared else {})})
        response.pagecache_keep = _kept(page)
        return response

    try:
        return pagecache.whole_page(request, parts, render_page, query=query.querystring())
    except listquery.PastLastPage as past:
        return redirect(query.url(request.path, page=past.last))


class LatestArticlesFeed(Feed):
    """RSS 2.0 of the newest articles. Every text goes through strip_controls: XML cannot hold
    control characters, and one stored in an older row must not take the feed down."""

    def title(self):
        return _column_name()

    def link(self):
        return reverse("showcase:list")

    def description(self):
        return strip_controls(SiteSettings.load().site_name)

    def items(self):
        return article_reads.published_articles().order_by("-published_at", "-pk")[:20]

    def item_title(self, item):
        return strip_controls(item.title)

    def item_description(self, item):
        return strip_controls(summary_of(item))

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return strip_controls(item.byline or item.source)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /track/",
        "Disallow: /media/attachments/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """Browsers (and the admin, which has no icon link) ask for /favicon.ico: point them at ours."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
