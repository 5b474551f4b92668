"""The sitemaps: an index at /sitemap.xml and one sitemap per section, paginated (PER_SITEMAP
URLs a page) and kept in the page cache (submissions/platform/pagecache.py), so neither grows with the
archive: 10 000 articles are ten pages of 1 000, each rendered once per change. A page number
that does not exist is a 404 and is not stored."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from submissions.brands.sitemaps import BrandSitemap
from submissions.column import articles
from submissions.platform import pagecache

PER_SITEMAP = 1000


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = PER_SITEMAP

    def items(self):
        return articles.published_articles().order_by("-published_at", "-pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, not every article's lastmod (Django's default reads them all for the index).
        return articles.published_articles().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["home", "showcase:list", "calls:current", "brands:index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap, "brands": BrandSitemap}


def _cached(request, parts, render):
    def compute():
        response = render()
        response.render()
        return response.content, response["Content-Type"], response.get("Last-Modified")

    _version, (content, content_type, modified) = pagecache.versioned(("sitemap", request.get_host(), *parts), compute)
    response = HttpResponse(content, content_type=content_type)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if modified:
        response["Last-Modified"] = modified
    return response


@require_safe
def index(request):
    return _cached(request, ("index",), lambda: sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section"))


@require_safe
def section(request, section):
    page = request.GET.get("p", "1")
    if section not in SITEMAPS or not (page.isascii() and page.isdigit() and len(page) <= 6):
        raise Http404
    return _cached(request, (section, int(page)), lambda: sitemap_views.sitemap(request, SITEMAPS, section=section))
