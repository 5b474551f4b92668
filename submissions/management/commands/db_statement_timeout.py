"""Show, or set, the statement timeout PostgreSQL applies to the portal's own sessions.

Behind PgBouncer (DATABASE_POOLER=pgbouncer) the timeout cannot travel with the connection;
`--apply` makes DB_STATEMENT_TIMEOUT_MS the role's default in the database (docs/deploy.md).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import db_session


class Command(BaseCommand):
    help = "Show the statement timeout PostgreSQL applies; --apply sets DB_STATEMENT_TIMEOUT_MS as the role's default in the database."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="ALTER ROLE … IN DATABASE … SET statement_timeout")

    def handle(self, *args, apply=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("only PostgreSQL has a statement timeout to set.")
        wanted = settings.DB_STATEMENT_TIMEOUT_MS
        if apply:
            role, database = db_session.apply(wanted)
            self.stdout.write(f"statement_timeout = {wanted} ms for role {role} in database {database} (new sessions).")
            return
        got = db_session.current_ms()
        self.stdout.write(f"statement_timeout: {got} ms (DB_STATEMENT_TIMEOUT_MS: {wanted} ms)")
        if got != wanted:
            raise CommandError("the server's statement timeout differs from DB_STATEMENT_TIMEOUT_MS; run with --apply.")
