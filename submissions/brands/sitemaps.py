"""The brand pages in the sitemap (listed by the column's sitemaps, submissions/column/views/sitemaps.py)."""

from django.contrib.sitemaps import Sitemap

from submissions.brands import selectors


class BrandSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 1000

    def items(self):
        return selectors.index().only("slug")

    def lastmod(self, item):
        return item.latest_published_at
