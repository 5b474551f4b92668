"""The read replica (portal/dbrouter.py): the public column's reads from a streaming replica, a client
that wrote pinned to the primary for a while, and the primary again when the replica is down.

The router's decisions alone: tests/platform/test_replica_router.py. Here the whole path, against a real primary and its streaming replica started here (tests/pg_cluster.py: initdb,
pg_basebackup -R, both on free loopback ports, never the shared server), with the portal in a
gunicorn process of its own: replay paused on the replica makes the difference visible (an article
published on the primary is missing from the replica until replay resumes). It runs the same in the
SQLite and the PostgreSQL run of CI: it needs nothing of the test database.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from portal import dbrouter
from tests.pg_cluster import Cluster, free_port

ROOT = Path(__file__).resolve().parents[2]
PIN_SECONDS = 3
RETRY_SECONDS = 2


class Client:
    """A browser without JavaScript: keeps the cookies it is given (but never drops them itself,
    so the server's own check of the pin's age is what is tested)."""

    def __init__(self, url):
        self.url = url
        self.cookies = {}

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, headers, text = response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read().decode()
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, text

    def publish(self, lead):
        """A published article, through the workflow, in the server (tests/multiprocess_urls.py)."""
        status, body = self.request("/_test/article", {"lead": lead})
        assert status == 200, body[-2000:]
        return json.loads(body)["slug"]


@pytest.fixture(scope="module")
def clusters():
    primary = Cluster.primary()
    try:
        primary.query("CREATE DATABASE portal")
        replica = Cluster.replica_of(primary)
        try:
            yield primary, replica
        finally:
            replica.stop()
    finally:
        primary.stop()


@pytest.fixture(scope="module")
def portal(clusters, tmp_path_factory):
    primary, replica = clusters
    folder = tmp_path_factory.mktemp("replica-portal")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEST_ROOT_URLCONF": "tests.multiprocess_urls",
        "DATABASE_URL": f"{primary.url}/portal",
        "REPLICA_DATABASE_URL": f"{replica.url}/portal",
        "REPLICA_PIN_SECONDS": str(PIN_SECONDS),
        "REPLICA_RETRY_SECONDS": str(RETRY_SECONDS),
        "PAGE_CACHE_LOCAL_SECONDS": "0",  # every request looks at the shared version: no wait in the test
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_WORKERS": "1",  # one process: its back-off and its log line are the ones seen
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ("REDIS_URL", "REDIS_SENTINELS", "DATABASE_POOLER", "TASK_BROKER"):
        env.pop(name, None)  # the cache in the primary's table: shows it is never read from the replica
    for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    replica.caught_up_with(primary)
    port = free_port()
    server_id = uuid.uuid4().hex
    log_path = folder / "gunicorn.log"
    with open(log_path, "w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "TEST_SERVER_ID": server_id},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            client = Client(f"http://127.0.0.1:{port}")
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.request("/_test/whoami") == (200, server_id):
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"gunicorn did not start:\n{log.read()[-3000:]}")
                time.sleep(0.2)
            yield client.url, log_path
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def in_primary(primary, slug):
    return primary.query("SELECT count(*) FROM submissions_showcase WHERE slug = %s", [slug], database="portal")


def test_the_column_reads_the_replica_a_writer_the_primary_and_the_primary_when_the_replica_is_down(clusters, portal):
    primary, replica = clusters
    url, log_path = portal
    writer, reader = Client(url), Client(url)

    # Replicated: everyone reads it.
    first = writer.publish(lead := f"首篇{uuid.uuid4().hex[:8]}")
    assert dbrouter.PIN_COOKIE in writer.cookies  # a post pins its client
    replica.caught_up_with(primary)
    status, html = reader.request(f"/showcase/{first}/")
    assert status == 200 and lead in html
    assert dbrouter.PIN_COOKIE not in reader.cookies  # reading pins nobody

    # Replay paused: what is published now is on the primary only. The writer (pinned) reads the
    # primary and sees it; once its pin and the change's moment (REPLICA_PIN_SECONDS) are over,
    # pages read the replica, which does not have it yet. (The writer, with no session, renders the
    # shared page of `second` for everyone: the reader is asked for `third`, which nobody rendered.)
    replica.pause_replay()
    try:
        second = writer.publish(lead := f"次篇{uuid.uuid4().hex[:8]}")
        third = writer.publish(f"三篇{uuid.uuid4().hex[:8]}")
        assert in_primary(primary, second) == in_primary(primary, third) == 1
        status, html = writer.request(f"/showcase/{second}/")
        assert status == 200 and lead in html
        time.sleep(PIN_SECONDS + 0.5)
        assert reader.request(f"/showcase/{third}/")[0] == 404
        # The writer still sends its pin, now too old: the server refuses it and reads the replica.
        assert dbrouter.PIN_COOKIE in writer.cookies
        assert writer.request(f"/showcase/{third}/")[0] == 404
    finally:
        replica.resume_replay()
    replica.caught_up_with(primary)
    status, html = reader.request(f"/showcase/{second}/")
    assert status == 200 and lead in html
    assert reader.request(f"/showcase/{third}/")[0] == 200

    # The replica stopped: the portal reads the primary, without waiting on the replica each time,
    # and says so once.
    replica.stop(remove=False)
    try:
        fourth = writer.publish(lead := f"四篇{uuid.uuid4().hex[:8]}")
        # For PIN_SECONDS after a change pages are rendered from the primary (pagecache → dbrouter.changed).
        time.sleep(PIN_SECONDS + 0.5)
        started = time.monotonic()
        for path in (
            f"/showcase/{fourth}/",
            f"/showcase/{first}/",
            "/showcase/",
            "/brands/",
            "/showcase/feed/",
            "/sitemap.xml",
            "/",
        ):
            status, html = reader.request(path)
            assert status == 200, (path, html[-1000:])
        assert lead in reader.request(f"/showcase/{fourth}/")[1]
        assert time.monotonic() - started < 10
        assert log_path.read_text().count("Read replica unavailable") == 1
    finally:
        replica.start(attempts=1)  # on its own port: the portal's REPLICA_DATABASE_URL
    # Back: after REPLICA_RETRY_SECONDS the portal reads the replica again.
    replica.caught_up_with(primary)
    replica.pause_replay()
    try:
        fifth = writer.publish(f"五篇{uuid.uuid4().hex[:8]}")
        time.sleep(max(RETRY_SECONDS, PIN_SECONDS) + 0.5)
        assert reader.request(f"/showcase/{fifth}/")[0] == 404
        assert "Read replica back" in log_path.read_text()
    finally:
        replica.resume_replay()
    replica.caught_up_with(primary)
    assert reader.request(f"/showcase/{fifth}/")[0] == 200
