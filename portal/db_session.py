"""The statement timeout as a PostgreSQL default, for connections that cannot carry it themselves.

Behind PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer) a connection may not send
start-up options, and a session SET would stay on whichever server connection ran it. The
timeout is therefore the portal role's default in the portal's database
(ALTER ROLE … IN DATABASE … SET statement_timeout), which PostgreSQL applies to every server
session it opens, whoever pools it. `manage.py db_statement_timeout --apply` sets it;
`check_statement_timeout` (a database check: `manage.py check --database default`, and
`manage.py migrate` before it migrates) refuses to go on while it differs from
DB_STATEMENT_TIMEOUT_MS.
"""

from django.conf import settings
from django.core import checks
from django.db import connections

ALIAS = "default"


def current_ms(alias=ALIAS):
    """The statement timeout the server applies to this connection's queries, in milliseconds."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout'")
        return cursor.fetchone()[0]


def apply(milliseconds, alias=ALIAS):
    """Make `milliseconds` the connecting role's default in this database (0: no timeout).
    Server sessions opened from now on take it; PgBouncer's open ones after a RECONNECT."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        role, database = cursor.fetchone()
        # ALTER ROLE takes no parameters; both names are quoted identifiers, the number an int.
        cursor.execute(f"ALTER ROLE {quote(role)} IN DATABASE {quote(database)} SET statement_timeout = {int(milliseconds)}")
    return role, database


def check_statement_timeout(app_configs=None, databases=None, **kwargs):
    """Behind PgBouncer: the server's default statement timeout is DB_STATEMENT_TIMEOUT_MS."""
    if not databases or ALIAS not in databases:
        return []
    wanted = settings.DB_STATEMENT_TIMEOUT_MS
    connection = connections[ALIAS]
    if connection.vendor != "postgresql" or getattr(settings, "DATABASE_POOLER", "") != "pgbouncer":
        return []
    got = current_ms()
    if got == wanted:
        return []
    return [
        checks.Error(
            f"behind PgBouncer the statement timeout is the database's default: it is {got} ms, "
            f"DB_STATEMENT_TIMEOUT_MS is {wanted} ms.",
            hint="Run `manage.py db_statement_timeout --apply` (docs/deploy.md, PgBouncer and connection pooling).",
            id="portal.E001",
        )
    ]


def register():
    checks.register(check_statement_timeout, checks.Tags.database)
