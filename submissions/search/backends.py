"""The index, per database: each backend turns query terms into SQL that selects the ids of the
matching objects, served by the index migration 0006 built (see docs/search.md).

- PostgreSQL: `title_vector` and `body_vector`, generated `tsvector` columns of the token text
  (array_to_tsvector: the tokens are lexemes as they are, no parser or dictionary between),
  each with a GIN index; a term is a tsquery `'党建' & '建设'`, a prefix `'党':*`.
- SQLite: the FTS5 table `search_fts` (columns title, body; the `ascii` tokenizer, which keeps
  every non-ASCII character as part of a token) over the document table, kept by triggers;
  a term is `"党建" AND "建设"`, a prefix `"党"*`.
A search engine would be a third backend with the same two methods (docs/search.md).
"""

import contextlib

from django.db import connection, transaction

TABLE = "submissions_searchdocument"
FIELDS = {"title": "title", "body": "body"}  # what a backend may name in SQL


class PostgresBackend:
    vendor = "postgresql"

    @contextlib.contextmanager
    def planned(self):
        """Run the search's queries with the GIN index, never a sequential scan: the planner
        costs `@@` on a scan as if the vectors were in the row, but they are TOASTed, and
        reading all of them for a common word costs 10-20x the index (docs/search.md).
        search.ranked_ids() runs a whole search in one such block (one SET)."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    @staticmethod
    def _tsquery(term):
        return " & ".join(f"'{token}'" + (":*" if prefix else "") for token, prefix in term.parts)

    def any_of(self, kind, terms, *, field="body", since=None):
        """(sql, params): ids of objects of `kind` whose `field` matches at least one of `terms`
        (and, with `since`, whose sort_key is that or later)."""
        query = " | ".join(f"({self._tsquery(term)})" for term in terms)
        sql = f"SELECT object_id FROM {TABLE} WHERE kind = %s AND {FIELDS[field]}_vector @@ %s::tsquery"  # noqa: S608
        return _since(sql, [kind, query], since)  # the query is a parameter; its tokens hold only letters and digits


class SqliteBackend:
    vendor = "sqlite"

    def planned(self):
        return contextlib.nullcontext()

    @staticmethod
    def _match(term):
        return " AND ".join(f'"{token}"' + ("*" if prefix else "") for token, prefix in term.parts)

    def any_of(self, kind, terms, *, field="body", since=None):
        query = " OR ".join(f"({self._match(term)})" for term in terms)
        query = f"{FIELDS[field]} : ({query})"
        sql = f"SELECT object_id FROM {TABLE} WHERE kind = %s AND id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"  # noqa: S608
        return _since(sql, [kind, query], since)


def _since(sql, params, since):
    """The window of search.ranked_ids(): only documents dated `since` or later (None: all)."""
    if since is None:
        return sql, params
    return f"{sql} AND sort_key >= %s", [*params, connection.ops.adapt_datetimefield_value(since)]


BACKENDS = {backend.vendor: backend for backend in (PostgresBackend(), SqliteBackend())}


def backend():
    return BACKENDS[connection.vendor]
