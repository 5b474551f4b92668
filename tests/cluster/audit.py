"""What the cluster kept, read straight from its database (past PgBouncer), its bucket and its
mail log, to be compared with what the submitters were told. Table and column names come from
the models' own metadata; nothing here runs the portal's code."""

import collections
import contextlib
import json
import urllib.parse

import psycopg2

from submissions.models import OutboxMessage, Photo, Submission


def _table(model):
    return model._meta.db_table


def _column(model, name):
    return model._meta.get_field(name).column


def connect(url):
    parts = urllib.parse.urlsplit(url)
    return psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or ""),
        dbname=parts.path.lstrip("/"),
        connect_timeout=5,
    )


def rows(url, sql, params=()):
    with contextlib.closing(connect(url)) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def entries(url, marker):
    """{org_name: [(id, reference, tracking_token, status), ...]}: a list, so an entry stored twice shows."""
    s = Submission
    found = rows(
        url,
        f'SELECT "id", "{_column(s, "org_name")}", "{_column(s, "reference")}", "{_column(s, "tracking_token")}", '
        f'"{_column(s, "status")}" FROM "{_table(s)}" WHERE "{_column(s, "org_name")}" LIKE %s',
        [marker + "%"],
    )
    stored = collections.defaultdict(list)
    for pk, org_name, reference, token, status in found:
        stored[org_name].append((pk, reference, token, status))
    return dict(stored)


def photos(url):
    """{entry id or None (staged): [(image, display, thumbnail), ...]}."""
    p = Photo
    found = rows(
        url,
        f'SELECT "{_column(p, "submission")}", "{_column(p, "image")}", "{_column(p, "display")}", '
        f'"{_column(p, "thumbnail")}" FROM "{_table(p)}"',
    )
    kept = collections.defaultdict(list)
    for entry, *files in found:
        kept[entry].append(tuple(files))
    return dict(kept)


def outbox(url):
    """[(event, to, subject, state, attempts, entry id)] of every message the portal queued."""
    m = OutboxMessage
    names = ", ".join(f'"{_column(m, name)}"' for name in ("event", "to", "subject", "state", "attempts", "submission"))
    return rows(url, f'SELECT {names} FROM "{_table(m)}" ORDER BY "id"')


def mail_lines(path):
    """(to, subject) of every mail the workers handed to the mail server, one per line of the log."""
    if not path.exists():
        return []
    return [(line["to"][0], line["subject"]) for line in map(json.loads, path.read_text("utf-8").splitlines())]


def marks(path):
    """The sends the workers began: [{"pid", "at", "to", "subject"}]."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
