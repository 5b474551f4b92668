"""Backups of the database and the media, and restoring them (manage.py backup / restore).

- SQLite: SQLite's online backup API copies the live database page by page while the
  portal keeps writing; the copy is one consistent moment. A plain file copy of a live
  database (and its WAL) can be torn, so it is never used.
- PostgreSQL: pg_dump in its custom format (-Fc), restored with pg_restore.
- Media: a tar.gz of MEDIA_ROOT; restored with tarfile's "data" filter, so a doctored
  archive cannot write outside MEDIA_ROOT or create links and devices.
- Media in an S3 bucket (MEDIA_STORAGE=s3): streamed with a manifest of checksums,
  submissions/platform/backups_s3.py.
See docs/operations.md.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import dj_database_url
from django.conf import settings

PAGES_PER_STEP = 256  # pages written per step of a restore (its source, the backup file, never changes)


class BackupError(Exception):
    pass


def vendor(db):
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"no backup for database engine {engine}")


# SQLite -------------------------------------------------------------------------------


def sqlite_copy(source, dest_path):
    """Online backup of an open sqlite3 connection into a new file at dest_path.

    In one step, a read of one snapshot: in WAL mode (the portal's) writers go on meanwhile. A
    copy in several steps starts again whenever another connection writes between two steps, so
    under steady writes it never ended (the backup test ran for 16 minutes on a busy machine)."""
    dest_path = Path(dest_path)
    partial = dest_path.with_name(dest_path.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the backup copy failed its integrity check: {check}")
    finally:
        target.close()
    os.replace(partial, dest_path)
    return dest_path


def sqlite_backup(db, dest_path, connection=None):
    """Back up the SQLite database of settings `db`; through Django's open connection if given
    (so an in-memory test database works too), else a connection of our own to the file."""
    if connection is not None:
        connection.ensure_connection()
        return sqlite_copy(connection.connection, dest_path)
    source = sqlite3.connect(db["NAME"], timeout=30)
    try:
        return sqlite_copy(source, dest_path)
    finally:
        source.close()


def sqlite_restore(backup_path, dest_path):
    """Write the backup into the database file at dest_path (through the backup API, so a
    database that is open elsewhere is replaced consistently)."""
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dest_path, timeout=30)
        try:
            source.backup(target, pages=PAGES_PER_STEP)
        finally:
            target.close()
    finally:
        source.close()


# PostgreSQL ---------------------------------------------------------------------------


def direct(db):
    """The connection pg_dump and pg_restore use: DATABASE_DIRECT_URL's (PostgreSQL itself, past
    PgBouncer) where it is set, else the portal's own."""
    url = getattr(settings, "DATABASE_DIRECT_URL", "")
    return {**db, **dj_database_url.parse(url)} if url else db


def _pg_args(db):
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def _pg_env(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


# A backup or restore that cannot finish says so instead of hanging a cron job (or CI).
TIMEOUT_SECONDS = int(os.environ.get("BACKUP_TIMEOUT_SECONDS", "3600"))
LOCK_WAIT = os.environ.get("BACKUP_LOCK_WAIT", "120s")


def _run(args, db):
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(f"{args[0]} is not installed (apt-get install postgresql-client)")
    try:
        result = subprocess.run(  # noqa: S603 (fixed tool, list args)
            [tool, *args[1:]], env=_pg_env(db), capture_output=True, text=True, check=False, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{args[0]} did not finish within {TIMEOUT_SECONDS} s (BACKUP_TIMEOUT_SECONDS)")
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")
    return result


def pg_backup(db, dest_path, name=None):
    db = direct(db)
    _run(
        [
            "pg_dump",
            "-Fc",
            "--no-owner",
            f"--lock-wait-timeout={LOCK_WAIT}",
            "-f",
            str(dest_path),
            *_pg_args(db),
            name or db["NAME"],
        ],
        db,
    )
    return Path(dest_path)


def pg_restore(db, backup_path, name=None):
    """Restore into database `name` (default: the configured one), replacing what is there."""
    db = direct(db)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            name or db["NAME"],
            *_pg_args(db),
            str(backup_path),
        ],
        db,
    )


# Media --------------------------------------------------------------------------------


def media_backup(media_root, dest_path):
    media_root = Path(media_root)
    with tarfile.open(dest_path, "w:gz") as archive:
        if media_root.exists():
            for child in sorted(media_root.iterdir()):
                archive.add(child, arcname=child.name)
    return Path(dest_path)


def media_restore(backup_path, media_root):
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup_path, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
