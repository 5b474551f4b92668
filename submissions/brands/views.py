"""The public brand pages: /brands/ (the index, with a search box) and /brands/<slug>/ (品牌档案).

Both are cached like the column's pages (submissions.platform.pagecache): the parts under the
version every article move bumps, the whole page for anonymous readers. The index's parameters
are cleaned to their canonical values (q normalised and cut, page a bounded number): a value that
is not offered is redirected to the canonical URL, a page past the last to the last, so no request
makes a cache key no reader would see, and none is a 500.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from submissions.brands import selectors
from submissions.platform import pagecache

PER_PAGE = 20
PAGE_MAX_DIGITS = 6
SLUG_MAX_LENGTH = 20
ARTICLE_SLUG_MAX_LENGTH = 80  # Showcase.slug


@dataclass(frozen=True)
class IndexQuery:
    q: str = ""
    page: int = 1
    refused: bool = False

    def querystring(self, page=None):
        number = self.page if page is None else page
        return pagecache.known_query({"q": self.q, "page": str(number) if number > 1 else ""})

    def url(self, path, page=None):
        query = self.querystring(page)
        return f"{path}?{query}" if query else path


def parse(data):
    """The index's query of request.GET: the words (spaces collapsed, cut) and the page number."""
    q = " ".join(str(data.get("q", "")).split())[: selectors.Q_MAX_LENGTH]
    raw, page, refused = str(data.get("page", "")).strip(), 1, False
    if raw:
        if raw.isascii() and raw.isdigit() and len(raw) <= PAGE_MAX_DIGITS and int(raw) >= 1:
            page = int(raw)
        else:
            refused = True
    return IndexQuery(q=q, page=page, refused=refused)


class _PastLastPage(Exception):
    def __init__(self, last):
        super().__init__(last)
        self.last = last


def _index_page(query):
    paginator = Paginator(selectors.index(query.q), PER_PAGE)
    if query.page > paginator.num_pages:
        raise _PastLastPage(paginator.num_pages)
    page = paginator.get_page(query.page)
    path = reverse("brands:index")
    context = {
        "page": page,
        "q": query.q,
        "previous_href": query.url(path, page.previous_page_number()) if page.has_previous() else "",
        "next_href": query.url(path, page.next_page_number()) if page.has_next() else "",
    }
    # A search that finds nothing is served but not stored: random words cannot fill the cache.
    return {"body": render_to_string("brands/_index.html", context), "kept": paginator.count > 0 or not query.q}


@require_safe
def index(request):
    query = parse(request.GET)
    if query.refused:
        return redirect(query.url(request.path))
    parts = ("brands-index", get_language(), query.q, query.page)

    def render_page(shared):
        page = pagecache.get_or_render(parts, lambda: _index_page(query), keep=lambda value: value["kept"])
        response = render(request, "brands/index.html", {"page": page, **(pagecache.NO_TOKEN if shared else {})})
        response.pagecache_keep = page["kept"]
        return response

    try:
        return pagecache.whole_page(request, parts, render_page, query=query.querystring())
    except _PastLastPage as past:
        return redirect(query.url(request.path, past.last))


def _detail_page(slug):
    found = selectors.page(slug)
    if found is None:
        raise Http404(_("没有找到这个品牌档案。"))
    entry = found.entry
    return {
        "title": f"{found.brand.org_name}{found.brand.brand_display}",
        "description": entry.brand_slogan or entry.brand_idea[:120],
        "body": render_to_string("brands/_detail.html", {"found": found, "entry": entry}),
    }


@require_safe
def detail(request, slug):
    if len(slug) > SLUG_MAX_LENGTH:
        raise Http404
    parts = ("brand", get_language(), slug)

    def render_page(shared):
        page = pagecache.get_or_render(parts, lambda: _detail_page(slug))
        return render(request, "brands/detail.html", {"page": page, **(pagecache.NO_TOKEN if shared else {})})

    return pagecache.whole_page(request, parts, render_page)


@require_safe
def of_article(request, article):
    """/brands/of/<article slug>/: the article's link to its brand (the article page stays without a
    query of the brand's: it is read at each click here, one query). Not cached; 404 for an article
    that is not live or has no brand."""
    if len(article) > ARTICLE_SLUG_MAX_LENGTH:
        raise Http404
    slug = selectors.slug_of_live_article(article)
    if slug is None:
        raise Http404(_("没有找到这个品牌档案。"))
    return HttpResponseRedirect(reverse("brands:detail", args=[slug]))
