"""Behind PgBouncer, pg_dump and pg_restore reach PostgreSQL itself (DATABASE_DIRECT_URL): they set
session settings before their transaction, which transaction pooling could hand to another client."""

from submissions.platform import backups

POOLED = {"NAME": "portal", "HOST": "127.0.0.1", "PORT": 6432, "USER": "portal", "PASSWORD": "pooled"}


def ran(monkeypatch):
    calls = []
    monkeypatch.setattr(backups, "_run", lambda args, db: calls.append((args, db.get("PASSWORD"))))
    return calls


def test_with_a_direct_address_the_dump_and_the_restore_go_past_the_pooler(settings, monkeypatch, tmp_path):
    settings.DATABASE_DIRECT_URL = "postgres://backup:secret@10.0.0.5:5432/portal_main"
    calls = ran(monkeypatch)
    backups.pg_backup(POOLED, tmp_path / "db.dump")
    backups.pg_restore(POOLED, tmp_path / "db.dump")
    (dump, dump_password), (restore, restore_password) = calls
    assert dump[-7:] == ["-h", "10.0.0.5", "-p", "5432", "-U", "backup", "portal_main"]
    assert restore[restore.index("-d") + 1] == "portal_main"
    assert restore[-7:-1] == ["-h", "10.0.0.5", "-p", "5432", "-U", "backup"]
    assert (dump_password, restore_password) == ("secret", "secret")


def test_without_one_they_use_the_portal_s_own_connection(settings, monkeypatch, tmp_path):
    settings.DATABASE_DIRECT_URL = ""
    calls = ran(monkeypatch)
    backups.pg_backup(POOLED, tmp_path / "db.dump")
    ((dump, password),) = calls
    assert dump[-7:] == ["-h", "127.0.0.1", "-p", "6432", "-U", "portal", "portal"]
    assert password == "pooled"
