"""Two production server processes on one database and one Redis: what one does, both see.

Starts two gunicorn servers (one worker each, different ports) with the test-only URLs of
tests/multiprocess_urls.py, against the same database (PostgreSQL: this run's test database;
SQLite: a migrated file database, since an in-memory one cannot be shared) and the same Redis
cache (REDIS_URL, default redis://127.0.0.1:6379/15, under a key prefix of its own). Entries
are posted through the real public form (the load test's submitter: CSRF, formsets, honeypot,
the `started` stamp as served, photos), each client with its own X-Forwarded-For address as
nginx would send it (PROXY_COUNT=1). Ports: TEST_PORTS (default 8200-8299, apart from the benchmarks' 8100-8199).

Every test runs twice: [direct] as above, and [pgbouncer] with both servers reaching PostgreSQL
through a PgBouncer in transaction mode with ONE server connection (DATABASE_POOLER=pgbouncer;
tests/pgbouncer_server.py), so their transactions take turns on it and nothing may rely on
session state: this run's test database on a PostgreSQL run, a migrated database of its own
on 127.0.0.1:5432 (TEST_POSTGRES_URL) on a SQLite run.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from bench.common import free_port
from tests import migrated

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_low, _high = (int(part) for part in os.environ.get("TEST_PORTS", "8200-8299").split("-"))
PORTS = range(_low, _high + 1)


def database_url(tmp_path_factory):
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(settings["USER"] or "")
        password = urllib.parse.quote(settings["PASSWORD"] or "")
        auth = f"{user}:{password}@" if password else f"{user}@"
        return f"postgres://{auth}{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    path = tmp_path_factory.mktemp("multiprocess") / "shared.sqlite3"
    return f"sqlite:///{path}"


class Server:
    own_group = False  # a process group of its own: kill the whole group as a machine dies

    def __init__(self, env):
        self.env = env
        self.start()

    def start(self):
        self.port = free_port(PORTS)
        self.url = f"http://127.0.0.1:{self.port}"
        self.id = uuid.uuid4().hex
        self.log = open(Path(self.env["MEDIA_ROOT"]).parent / f"gunicorn-{self.port}.log", "w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "TEST_SERVER_ID": self.id},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=self.own_group,
        )

    def wait(self, attempts=3):
        """Until it answers with its own id (so not another test's server that took the port
        first: gunicorn keeps retrying the bind for seconds before it gives up); if the port was
        taken, start again on another one."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None and attempts > 1:
                self.log.close()
                self.start()
                return self.wait(attempts - 1)
            try:
                if self.get("/_test/whoami") == (200, self.id):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.log.seek(0)
        pytest.fail(f"gunicorn on {self.url} did not start:\n{self.log.read()[-3000:]}")

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with urllib.request.urlopen(self.url + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    get = request

    def post(self, path, data):
        return self.request(path, data)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module", params=["direct", "pgbouncer"])
def servers_database(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """(DATABASE_URL, DATABASE_POOLER) of the servers."""
    if request.param == "direct":
        yield database_url(tmp_path_factory), ""
        return
    from tests.pgbouncer_server import PgBouncer, direct_url, postgres_server, scratch_database

    server = postgres_server()
    with contextlib.ExitStack() as stack:
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
        else:
            name = stack.enter_context(scratch_database(server, "multiprocess"))
            environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": direct_url(server, name)}
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=environ, check=True, timeout=300
            )
        bouncer = stack.enter_context(PgBouncer(**server, pool_size=1))
        yield bouncer.url(name), "pgbouncer"


@pytest.fixture(scope="module")
def cache_prefix(servers_database):
    prefix = f"mp-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(scope="module")
def servers(servers_database, tmp_path_factory, cache_prefix):
    url, pooler = servers_database
    folder = tmp_path_factory.mktemp("servers")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEST_ROOT_URLCONF": "tests.multiprocess_urls",
        "DATABASE_URL": url,
        "DATABASE_POOLER": pooler,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": cache_prefix,
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "PROXY_COUNT": "1",
        "FORM_MIN_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ("SUBMIT_RATE_LIMIT", "SUBMIT_POST_RATE_LIMIT"):
        env.pop(name, None)  # production's limits
    if url.startswith("sqlite"):
        migrated.sqlite_copy(url.removeprefix("sqlite:///"))
    pair = [Server(env), Server(env)]
    try:
        for server in pair:
            server.wait()
        yield pair
    finally:
        for server in pair:
            server.stop()


def submit(server, index, marker, photos, address=None):
    """The real form on `server`, as one person sends it; (outcome, HTTP status)."""
    from bench.load import Stats, submitter

    outcome = {}
    port = int(server.url.rsplit(":", 1)[1])
    submitter(port, index, "multiprocess", marker, photos, Stats(), outcome, address=address)
    return outcome[index][0], outcome[index][1]


@pytest.fixture(scope="module")
def photos():
    from bench.load import photo_bytes

    return photo_bytes(3, size=(480, 360))


@pytest.fixture
def open_call(servers):
    assert servers[0].post("/_test/call", {}) == (200, "open")


@pytest.mark.django_db(transaction=True)
def test_the_entry_rate_limit_holds_across_both_processes(servers, open_call, photos):
    """Production's five new entries per address per hour, counted in Redis: the sixth is
    refused whichever process it reaches."""
    marker = f"限流{uuid.uuid4().hex[:6]}"
    results = [submit(servers[i % 2], i, marker, photos, address="10.99.0.1") for i in range(7)]
    assert results == [("accepted", 302)] * 5 + [("refused", 429)] * 2
    entries = json.loads(servers[1].get("/_test/counts")[1])["entries"]
    assert len([org for org in entries if org.startswith(marker)]) == 5


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_is_refreshed_for_both_after_an_edit(servers, cache_prefix):
    one, two = servers
    for server in servers:
        status, html = server.get("/")
        assert status == 200
    assert redis.Redis.from_url(REDIS_URL).exists(f"{cache_prefix}:1:site-settings:v1"), "site settings not in the shared cache"
    name = f"测试平台{uuid.uuid4().hex[:6]}"
    assert name not in one.get("/")[1]
    assert two.post("/_test/site-name", {"name": name}) == (200, "saved")
    # The home page is cached like the column: each process sees the change at the latest
    # PAGE_CACHE_LOCAL_SECONDS after its last check of the shared version.
    time.sleep(settings.PAGE_CACHE_LOCAL_SECONDS + 0.2)
    for server in servers:
        status, html = server.get("/")
        assert status == 200 and name in html, f"{server.url} still shows the old site name"


@pytest.mark.django_db(transaction=True)
def test_a_published_article_cached_by_one_is_refreshed_for_both_after_an_edit(servers, cache_prefix):
    one, two = servers
    first, behind, edited = (f"{word}{uuid.uuid4().hex[:8]}" for word in ("初版导语", "暗改导语", "新版导语"))
    status, body = one.post("/_test/article", {"lead": first})
    assert status == 200
    page = f"/showcase/{json.loads(body)['slug']}/"
    assert first in one.get(page)[1]  # rendered and cached by one
    assert list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{cache_prefix}:1:showcase-page:*"))
    # A change behind the portal's back (no signal) is not seen: both serve the page one cached.
    assert two.post("/_test/article-edit", {"slug": page.split("/")[2], "lead": behind, "quiet": "1"}) == (200, "written")
    for server in (two, one):
        html = server.get(page)[1]
        assert first in html and behind not in html, f"{server.url} did not serve the shared cached page"
    # An editor's edit through two (publishing.edited, as the admin's save does) refreshes it for
    # both: for every worker of both once each has checked the shared version again, at the latest
    # PAGE_CACHE_LOCAL_SECONDS after its last check.
    assert two.post("/_test/article-edit", {"slug": page.split("/")[2], "lead": edited}) == (200, "edited")
    time.sleep(settings.PAGE_CACHE_LOCAL_SECONDS + 0.2)
    for server in (one, two, one, two, one, two):
        html = server.get(page)[1]
        assert edited in html and first not in html, f"{server.url} still serves the old article"
    assert "征集" in one.get("/showcase/")[1]


@pytest.mark.django_db(transaction=True)
def test_entries_sent_through_both_are_all_there_exactly_once(servers, open_call, photos):
    marker = f"并发{uuid.uuid4().hex[:6]}"
    jobs = range(12)
    # Photos of a refused post (the rate limit test) stay staged for their page, by design.
    staged_before = json.loads(servers[0].get("/_test/counts")[1])["staged_photos"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda i: submit(servers[i % 2], i, marker, photos), jobs))
    assert results == [("accepted", 302)] * len(jobs)
    stored = json.loads(servers[0].get("/_test/counts")[1])
    mine = {org: entry for org, entry in stored["entries"].items() if org.startswith(marker)}
    assert sorted(mine) == sorted(f"{marker}第{i}党支部" for i in jobs)
    assert [entry["photos"] for entry in mine.values()] == [3] * len(jobs)
    assert {entry["status"] for entry in mine.values()} == {"submitted"}
    assert len({entry["reference"] for entry in mine.values()}) == len(jobs)
    assert stored["staged_photos"] == staged_before  # every photo sent went to its entry
