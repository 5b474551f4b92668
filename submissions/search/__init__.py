"""Search of the public column (and, through the same calls, of anything else indexed).

One interface, a backend per database (submissions.search.backends); how text is cut into
tokens in submissions.search.tokens; passages and highlighting in submissions.search.passages.

- `index(kind, object_id, title, body)` / `forget(kind, object_id)`: keep one object's entry;
  an article is indexed on every save (post_save) and again by publishing.edited(), which calls
  `index_showcase(article, text)` once the sections are saved too.
- `ranked(queryset, query, kind=SHOWCASE)`: the queryset narrowed to what matches `query`, in
  the order of relevance (see `RANKING`), or None if the query has nothing searchable.
- `page(ranked, number, per_page, fetch)`: one page of it, ranked on the index alone, then
  the page's rows fetched whole;
- `filter_ids(queryset, query, kind)`: only narrowed (no ranking): what an admin search uses
  (see `admin_search`).

Ranking, as stated to readers and tested (tests/test_search.py):
  1. more of the query's words found (title or body) first;
  2. then more of them found in the title;
  3. then the newest first.
"""

from django.db.models import IntegerField, Value
from django.db.models.expressions import RawSQL

from submissions.search.backends import backend
from submissions.search.passages import highlight, passage
from submissions.search.tokens import terms, tokens

SHOWCASE = "showcase"
RANKING = ("-search_words", "-search_title", "-published_at", "-pk")

__all__ = [
    "RANKING",
    "SHOWCASE",
    "admin_search",
    "filter_ids",
    "forget",
    "highlight",
    "index",
    "page",
    "passage",
    "ranked",
    "terms",
]


def index(kind, object_id, title, body):
    """Index (or index again) one object; `body` should not repeat the title (it is added)."""
    from submissions.models import SearchDocument

    SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={"title": tokens(title), "body": tokens(f"{title}\n{body}")}
    )


def forget(kind, object_id):
    from submissions.models import SearchDocument

    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def index_showcase(article, text):
    index(SHOWCASE, article.pk, article.title, text)


def _column(queryset):
    meta = queryset.model._meta
    return f'"{meta.db_table}"."{meta.pk.column}"'


def _count_of(queryset, kind, found, field):
    """SQL summing, over the terms, 1 for each term that the row's `field` matches."""
    engine, column = backend(), _column(queryset)
    parts, params = [], []
    for term in found:
        sql, term_params = engine.any_of(kind, [term], field=field)
        parts.append(f"(CASE WHEN {column} IN ({sql}) THEN 1 ELSE 0 END)")
        params += term_params
    return RawSQL(" + ".join(parts), params, output_field=IntegerField())  # noqa: S611 - values are parameters


def filter_ids(queryset, query, kind):
    """`queryset` narrowed to the objects matching any word of `query` (None: nothing searchable)."""
    found = terms(query)
    if not found:
        return None
    sql, params = backend().any_of(kind, found)
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - values are parameters


def ranked(queryset, query, kind=SHOWCASE):
    """Narrowed as filter_ids(), annotated `search_words` and `search_title` (how many of the
    query's words the row has anywhere / in its title) and ordered by RANKING."""
    found = terms(query)
    narrowed = filter_ids(queryset, query, kind)
    if narrowed is None:
        return None
    # With one word every row found has it: no need to count (and no subquery to run).
    words = _count_of(queryset, kind, found, "body") if len(found) > 1 else Value(1, output_field=IntegerField())
    return narrowed.annotate(search_words=words, search_title=_count_of(queryset, kind, found, "title")).order_by(*RANKING)


def page(ranked_queryset, number, per_page, fetch):
    """One page of a ranked queryset, in two steps: the page's ids are ranked and counted on
    the narrow index columns alone, then `fetch(queryset)` loads those rows whole (joins and
    prefetches). Sorting whole rows, with their joins, for every match costs far more."""
    from django.core.paginator import Paginator

    with backend().planned():
        found = Paginator(ranked_queryset.values_list("pk", flat=True), per_page).get_page(number)
        ids = list(found.object_list)
    rows = fetch(ranked_queryset.model._default_manager.filter(pk__in=ids)).in_bulk()
    found.object_list = [rows[pk] for pk in ids if pk in rows]
    return found


def admin_search(queryset, term, kind):
    """For ModelAdmin.get_search_results: (queryset, may_have_duplicates). The objects of `kind`
    must be indexed with index(kind, ...); a term with nothing searchable finds nothing."""
    narrowed = filter_ids(queryset, term, kind)
    return (queryset.none() if narrowed is None else narrowed), False


def _connect():
    """Keep articles indexed on every save (title and stored text; publishing.edited() indexes the
    parts' fresh text after the parts are saved) and forget them when deleted."""
    from django.db.models.signals import post_delete, post_save

    from submissions.models import Showcase

    def _saved(sender, instance, raw=False, **kwargs):
        if not raw:
            index_showcase(instance, instance.search_text)

    def _deleted(sender, instance, **kwargs):
        forget(SHOWCASE, instance.pk)

    post_save.connect(_saved, sender=Showcase, dispatch_uid="search-showcase-saved", weak=False)
    post_delete.connect(_deleted, sender=Showcase, dispatch_uid="search-showcase-deleted", weak=False)
