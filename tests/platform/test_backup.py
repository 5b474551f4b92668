"""Backups of database and media, and restoring them, on SQLite and on PostgreSQL."""

import io
import sqlite3
import tarfile
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from submissions.models import Photo, Submission
from submissions.platform import backups
from tests.factories import SubmissionFactory, add_photo


def test_sqlite_online_backup_is_consistent_while_writers_keep_writing(tmp_path):
    live = tmp_path / "live.sqlite3"
    db = sqlite3.connect(live, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("CREATE TABLE section (id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entry(id), body TEXT)")
    db.executemany("INSERT INTO entry (body) VALUES (?)", [("x" * 2000,)] * 3000)
    db.commit()

    stop, writing = threading.Event(), threading.Event()
    written = {"n": 0}

    def writer():
        # Each transaction writes an entry and its section together: a torn copy would show one without the other.
        other = sqlite3.connect(live, timeout=30)
        while not stop.is_set():
            with other:
                cursor = other.execute("INSERT INTO entry (body) VALUES (?)", ("y" * 2000,))
                other.execute("INSERT INTO section (entry_id, body) VALUES (?, 'z')", (cursor.lastrowid,))
            written["n"] += 1
            writing.set()
        other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(10)  # the backup is taken while the writer is at it (it used to restart for ever)
    try:
        source = sqlite3.connect(live, timeout=30)
        backups.sqlite_copy(source, tmp_path / "backup.sqlite3")
        source.close()
    finally:
        stop.set()
        thread.join()

    copy = sqlite3.connect(tmp_path / "backup.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    entries, sections = (copy.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("entry", "section"))
    assert entries - 3000 == sections, "every entry written with its section, or neither"
    assert (
        copy.execute(
            "SELECT count(*) FROM entry e LEFT JOIN section s ON s.entry_id = e.id WHERE e.id > 3000 AND s.id IS NULL"
        ).fetchone()[0]
        == 0
    )
    copy.close()
    assert not (tmp_path / "backup.sqlite3-wal").exists()

    backups.sqlite_restore(tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3")
    restored = sqlite3.connect(tmp_path / "restored.sqlite3")
    assert restored.execute("SELECT count(*) FROM entry").fetchone()[0] == entries
    assert restored.execute("SELECT count(*) FROM section").fetchone()[0] == sections


def test_media_archive_restores_every_file_and_refuses_path_tricks(tmp_path):
    media = tmp_path / "media"
    (media / "photos" / "ab").mkdir(parents=True)
    (media / "photos" / "ab" / "one.jpg").write_bytes(b"\xff\xd8\xff one")
    (media / "attachments").mkdir()
    (media / "attachments" / "报告.pdf").write_bytes(b"%PDF")
    backups.media_backup(media, tmp_path / "media.tar.gz")
    target = tmp_path / "restored"
    backups.media_restore(tmp_path / "media.tar.gz", target)
    assert (target / "photos" / "ab" / "one.jpg").read_bytes() == b"\xff\xd8\xff one"
    assert (target / "attachments" / "报告.pdf").read_bytes() == b"%PDF"

    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as archive:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(tarfile.FilterError):
        backups.media_restore(evil, target)
    assert not (tmp_path / "escaped.txt").exists()


def make_data():
    for _ in range(3):
        add_photo(SubmissionFactory(sections=3))


@pytest.mark.django_db(transaction=True)
def test_backup_command_then_restore_gives_back_rows_and_files(tmp_path, settings):
    make_data()
    counts = (Submission.objects.count(), Photo.objects.count())
    names = sorted(p.relative_to(settings.MEDIA_ROOT).as_posix() for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    folder = call_command("backup", "--dest", str(tmp_path / "backups"), stdout=io.StringIO())
    media = tmp_path / "restored-media"
    settings.MEDIA_ROOT = media

    if connection.vendor == "sqlite":
        restored = tmp_path / "restored.sqlite3"
        backups.sqlite_restore(f"{folder}/db.sqlite3", restored)
        backups.media_restore(f"{folder}/media.tar.gz", media)
        db = sqlite3.connect(restored)
        got = tuple(
            db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("submissions_submission", "submissions_photo")
        )
    else:
        got = restore_postgres_copy(f"{folder}/db.dump")
        backups.media_restore(f"{folder}/media.tar.gz", media)
    assert got == counts
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) == names


def restore_postgres_copy(dump):
    """Restore a pg_dump into a fresh database beside the test one; count rows there; drop it."""
    import psycopg2

    db = connection.settings_dict
    fresh = f"{db['NAME']}_restore"
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
            cursor.execute(f'CREATE DATABASE "{fresh}"')
        backups.pg_restore(db, dump, name=fresh)
        copy = psycopg2.connect(dbname=fresh, user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432)
        with copy, copy.cursor() as cursor:
            got = []
            for table in ("submissions_submission", "submissions_photo"):
                cursor.execute(f"SELECT count(*) FROM {table}")
                got.append(cursor.fetchone()[0])
        copy.close()
        return tuple(got)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_restore_command_refuses_a_folder_of_the_wrong_kind(tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="missing"):
        call_command("restore", str(tmp_path / "empty"), "--yes")
