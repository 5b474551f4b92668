"""The column list's query: the GET parameters it uses, cleaned to their canonical values.

The list page (submissions/column/views/showcase.py) is cached under the canonical values only, so
the cache holds one page per list a reader can actually see (issue 17; issue 11, finding 9):

- parameters the list does not use (WeChat's from, isappinstalled, scene, clicktime, utm_*,
  anything else) are ignored: they reach neither the cache key nor the page's links;
- a used parameter with a value that is not offered (a kind, city or year that does not
  exist, a page that is not a number) is `refused`: the view redirects to the canonical URL
  without it, so it never makes a key;
- the search text is normalised (spaces collapsed, cut to Q_MAX_LENGTH), as the form does.

A page number past the last page is found only when the list is counted: the view redirects
then too (PastLastPage), before anything is stored.
"""

from dataclasses import dataclass, field

from submissions.models import Kind
from submissions.platform import pagecache

FILTERS = ("q", "kind", "region", "year")
Q_MAX_LENGTH = 50
PAGE_MAX_DIGITS = 6


@dataclass(frozen=True)
class ListQuery:
    filters: dict = field(default_factory=dict)  # name -> canonical value, only those given
    page: int = 1
    refused: bool = False  # a used parameter had a value that is not offered

    def querystring(self, *, page=None):
        """The canonical query string (pagecache.known_query of the cleaned values); `page`
        replaces this query's page number."""
        number = self.page if page is None else page
        return pagecache.known_query({**self.filters, "page": str(number) if number > 1 else ""})

    def url(self, path, *, page=None):
        query = self.querystring(page=page)
        return f"{path}?{query}" if query else path

    def href(self, path, *, page=None):
        """A link from the list page to this query (its pages, its suggestions): `?` and the
        canonical query string, or `path` itself when there is none (page 1 of the whole list)."""
        query = self.querystring(page=page)
        return f"?{query}" if query else path

    def key(self):
        return (*(self.filters.get(name, "") for name in FILTERS), self.page)


class PastLastPage(Exception):
    def __init__(self, last):
        super().__init__(last)
        self.last = last


def parse(data, *, region_codes, years):
    """The ListQuery of `data` (request.GET): `region_codes` and `years` are the values offered."""
    filters, refused = {}, False
    q = " ".join(str(data.get("q", "")).split())[:Q_MAX_LENGTH]
    if q:
        filters["q"] = q
    offered = {"kind": set(Kind.values), "region": set(region_codes), "year": {str(y) for y in years}}
    for name, values in offered.items():
        value = str(data.get(name, "")).strip()
        if value in values:
            filters[name] = value
        elif value:
            refused = True
    page, raw = 1, str(data.get("page", "")).strip()
    if raw:
        if raw.isascii() and raw.isdigit() and len(raw) <= PAGE_MAX_DIGITS and int(raw) >= 1:
            page = int(raw)
        else:
            refused = True
    return ListQuery(filters=filters, page=page, refused=refused)
