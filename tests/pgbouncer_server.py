"""A PgBouncer of a test's own, in transaction mode, in front of a PostgreSQL server.

Debian's /usr/sbin/pgbouncer refuses to run as root: as root it is started as the `postgres`
user, from a temporary folder that user owns. It listens on a free loopback port (no Unix
socket), trusts the users of its auth file (the server behind it decides, as the portal's
PostgreSQL does) and has an admin console (database `pgbouncer`) for SHOW POOLS / SHOW SERVERS.
Every wait is bounded; `stop()` ends the process and removes the folder.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import psycopg2

from tests.processes import end, free_port

# The PostgreSQL server behind it when the run's own database is SQLite (CI always has this one).
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

BINARY = os.environ.get("PGBOUNCER", "/usr/sbin/pgbouncer")
RUN_AS = "postgres"


loopback_port = free_port


def postgres_server():
    """host, port, user and password of a PostgreSQL server: this run's, or POSTGRES_URL's."""
    from django.db import connection

    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    url = urllib.parse.urlsplit(POSTGRES_URL)
    return {
        "host": url.hostname,
        "port": url.port,
        "user": urllib.parse.unquote(url.username or ""),
        "password": urllib.parse.unquote(url.password or ""),
    }


def direct_url(server, database):
    auth = urllib.parse.quote(server["user"] or "postgres")
    if server["password"]:
        auth += ":" + urllib.parse.quote(server["password"])
    return f"postgres://{auth}@{server['host'] or '127.0.0.1'}:{server['port'] or 5432}/{database}"


def _maintenance(server):
    connection = psycopg2.connect(
        host=server["host"] or "127.0.0.1",
        port=server["port"] or 5432,
        user=server["user"] or "postgres",
        password=server["password"] or "",
        dbname="postgres",
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


@contextlib.contextmanager
def scratch_database(server, prefix="pgb"):
    """An empty database of the test's own on `server`, dropped afterwards (with any sessions left on it)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with contextlib.closing(_maintenance(server)) as connection, connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with contextlib.closing(_maintenance(server)) as connection, connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class PgBouncer:
    def __init__(self, host="127.0.0.1", port=5432, user="postgres", password="", pool_size=5, settings=None):
        self.backend = (host or "127.0.0.1", int(port or 5432))
        self.user, self.password = user or "postgres", password or ""
        self.pool_size = pool_size
        self.settings = settings or {}
        self.folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.process = None

    def url(self, database):
        auth = urllib.parse.quote(self.user)
        if self.password:
            auth += ":" + urllib.parse.quote(self.password)
        return f"postgres://{auth}@127.0.0.1:{self.port}/{database}"

    def connect(self, database, **kwargs):
        return psycopg2.connect(
            host="127.0.0.1", port=self.port, dbname=database, user=self.user, password=self.password, connect_timeout=5, **kwargs
        )

    def admin(self, command):
        """A SHOW command on the admin console, as a list of dicts."""
        connection = self.connect("pgbouncer")
        connection.autocommit = True  # the console knows no transactions
        try:
            with connection.cursor() as cursor:
                cursor.execute(command)
                if cursor.description is None:  # RECONNECT, PAUSE…: no rows
                    return []
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
        finally:
            connection.close()

    def _write_config(self):
        host, port = self.backend
        settings = {
            "listen_addr": "127.0.0.1",
            "listen_port": str(self.port),
            "unix_socket_dir": "",
            "auth_type": "trust",
            "auth_file": str(self.folder / "userlist.txt"),
            "admin_users": self.user,
            "stats_users": self.user,
            "pool_mode": "transaction",
            "default_pool_size": str(self.pool_size),
            "min_pool_size": "0",
            "reserve_pool_size": "0",
            "max_client_conn": "500",
            "server_reset_query": "",
            "logfile": str(self.folder / "pgbouncer.log"),
            "pidfile": str(self.folder / "pgbouncer.pid"),
            **self.settings,
        }
        password = self.password.replace('"', '""')
        (self.folder / "userlist.txt").write_text(f'"{self.user}" "{password}"\n')
        lines = ["[databases]", f"* = host={host} port={port}", "", "[pgbouncer]"]
        lines += [f"{name} = {value}" for name, value in settings.items()]
        (self.folder / "pgbouncer.ini").write_text("\n".join(lines) + "\n")

    def start(self, attempts=3, timeout=15):
        for _ in range(attempts):
            self.port = loopback_port()
            self._write_config()
            command = [BINARY, str(self.folder / "pgbouncer.ini")]
            if os.geteuid() == 0:
                shutil.chown(self.folder, RUN_AS)
                for path in self.folder.iterdir():
                    shutil.chown(path, RUN_AS)
                command = ["runuser", "-u", RUN_AS, "--", *command]
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    self.admin("SHOW VERSION")
                    return self
                except psycopg2.OperationalError:
                    time.sleep(0.1)
            self._end()  # the port was taken meanwhile, or it did not come up in time: again
        raise RuntimeError(f"pgbouncer did not start:\n{self.log()[-3000:]}")

    def log(self):
        path = self.folder / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _end(self):
        if self.process is None:
            return
        end(self.process)
        self.process = None

    def stop(self):
        self._end()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
