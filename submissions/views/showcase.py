"""The public column 优秀党建品牌巡展: list, article, comments, RSS feed, sitemap, robots.txt.

Article and list pages are cached (submissions.pagecache) and rendered from a handful of
queries whatever the number of articles. The comment form is rendered per request, outside
the cached part, so its CSRF token is always the reader's own.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from submissions import abuse, pagecache, publishing
from submissions.forms.showcase import CommentForm, ListFilterForm
from submissions.models import Campaign, Comment, Region, ShowcasePhoto, SiteSettings
from submissions.people import display_name

PER_PAGE = 10
LIST_QUERY = ("q", "kind", "region", "year", "page")  # the list's own parameters (its cache key)
COMMENT_LIMIT, COMMENT_WINDOW = 5, 600  # comments per IP per 10 minutes


def _photos():
    return Prefetch("photos", queryset=ShowcasePhoto.objects.select_related("photo").order_by("order", "pk"))


def summary_of(article):
    return article.summary or " ".join(article.lead.split())[:120]


def article_page(article):
    """The article's page parts (title, head tags, body HTML): what the public sees and the admin previews."""
    photos = list(article.photos.all())
    site = SiteSettings.load()
    context = {
        "article": article,
        "sections": article.sections.all(),
        "photos": photos,
        "links": article.links.all(),
        "comments": article.comments.all(),
        "editor_name": _person(article.responsible_editor),
        "signer_name": _person(article.signed_off_by),
        "canonical": f"{settings.SITE_URL}{article.get_absolute_url()}",
        "share_image": f"{settings.SITE_URL}{photos[0].photo.display.url}" if photos else "",
        "summary": summary_of(article),
        "site": site,
    }
    return {
        "title": article.title,
        "description": context["summary"],
        "head": render_to_string("showcase/_meta.html", context),
        "body": render_to_string("showcase/_article.html", context),
    }


def _person(user):
    return display_name(user)


def load_article(queryset, **lookup):
    """One article with everything its page shows (approved comments only), in five queries."""
    article = (
        queryset.select_related("responsible_editor", "signed_off_by", "campaign")
        .prefetch_related(
            "sections", _photos(), "links", Prefetch("comments", queryset=Comment.objects.filter(state=Comment.State.APPROVED))
        )
        .filter(**lookup)
        .first()
    )
    if article is None:
        raise Http404
    return article


def _render_detail(request, slug, form, *, status=200, extra=None):
    page = pagecache.get_or_render(
        ("detail", get_language(), slug),
        lambda: article_page(load_article(publishing.published_articles(), slug=slug)),
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
    article = publishing.published_articles().filter(slug=slug).only("pk").first()
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
    articles = publishing.published_articles()
    if filters.get("q"):
        term = filters["q"]
        articles = articles.filter(Q(title__icontains=term) | Q(search_text__icontains=term))
    if filters.get("kind"):
        articles = articles.filter(submission__kind=filters["kind"])
    if filters.get("region"):
        articles = articles.filter(submission__region__code=filters["region"])
    if filters.get("year"):
        articles = articles.filter(published_at__year=int(filters["year"]))
    return articles


def _list_page(data):
    regions = list(Region.objects.order_by("order", "pk"))
    years = sorted({d.year for d in publishing.published_articles().dates("published_at", "year")}, reverse=True)
    form = ListFilterForm(data, regions=regions, years=years)
    filters = form.filters()
    articles = (
        _filtered(filters).select_related("submission__region").prefetch_related(_photos()).order_by("-published_at", "-pk")
    )
    page = Paginator(articles, PER_PAGE).get_page(data.get("page"))
    params = data.copy()
    params.pop("page", None)
    context = {"page": page, "form": form, "filters": filters, "params": params}
    for article in page:
        article.list_summary = summary_of(article)
        article.cover = next(iter(article.photos.all()), None)
    return {"body": render_to_string("showcase/_list.html", context), "filtered": bool(filters)}


@require_safe
def article_list(request):
    data = request.GET
    parts = ("list", get_language(), *(data.get(k, "") for k in LIST_QUERY))

    def render_page(shared):
        page = pagecache.get_or_render(parts, lambda: _list_page(data))
        return render(request, "showcase/list.html", {"page": page, **(pagecache.NO_TOKEN if shared else {})})

    return pagecache.whole_page(request, parts, render_page, query=LIST_QUERY)


class LatestArticlesFeed(Feed):
    """RSS 2.0 of the newest articles."""

    def title(self):
        campaign = Campaign.current()
        return campaign.column_name if campaign else _("优秀党建品牌巡展")

    def link(self):
        return reverse("showcase:list")

    def description(self):
        return SiteSettings.load().site_name

    def items(self):
        return publishing.published_articles().order_by("-published_at", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return summary_of(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.byline or item.source


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return publishing.published_articles().order_by("-published_at", "-pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["home", "showcase:list", "calls:current"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap}


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
