"""Search of the public column (and, through the same calls, of anything else indexed).

One interface, a backend per database (submissions.platform.search.backends); how text is cut into
tokens in submissions.platform.search.tokens; passages and highlighting in submissions.platform.search.passages.

- `index(kind, object_id, title, body)` / `forget(kind, object_id)`: keep one object's entry;
  an article is indexed on every save (post_save) and again by publishing.edited(), which calls
  `index_showcase(article, text)` once the sections are saved too.
- `ranked_ids(queryset, query, kind=SHOWCASE)`: the ids of the rows that match `query`, in the
  order of relevance (see `RANKING`), ranked on the index alone;
- `page(queryset, query, number, per_page, fetch)`: one page of them, the page's rows fetched
  whole (what the list view calls), or None if the query has nothing searchable;
- `filter_ids(queryset, query, kind)`: only narrowed (no ranking): what an admin search uses
  (see `admin_search`).

Ranking, as stated to readers and tested (tests/platform/test_search.py):
  1. more of the query's words found (title or body) first;
  2. then more of them found in the title;
  3. then the newest first.

A word found in more than CAP objects (党建 in every article) is ranked over the newest matches
only, at least CAP of them after the list's filters (`ranked_ids()`): the count and the ranking then
handle a bounded number of rows whatever the archive's size, and the page says so ("超过 200 篇").
"""

from datetime import UTC, datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from submissions.models import SearchDocument, Showcase
from submissions.platform.search.backends import TABLE, backend
from submissions.platform.search.passages import highlight, passage
from submissions.platform.search.tokens import terms, tokens

SHOWCASE = "showcase"
# The order of a search's results, each column descending: how many of the query's words the row
# has (title or text), how many in its title, its date (`dated`, the publication), its id.
RANKING = ("search_words", "search_title", "search_date", "search_pk")
CAP = 200  # a search ranks every match up to this many; past it, the newest (at least CAP)
MOST = 5 * CAP  # the most a search lists (a window may hold more)

# An upper bound for the held count's window, which is always true: with the lower bound taken
# from the same statement, PostgreSQL estimates the pair as a narrow range and combines the date
# index with the word's (one bound alone is estimated at a third of the table: it then reads every
# match of a common word from the table instead).
LATEST = datetime.max.replace(tzinfo=UTC)
# The date of the n-th newest document of a kind (parameters: kind, n - 1): a window's start.
WINDOW_START = f"SELECT sort_key FROM {TABLE} WHERE kind = %s AND sort_key IS NOT NULL ORDER BY sort_key DESC LIMIT 1 OFFSET %s"  # noqa: S608

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
    "ranked_ids",
    "terms",
]


def index(kind, object_id, title, body, sort_key=None):
    """Index (or index again) one object; `body` should not repeat the title (it is added).
    `sort_key`: its date in the list's order (an article's publication), for ranked_ids()."""
    SearchDocument.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        defaults={"title": tokens(title), "body": tokens(f"{title}\n{body}"), "sort_key": sort_key},
    )


def forget(kind, object_id):
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def index_showcase(article, text):
    index(SHOWCASE, article.pk, article.title, text, sort_key=article.published_at)


def redate(showcase_id):
    """An article's sort_key is its publication date again: the workflow writes published_at
    with an UPDATE (no post_save), then runs its "search" effect, which calls this."""
    published = Showcase.objects.filter(pk=showcase_id).values("published_at")[:1]
    SearchDocument.objects.filter(kind=SHOWCASE, object_id=showcase_id).update(sort_key=Subquery(published))


def filter_ids(queryset, query, kind):
    """`queryset` narrowed to the objects matching any word of `query` (None: nothing searchable)."""
    found = terms(query)
    return _narrowed(queryset, kind, found) if found else None


def _narrowed(queryset, kind, found):
    """`queryset` narrowed to the rows matching any of `found`."""
    sql, params = backend().any_of(kind, found)
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - values are parameters


def _ranked(queryset, kind, found, since, dated):
    """(sql, params) of the ids of `queryset`'s matches (dated `since` or later: None, all), in the
    order of RANKING, at most MOST. The queryset's rows are joined with their documents, so how
    many words a title has is read from the document row itself."""
    engine = backend()
    # The window is the documents' (sort_key): the rows are found through them, one by one.
    rows = queryset.order_by().values(search_pk=F("pk"), search_date=F(dated))
    rows_sql, rows_params = rows.query.sql_with_params()
    docs_sql, docs_params = engine.documents(kind, found, since=since)
    words, words_params = None, []  # with one word every row found has it: nothing to count
    if len(found) > 1:
        parts = []
        for term in found:
            sql, params = engine.any_of(kind, [term], since=since)
            parts.append(f"(CASE WHEN d.object_id IN ({sql}) THEN 1 ELSE 0 END)")
            words_params += params
        words = " + ".join(parts)
    order = {"search_words": words, "search_title": "d.in_title", "search_date": "q.search_date", "search_pk": "q.search_pk"}
    sql = (
        f"SELECT q.search_pk FROM ({rows_sql}) AS q JOIN ({docs_sql}) AS d ON d.object_id = q.search_pk "  # noqa: S608 - SQL of the ORM and the backend
        f"ORDER BY {', '.join(f'{order[column]} DESC' for column in RANKING if order[column])} LIMIT %s"
    )
    return sql, [*rows_params, *docs_params, *words_params, MOST]


def ranked_ids(queryset, query, kind=SHOWCASE, dated="published_at"):
    """(ids, since): the ids of `queryset`'s rows matching any word of `query`, in the order of
    RANKING (at most MOST), and None, or, when more than CAP objects of `kind` match, the
    window's start: the earliest date (`sort_key`, the queryset's field `dated`) from which at
    least CAP rows match, and only those are ranked. The window is widened until it holds CAP
    of them (so a filter, a city or a kind, still gets CAP results when there are that many),
    wider in proportion to the matches the last window held. The first window is the newest
    CAP + 1 documents; when they hold fewer than CAP matches even before the queryset's
    filters, the search goes straight to a window sized by that count (a word in one article
    in twenty is ranked once, over about 5,000 articles). Each step costs what the window
    holds, not what the archive holds. ([], None) if the query has nothing searchable."""
    found = terms(query)
    if not found:
        return [], None
    engine = backend()
    sql, params = engine.any_of(kind, found)

    with connection.cursor() as cursor:

        def ids(since):
            ranked, ranked_params = _ranked(queryset, kind, found, since, dated)
            cursor.execute(engine.planned(ranked), ranked_params)
            return [row[0] for row in cursor.fetchall()]

        # One statement: the date of the newest CAP + 1 documents' oldest (the first window's
        # start), how many matches that window holds before the filters and, only when that is not
        # more than CAP, the capped count of all matches (more than CAP in the window: a common word).
        cursor.execute(
            engine.planned(
                f"SELECT start, held, CASE WHEN held <= %s THEN (SELECT COUNT(*) FROM ({sql} LIMIT %s) AS found) END "  # noqa: S608 - SQL of the backend
                f"FROM (SELECT first.sort_key AS start, (SELECT COUNT(*) FROM ({sql} AND sort_key >= first.sort_key "
                f"AND sort_key <= %s) AS held) AS held FROM ({WINDOW_START}) AS first LIMIT 1) AS first_window"
            ),
            [CAP, *params, CAP + 1, *params, connection.ops.adapt_datetimefield_value(LATEST), kind, CAP],
        )
        start, held, matches = cursor.fetchone() or (None, 0, 0)
        if held <= CAP and matches <= CAP:  # not more than CAP documents, or matches: rank them all
            return ids(None), None
        size, since = CAP + 1, _datetime(start)
        if held < CAP:  # the filters can only take matches away: this window cannot hold CAP
            size, since = _wider(size, held), None
        while True:
            if since is None:
                cursor.execute(WINDOW_START, [kind, size - 1])
                start = cursor.fetchone()
                if start is None:  # fewer dated objects than that: rank them all
                    return ids(None), None
                since = _datetime(start[0])
            got = ids(since)
            if len(got) >= CAP:
                return got, since
            size, since = _wider(size, len(got)), None


def _wider(size, held):
    """The next window's size, after a window of `size` documents held `held` matches: wide enough
    for CAP at that density (a quarter more), 2 to 32 times wider."""
    return min(size * 32, max(size * 2, size * CAP * 5 // (4 * max(held, 1))))


def _datetime(value):
    """A date read with a raw cursor, as the ORM would give it (SQLite returns text)."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    return convert(value, None, connection) if convert and value is not None else value


def page(queryset, query, number, per_page, fetch, kind=SHOWCASE, dated="published_at"):
    """One page of `queryset` searched for `query` in the order of RANKING (None: nothing
    searchable): the ranked ids (ranked_ids()), then `fetch(queryset)`
    loads the page's rows whole (joins and prefetches; sorting whole rows, with their joins,
    for every match costs far more). `page.search_capped`: the window was used ("超过 CAP 篇")."""
    if not terms(query):
        return None
    ids, since = ranked_ids(queryset, query, kind, dated)
    found = Paginator(ids, per_page).get_page(number)
    rows = fetch(queryset.model._default_manager.filter(pk__in=found.object_list)).in_bulk()
    found.object_list = [rows[pk] for pk in found.object_list if pk in rows]
    found.search_capped, found.search_cap = since is not None, CAP
    return found


def admin_search(queryset, term, kind):
    """For ModelAdmin.get_search_results: (queryset, may_have_duplicates). The objects of `kind`
    must be indexed with index(kind, ...); a term with nothing searchable finds nothing."""
    narrowed = filter_ids(queryset, term, kind)
    return (queryset.none() if narrowed is None else narrowed), False


def _connect():
    """Keep articles indexed on every save (title and stored text; publishing.edited() indexes the
    parts' fresh text after the parts are saved) and forget them when deleted. An article's
    publication dates its index entry again through the workflow's "search" effect (redate())."""

    def _saved(sender, instance, raw=False, **kwargs):
        if not raw:
            index_showcase(instance, instance.search_text)

    def _deleted(sender, instance, **kwargs):
        forget(SHOWCASE, instance.pk)

    post_save.connect(_saved, sender=Showcase, dispatch_uid="search-showcase-saved", weak=False)
    post_delete.connect(_deleted, sender=Showcase, dispatch_uid="search-showcase-deleted", weak=False)
