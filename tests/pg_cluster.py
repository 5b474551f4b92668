"""PostgreSQL servers of a test's own: a primary and its streaming replica, on free loopback ports.

Never the shared server on 5432. The binaries are PostgreSQL 15's (/usr/lib/postgresql/15/bin, the
Debian package postgresql-15); they refuse to run as root, so everything runs as the postgres user
(runuser) in a temporary directory it owns. Every wait is bounded; stop() removes the directory.

    primary = Cluster.primary()           # initdb, wal_level=replica, replication allowed from 127.0.0.1
    replica = Cluster.replica_of(primary)  # pg_basebackup -R into a second directory, started as a hot standby
    ...
    replica.stop(); primary.stop()
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2

from tests.processes import free_port

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "postgres"
TIMEOUT = 60  # seconds any one server command may take

SETTINGS = """
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 40
shared_buffers = 16MB
fsync = off
synchronous_commit = off
log_min_messages = warning
"""


def _run(*command, timeout=TIMEOUT):
    """A server binary as the postgres user; its output in the error when it fails."""
    result = subprocess.run(
        ["runuser", "-u", USER, "--", *map(str, command)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"{Path(str(command[0])).name} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _folder(prefix):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    user = pwd.getpwnam(USER)
    os.chown(path, user.pw_uid, user.pw_gid)
    return path


class Cluster:
    """One PostgreSQL server: its data directory (`data`), port and log file."""

    def __init__(self, folder, port):
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.port = port
        self.running = False

    @classmethod
    def primary(cls):
        folder = _folder("pg-primary-")
        cluster = cls(folder, free_port())
        try:
            _run(BIN / "initdb", "-D", cluster.data, "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            with open(cluster.data / "postgresql.conf", "a") as conf:
                conf.write(SETTINGS)
            with open(cluster.data / "pg_hba.conf", "a") as hba:
                hba.write("host replication all 127.0.0.1/32 trust\n")
            cluster.start()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    @classmethod
    def replica_of(cls, primary):
        """A hot standby streaming from `primary` (pg_basebackup -R writes its primary_conninfo)."""
        folder = _folder("pg-replica-")
        cluster = cls(folder, free_port())
        try:
            _run(
                BIN / "pg_basebackup",
                *("-h", "127.0.0.1", "-p", primary.port, "-U", USER),
                *("-D", cluster.data, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"),
            )
            cluster.start()
            cluster.wait_until(lambda: cluster.query("SELECT pg_is_in_recovery()") is True, "the replica is not in recovery")
        except BaseException:
            cluster.stop()
            raise
        return cluster

    @property
    def url(self):
        return f"postgres://{USER}@127.0.0.1:{self.port}"

    def start(self, attempts=3):
        """Start (again), on another free port if this one was taken meanwhile."""
        for attempt in range(attempts):
            try:
                _run(BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", TIMEOUT - 5, "-o", f"-p {self.port}", "start")
                self.running = True
                return
            except RuntimeError:
                if attempt == attempts - 1:
                    raise RuntimeError(f"PostgreSQL did not start:\n{self.tail()}") from None
                self.port = free_port()

    def stop(self, *, remove=True):
        if self.running:
            try:
                _run(BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", 30, "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                _run(BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", 30, "stop")
            self.running = False
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)

    def tail(self, size=3000):
        try:
            return self.log.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def connect(self, database="postgres"):
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=USER, dbname=database, connect_timeout=5)
        connection.autocommit = True
        return connection

    def query(self, sql, params=None, database="postgres"):
        """The first column of the first row."""
        connection = self.connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone() if cursor.description else None
                return row[0] if row else None
        finally:
            connection.close()

    def wait_until(self, ready, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except psycopg2.Error:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{what} after {timeout} s:\n{self.tail()}")

    # --- as a replica ---

    def caught_up_with(self, primary, timeout=30):
        """Wait until this replica has replayed everything the primary has written so far."""
        target = primary.query("SELECT pg_current_wal_insert_lsn()")
        self.wait_until(
            lambda: self.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]) is True,
            f"the replica did not replay up to {target}",
            timeout,
        )

    def pause_replay(self):
        self.query("SELECT pg_wal_replay_pause()")
        self.wait_until(lambda: self.query("SELECT pg_get_wal_replay_pause_state()") == "paused", "replay did not pause")

    def resume_replay(self):
        self.query("SELECT pg_wal_replay_resume()")
