"""Two production server processes on one database and one Redis: what one does, both see.

Starts two gunicorn servers (one worker each, different ports) with the test-only URLs of
tests/multiprocess_urls.py, against the same database (PostgreSQL: this run's test database;
SQLite: a migrated file database, since an in-memory one cannot be shared) and the same Redis
cache (REDIS_URL, default redis://127.0.0.1:6379/15, under a key prefix of its own).
"""

import json
import os
import socket
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
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PORTS = range(8100, 8200)


def free_port():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100-8199")


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
    def __init__(self, env):
        self.env = env
        self.start()

    def start(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(self.env["MEDIA_ROOT"]).parent / f"gunicorn-{self.port}.log", "w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait(self, attempts=3):
        """Until it answers a test-only URL (so not some other server on the port); if the
        port was taken in the meantime, start again on another one."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None and attempts > 1:
                self.log.close()
                self.start()
                return self.wait(attempts - 1)
            try:
                if self.get("/_test/counts")[0] == 200:
                    return
            except OSError:
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


@pytest.fixture(scope="module")
def cache_prefix():
    prefix = f"mp-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory, cache_prefix):
    url = database_url(tmp_path_factory)
    folder = tmp_path_factory.mktemp("servers")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEST_ROOT_URLCONF": "tests.multiprocess_urls",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": cache_prefix,
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
    }
    if url.startswith("sqlite"):
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    pair = [Server(env), Server(env)]
    try:
        for server in pair:
            server.wait()
        yield pair
    finally:
        for server in pair:
            server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_rate_limit_holds_across_both_processes(servers):
    one, two = servers
    scope = uuid.uuid4().hex
    statuses = [(one if i % 2 else two).get(f"/_test/hit?scope={scope}&limit=5")[0] for i in range(10)]
    assert statuses == [200] * 5 + [429] * 5


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
    for server in servers:
        status, html = server.get("/")
        assert status == 200 and name in html, f"{server.url} still shows the old site name"


@pytest.mark.django_db(transaction=True)
def test_entries_sent_through_both_are_all_there_exactly_once(servers):
    batch = uuid.uuid4().hex[:6]
    jobs = [(servers[i % 2], f"并发测试{batch}第{i}党支部") for i in range(30)]

    def send(job):
        server, org = job
        return server.post("/_test/entry", {"org": org, "brand": f"品牌{org[-6:]}"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, jobs))
    assert [status for status, _body in results] == [200] * 30, results
    sent = sorted(json.loads(body)["reference"] for _status, body in results)
    _status, body = servers[0].get("/_test/counts")
    stored = json.loads(body)
    mine = sorted(org for org in stored["orgs"] if batch in org)
    assert mine == sorted(org for _server, org in jobs)
    assert len(set(sent)) == 30 and set(sent) <= set(stored["references"])
