"""What operators watch: /healthz part by part, /metrics (content and who may read it), JSON logs
with the request's id."""

import json
import logging
import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.utils import timezone
from django_q.models import OrmQ, Schedule

from submissions.models import OutboxMessage
from submissions.models import Status as S
from submissions.platform import tasks
from tests.factories import submission_in


def use_cache(monkeypatch, location, **options):
    """The default cache replaced, for this test only, by our Redis cache at `location`."""
    from portal.cache import ReusingRedisCache

    monkeypatch.setattr(caches._connections, "default", ReusingRedisCache(location, options), raising=False)


def beat(minutes_ago):
    """The heartbeat schedule as a worker's scheduler leaves it (its next run a minute ahead of
    its last), `minutes_ago` minutes after the worker stopped."""
    tasks.sync_schedules()
    Schedule.objects.filter(name=tasks.HEARTBEAT).update(next_run=timezone.now() + timedelta(minutes=1 - minutes_ago))


@pytest.mark.django_db
def test_healthz_all_parts_ok(client):
    beat(0)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database", "cache", "storage", "worker")} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "worker": "ok",
    }
    assert body["details"]["storage"]["free_bytes"] > 0
    assert body["details"]["worker"]["waiting"] == 0


@pytest.mark.django_db
def test_healthz_worker_down_still_serves(client):
    beat(5)  # the last worker stopped five minutes ago
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["worker"]) == ("degraded", "ok", "down")
    assert "heartbeat" in body["details"]["worker"]["error"]


@pytest.mark.django_db
def test_healthz_no_worker_ever(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["worker"] == "down"


@pytest.mark.django_db
def test_healthz_with_redis_down_answers_and_names_the_cache(client, monkeypatch):
    beat(0)
    with monkeypatch.context() as patch:
        use_cache(patch, "redis://127.0.0.1:1/0")  # nothing listens there
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"], body["storage"], body["worker"]) == (
        "degraded",
        "ok",
        "down",
        "ok",
        "ok",
    )
    assert body["details"]["cache"]["error"] == "ConnectionError"


@pytest.mark.django_db
def test_healthz_storage_down(client, settings, tmp_path):
    beat(0)
    locked = tmp_path / "media"
    locked.mkdir()
    locked.chmod(0o500)
    settings.MEDIA_ROOT = locked
    try:
        body = client.get("/healthz").json()
    finally:
        locked.chmod(0o700)
    if body["storage"] == "ok":  # root ignores permissions: a file where the folder should be
        settings.MEDIA_ROOT = tmp_path / "file"
        (tmp_path / "file").write_text("x")
        body = client.get("/healthz").json()
    assert (body["status"], body["storage"], body["database"]) == ("degraded", "down", "ok")


@pytest.mark.django_db
def test_healthz_503_and_every_part_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["worker"]) == ("error", "down", "down")
    assert body["cache"] in ("ok", "down") and body["storage"] == "ok"


def scrape(client, **extra):
    return client.get("/metrics", **extra)


@pytest.mark.django_db
def test_metrics_content(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    submission_in(S.SUBMITTED)
    submission_in(S.SUBMITTED)
    submission_in(S.FIRST_REVIEW)
    OutboxMessage.objects.all().delete()
    OutboxMessage.objects.create(event="received", to="a@example.com", subject="s", body="b")
    OutboxMessage.objects.create(event="received", to="b@example.com", subject="s", body="b", state="failed", attempts=3)
    settings.TASKS_EAGER = False
    tasks.enqueue(tasks.heartbeat)
    tasks.enqueue(tasks.heartbeat)
    OrmQ.objects.filter(pk=OrmQ.objects.order_by("pk").first().pk).update(lock=timezone.now())
    beat(0)
    client.get("/showcase/")  # a request for the request metrics
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    lines = set(text.splitlines())
    for line in (
        'portal_entries{status="submitted"} 2.0',
        'portal_entries{status="first_review"} 1.0',
        "portal_entries_submitted 3.0",
        'portal_outbox_messages{state="queued"} 1.0',
        'portal_outbox_messages{state="failed"} 1.0',
        'portal_outbox_messages{state="sent"} 0.0',
        "portal_tasks_waiting 2.0",
        "portal_tasks_failed 0.0",
        "portal_worker_up 1.0",
    ):
        assert line in lines, line
    oldest = next(line for line in lines if line.startswith("portal_tasks_oldest_waiting_seconds "))
    assert 0 <= float(oldest.split()[1]) < 60
    # django-prometheus: requests, latency, database, cache.
    for name in (
        "django_http_requests_total_by_method_total",
        "django_http_requests_latency_seconds_by_view_method_bucket",
        "django_db_execute_total",
        "django_http_responses_total_by_status_total",
    ):
        assert name in text, name


@pytest.mark.django_db
def test_metrics_cache_counters_with_redis(client, settings, monkeypatch):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    with monkeypatch.context() as patch:
        use_cache(patch, "redis://127.0.0.1:6379/15", KEY_PREFIX="ops-test")
        caches["default"].get("ops-test-missing")
        text = scrape(client).content.decode()
    assert 'django_cache_get_total{backend="redis"}' in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "header", "expected"),
    [
        ("127.0.0.1", None, 200),  # a listed address
        ("10.0.0.9", None, 403),  # anyone else
        ("10.0.0.9", "Bearer s3cret-token", 200),  # with the token, from anywhere
        ("10.0.0.9", "Bearer wrong", 403),
        ("10.0.0.9", "s3cret-token", 403),  # not a bearer header
    ],
)
def test_metrics_access_rule(client, settings, address, header, expected):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "::1"]
    settings.METRICS_TOKEN = "s3cret-token"
    extra = {"REMOTE_ADDR": address}
    if header:
        extra["HTTP_AUTHORIZATION"] = header
    response = scrape(client, **extra)
    assert response.status_code == expected
    assert (b"portal_entries" in response.content) is (expected == 200)


@pytest.mark.django_db
def test_metrics_without_a_token_no_bearer_gets_in(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    settings.METRICS_TOKEN = ""
    assert scrape(client, REMOTE_ADDR="10.0.0.9", HTTP_AUTHORIZATION="Bearer ").status_code == 403


@pytest.mark.django_db
def test_metrics_behind_a_proxy_uses_the_forwarded_address(client, settings, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    settings.METRICS_ALLOWED_IPS = ["10.1.1.1"]
    assert scrape(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1").status_code == 200
    assert scrape(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1, 10.2.2.2").status_code == 403


@pytest.mark.django_db
def test_request_id_header_kept_or_made(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-abc12345")["X-Request-ID"] == "nginx-abc12345"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nX-Evil: 1")["X-Request-ID"]
    assert forged != "bad id\nX-Evil: 1" and len(forged) == 32


def test_json_logs_one_object_per_line_with_the_request_id():
    """LOG_FORMAT=json in a fresh process: a request's log lines are JSON objects with its id."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django, logging; django.setup()\n"
        "from django.test import Client\n"
        "from django.http import HttpResponse\n"
        "def noisy(request):\n"
        "    logging.getLogger('portal.test').warning('探针 %s', 'ok')\n"
        "    return HttpResponse('x')\n"
        "from django.urls import path, clear_url_caches\n"
        "import submissions.urls as urls\n"
        "urls.urlpatterns.insert(0, path('noisy', noisy))\n"
        "clear_url_caches()\n"
        "r = Client(SERVER_NAME='localhost').get('/noisy', HTTP_X_REQUEST_ID='req-12345678')\n"
        "assert r.status_code == 200, r.status_code\n"
        "logging.getLogger('portal.test').warning('outside')\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert len(records) == len([line for line in result.stderr.splitlines() if line.strip()])
    mine = [r for r in records if r.get("logger") == "portal.test"]
    assert [(r["message"], r["request_id"], r["level"]) for r in mine] == [
        ("探针 ok", "req-12345678", "WARNING"),
        ("outside", "-", "WARNING"),
    ]
    assert all("time" in r for r in mine)
    # The time with its offset, in the site's zone (issue 25, item 9: the portal's lines had none).
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00", r["time"]) for r in mine), mine


def test_text_logs_carry_the_request_id_too():
    from portal.observability import RequestIdFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    assert RequestIdFilter().filter(record) and record.request_id == "-"


@pytest.mark.django_db
def test_healthz_object_storage_is_probed_with_one_request(client, monkeypatch):
    """S3 (or any storage that is not the file system): one exists() call reaches the bucket."""
    from django.core.files.storage import Storage, storages

    class Bucket(Storage):
        calls = []

        def exists(self, name):
            self.calls.append(name)
            return False

    class DeadBucket(Bucket):
        def exists(self, name):
            raise OSError("endpoint unreachable")

    beat(0)
    with monkeypatch.context() as patch:
        patch.setitem(storages._storages, "default", Bucket())
        body = client.get("/healthz").json()
        assert (body["storage"], Bucket.calls) == ("ok", ["healthz-probe"])
        patch.setitem(storages._storages, "default", DeadBucket())
        body = client.get("/healthz").json()
    assert (body["status"], body["storage"], body["details"]["storage"]["error"]) == ("degraded", "down", "OSError")


def test_a_404_writes_no_django_request_warning_other_statuses_still_do(db, client, caplog):
    """The proxy's access log has every 404; a scan of random paths must not write a line each."""

    import logging

    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/no-such-page/").status_code == 404
        logging.getLogger("django.request").warning("Method Not Allowed: /x", extra={"status_code": 405})
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages == ["Method Not Allowed: /x"]


def test_text_logs_and_the_workers_lines_carry_the_time_with_its_offset(settings):
    """Issue 25, item 9: Django's and django-q2's lines read Beijing time without an offset, gunicorn's
    UTC; now every line of ours says which (the site's zone, +08:00), the worker's through our handler."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portal.observability import IsoTimeFormatter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    record.created = datetime(2026, 12, 6, 15, 15, 1, 123000, tzinfo=ZoneInfo("UTC")).timestamp()
    record.request_id = "-"
    line = IsoTimeFormatter("%(asctime)s %(levelname)s %(message)s").format(record)
    assert line == "2026-12-06T23:15:01.123+08:00 INFO m"
    worker = logging.getLogger("django-q")
    formats = [handler.formatter for handler in worker.handlers if handler.formatter is not None]
    assert any(isinstance(formatter, IsoTimeFormatter) for formatter in formats)  # ours (pytest adds its own beside it)
    assert not any("[Q]" in (formatter._fmt or "") for formatter in formats)  # not django-q2's own, without an offset
    assert worker.propagate is False
