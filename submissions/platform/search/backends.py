"""The index, per database: each backend turns query terms into SQL that selects the ids of the
matching objects, served by the indexes migrations 0012 and 0021 built (see docs/search.md).

- PostgreSQL: `title_vector` and `body_vector`, generated `tsvector` columns of the token text
  (array_to_tsvector: the tokens are lexemes as they are, no parser or dictionary between),
  each with a GIN index; a term is a tsquery `'党建' & '建设'`, a prefix `'党':*`.
- SQLite: the FTS5 table `search_fts` (columns title, body; the `ascii` tokenizer, which keeps
  every non-ASCII character as part of a token) over the document table, kept by triggers;
  a term is `"党建" AND "建设"`, a prefix `"党"*`.
A search engine would be a third backend with the same methods (docs/search.md).
"""

from django.db import connection

TABLE = "submissions_searchdocument"


class PostgresBackend:
    vendor = "postgresql"

    @staticmethod
    def planned(sql):
        """`sql` to run with the GIN index, never a sequential scan: the planner costs `@@` on a
        scan as if the vectors were in the row, but they are TOASTed, and reading all of them for
        a common word costs 10-20x the index (docs/search.md). The setting travels with the
        statement, in one round trip, and lasts until the transaction ends: in autocommit, the
        statement's own (statements sent together run as one), so nothing else runs with it."""
        return f"SET LOCAL enable_seqscan = off; {sql}"

    @staticmethod
    def _tsquery(term):
        return " & ".join(f"'{token}'" + (":*" if prefix else "") for token, prefix in term.parts)

    def any_of(self, kind, terms, *, since=None):
        """(sql, params): ids of objects of `kind` whose text (the title's included) matches at
        least one of `terms` (and, with `since`, whose sort_key is that or later)."""
        query = " | ".join(f"({self._tsquery(term)})" for term in terms)
        sql = f"SELECT object_id FROM {TABLE} WHERE kind = %s AND body_vector @@ %s::tsquery"  # noqa: S608
        return _since(sql, [kind, query], since)  # the query is a parameter; its tokens hold only letters and digits

    def documents(self, kind, terms, *, since=None):
        """(sql, params): `object_id` and `in_title` (how many of `terms` the title has) of the
        documents that any_of() finds; a title is tested on the row (its vector is small)."""
        tests = [("(title_vector @@ %s::tsquery)::int", self._tsquery(term)) for term in terms]
        return _with_title(*self.any_of(kind, terms, since=since), tests)


class SqliteBackend:
    vendor = "sqlite"

    @staticmethod
    def planned(sql):
        return sql

    @staticmethod
    def _match(term):
        return " AND ".join(f'"{token}"' + ("*" if prefix else "") for token, prefix in term.parts)

    def any_of(self, kind, terms, *, since=None):
        query = " OR ".join(f"({self._match(term)})" for term in terms)
        query = f"body : ({query})"
        sql = f"SELECT object_id FROM {TABLE} WHERE kind = %s AND id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"  # noqa: S608
        return _since(sql, [kind, query], since)

    def documents(self, kind, terms, *, since=None):
        test = "(id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))"
        tests = [(test, f"title : ({self._match(term)})") for term in terms]
        return _with_title(*self.any_of(kind, terms, since=since), tests)


def _with_title(sql, params, tests):
    """any_of()'s documents with `in_title`, the sum of the `tests` (SQL, parameter) on the row."""
    in_title = " + ".join(test for test, _ in tests)
    return sql.replace("SELECT object_id", f"SELECT object_id, {in_title} AS in_title", 1), [*(p for _, p in tests), *params]


def _since(sql, params, since):
    """The window of search.ranked_ids(): only documents dated `since` or later (None: all)."""
    if since is None:
        return sql, params
    return f"{sql} AND sort_key >= %s", [*params, connection.ops.adapt_datetimefield_value(since)]


BACKENDS = {backend.vendor: backend for backend in (PostgresBackend(), SqliteBackend())}


def backend():
    return BACKENDS[connection.vendor]
