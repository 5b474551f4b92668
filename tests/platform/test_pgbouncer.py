"""The portal behind PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer, docs/deploy.md).

Each test starts its own PgBouncer (tests/pgbouncer_server.py) in front of a database of its
own on a real PostgreSQL server: this run's when it runs on PostgreSQL, 127.0.0.1:5432
(TEST_POSTGRES_URL) when it runs on SQLite, so both runs test the same thing. The portal's
multi-process tests also run through one (tests/platform/test_multiprocess.py, [pgbouncer]).
"""

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from portal import env
from tests.pgbouncer_server import PgBouncer, direct_url, postgres_server, scratch_database

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 1000


@pytest.fixture
def server():
    return postgres_server()


@pytest.fixture
def database(server):
    with scratch_database(server) as name:
        yield name


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker):
    """The tests' connections go to a database of their own (not the run's test database)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def bouncer(server):
    with PgBouncer(**server, pool_size=4) as running:
        yield running


def portal_connections(url, count, pooler="pgbouncer"):
    """`count` connections made as the portal makes them, from its own settings for `url`."""
    config = env.database(url, statement_timeout_ms=TIMEOUT_MS, pooler=pooler)
    aliases = ["default", *(f"c{i}" for i in range(1, count))]
    handler = ConnectionHandler({alias: dict(config) for alias in aliases})
    connections = [handler[alias] for alias in aliases]
    for connection in connections:
        connection.inc_thread_sharing()  # each is used by one thread of a pool at a time
    return handler, connections


def manage(url, *args, code=None):
    """manage.py as an operator runs it, behind PgBouncer, with a one-second statement timeout."""
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "DATABASE_POOLER": "pgbouncer",
        "DB_STATEMENT_TIMEOUT_MS": str(TIMEOUT_MS),
    }
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


# What the command shows, then the start-up check, registered as the app registers it
# (portal/db_session.py) and run as at start-up: one process, Django set up once.
CHECK = """
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import CommandError
from portal import db_session
db_session.register()
try:
    call_command("db_statement_timeout")
except CommandError as error:
    print(error)
call_command("check", databases=["default"])
"""


def test_pooler_setting_takes_only_known_values(monkeypatch):
    monkeypatch.setenv("DATABASE_POOLER", " PgBouncer ")
    assert env.pooler() == "pgbouncer"
    monkeypatch.setenv("DATABASE_POOLER", "pgpool")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOLER"):
        env.pooler()
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        env.database("sqlite:///x.sqlite3", statement_timeout_ms=TIMEOUT_MS, pooler="pgbouncer")


def test_behind_pgbouncer_no_startup_options_and_no_server_side_cursors():
    direct = env.database("postgres://portal@db/portal", statement_timeout_ms=TIMEOUT_MS)
    pooled = env.database("postgres://portal@db/portal", statement_timeout_ms=TIMEOUT_MS, pooler="pgbouncer")
    assert direct["OPTIONS"] == {"options": "-c statement_timeout=1000"}
    assert "options" not in pooled["OPTIONS"]
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert not direct.get("DISABLE_SERVER_SIDE_CURSORS")
    # Without PgBouncer, 0 is sent too: no timeout for that process, whatever the role's default.
    unbounded = env.database("postgres://portal@db/portal", statement_timeout_ms=0)
    assert unbounded["OPTIONS"] == {"options": "-c statement_timeout=0"}


def test_django_pool_needs_psycopg_3_which_the_portal_does_not_ship():
    with pytest.raises(ImproperlyConfigured, match=r"psycopg\[binary,pool\]"):
        env.database("postgres://portal@db/portal", statement_timeout_ms=TIMEOUT_MS, pooler="django")


def test_portal_connects_through_pgbouncer_only_without_startup_options(bouncer, database):
    """The problem of issue 25: PgBouncer refuses the start-up option the portal used to send."""
    handler, (plain,) = portal_connections(bouncer.url(database), 1, pooler="")
    with pytest.raises(OperationalError, match="unsupported startup parameter: options"):
        plain.ensure_connection()
    handler, (pooled,) = portal_connections(bouncer.url(database), 1)
    try:
        with pooled.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            assert cursor.fetchone() == (database,)
    finally:
        handler.close_all()


def test_statement_timeout_set_by_the_command_cancels_slow_queries_through_pgbouncer(server, bouncer, database):
    url = bouncer.url(database)
    # Not yet set: the command says so and the check stops start-up.
    before = manage(url, code=CHECK)
    assert "statement_timeout: 0 ms (DB_STATEMENT_TIMEOUT_MS: 1000 ms)" in before.stdout, before.stdout + before.stderr
    assert before.returncode != 0 and "portal.E001" in before.stderr, before.stderr

    applied = manage(url, "db_statement_timeout", "--apply")
    assert applied.returncode == 0, applied.stderr
    bouncer.admin("RECONNECT")  # server sessions opened before the change keep their old default
    after = manage(url, code=CHECK)
    assert after.returncode == 0, after.stderr
    assert "statement_timeout: 1000 ms" in after.stdout and "no issues" in after.stdout, after.stdout

    # Every server connection of the pool has it: as many slow queries at once as the pool has connections.
    handler, clients = portal_connections(url, 4)
    barrier = threading.Barrier(len(clients), timeout=30)

    def slow(connection):
        barrier.wait()
        started = time.monotonic()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(5)")
            return "finished", time.monotonic() - started
        except OperationalError as error:
            return str(error).splitlines()[0], time.monotonic() - started

    try:
        with ThreadPoolExecutor(len(clients)) as pool:
            results = list(pool.map(slow, clients))
        for cursor_connection in clients:  # and the connection is usable afterwards
            with cursor_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
    finally:
        handler.close_all()
    assert [message for message, _ in results] == ["canceling statement due to statement timeout"] * 4
    assert max(seconds for _, seconds in results) < 4
    # A direct connection without the portal's options gets the same default.
    with closing(psycopg2.connect(direct_url(server, database), connect_timeout=5)) as direct, direct.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("1s",)


def test_forty_portal_connections_share_the_pools_four_server_connections(server, bouncer, database):
    handler, clients = portal_connections(bouncer.url(database), 40)

    def work(connection):
        pids = set()
        for _ in range(3):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.02)")
                pids.add(cursor.fetchone()[0])
        return pids

    try:
        with ThreadPoolExecutor(10) as pool:
            pids = set().union(*pool.map(work, clients))
        assert all(client.connection is not None and not client.connection.closed for client in clients)
        pools = [row for row in bouncer.admin("SHOW POOLS") if row["database"] == database]
        servers = [row for row in bouncer.admin("SHOW SERVERS") if row["database"] == database]
        with closing(psycopg2.connect(direct_url(server, "postgres"), connect_timeout=5)) as direct, direct.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database])
            sessions = cursor.fetchone()[0]
    finally:
        handler.close_all()
    assert len(pools) == 1 and pools[0]["pool_mode"] == "transaction"
    assert pools[0]["cl_active"] + pools[0]["cl_waiting"] == 40
    assert 1 <= len(servers) <= 4
    assert 1 <= len(pids) <= 4
    assert 1 <= sessions <= 4
