"""Redis behind Sentinel (portal/redis_sentinel.py): the cache, the sessions and the rate limits
carry on when the Redis master dies and Sentinel promotes its replica.

Each test starts its own group on free loopback ports (tests/redis_servers.py): a master, one
replica (replicaof) and three sentinels (quorum 2, down-after 1 s), and tears it down after.
The portal itself runs as in production: gunicorn, configured by REDIS_SENTINELS alone.

Sessions: the test writes the session (a login), waits for the replica to have it (`WAIT 1`)
and checks the promoted replica holds it before the portal reads it, so the session is kept by
Redis' replication, not only by cached_db's copy in the database.
"""

import http.cookiejar
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.redis_sentinel import DOWN_SECONDS, SentinelRedisCache, sentinel_addresses
from tests import migrated
from tests.platform.test_multiprocess import ROOT, Server, database_url
from tests.redis_servers import start_redis, start_sentinel, wait_for

SERVICE = "mymaster"
FAILOVER_SECONDS = 20  # down-after 1 s, then the sentinels' vote and the promotion: about 3 s here


class Group:
    """A master, its replica and three sentinels watching them."""

    def __init__(self):
        self.servers = []
        try:
            self.master = self._keep(start_redis())
            self.replica = self._keep(start_redis(None, "--replicaof", "127.0.0.1", str(self.master.port)))
            wait_for(lambda: self.replica.client().info("replication")["master_link_status"] == "up", 15, "the replica's link")
            self.sentinels = [self._keep(start_sentinel(self.master.port, name=SERVICE)) for _ in range(3)]
            wait_for(self._watching, 20, "three sentinels that know each other and the replica")
        except BaseException:
            self.stop()
            raise

    def _keep(self, server):
        self.servers.append(server)
        return server

    def _watching(self):
        for sentinel in self.sentinels:
            state = sentinel.client().sentinel_master(SERVICE)
            if state["num-other-sentinels"] < 2 or state["num-slaves"] < 1:
                return False
        return True

    @property
    def addresses(self):
        return ",".join(f"127.0.0.1:{sentinel.port}" for sentinel in self.sentinels)

    def master_port(self):
        """The master's port as every sentinel names it (None while they disagree)."""
        ports = {int(sentinel.client().sentinel_get_master_addr_by_name(SERVICE)[1]) for sentinel in self.sentinels}
        return ports.pop() if len(ports) == 1 else None

    def wait_promoted(self):
        """Until every sentinel names the replica as master and it says so itself."""
        wait_for(
            lambda: self.master_port() == self.replica.port and self.replica.client().info("replication")["role"] == "master",
            FAILOVER_SECONDS,
            "Sentinel to promote the replica",
        )

    def fail_over(self):
        """SIGKILL the master, then wait for the sentinels to promote the replica: (killed, promoted),
        both time.monotonic()."""
        killed = time.monotonic()
        self.master.kill()
        self.wait_promoted()
        return killed, time.monotonic()

    def stop(self):
        for server in reversed(self.servers):
            server.stop()


@pytest.fixture
def group():
    servers = Group()
    yield servers
    servers.stop()


def sentinel_cache(group, prefix):
    return SentinelRedisCache(
        group.addresses,
        {"KEY_PREFIX": prefix, "OPTIONS": {"service_name": SERVICE, "socket_timeout": 0.5, "socket_connect_timeout": 0.5}},
    )


def test_sentinel_addresses_are_checked():
    assert sentinel_addresses(["10.0.0.1:26379", " redis-b:26380"]) == [("10.0.0.1", 26379), ("redis-b", 26380)]
    for wrong in (["10.0.0.1"], ["10.0.0.1:port"], [":26379"], []):
        with pytest.raises(ImproperlyConfigured):
            sentinel_addresses(wrong)


def test_the_cache_follows_a_planned_failover_without_failing_open(group, monkeypatch):
    """SENTINEL FAILOVER: the old master lives on as a replica. Sentinel closes its clients'
    connections; the cache's next connection is told the old address by a sentinel that has not
    caught up (simulated), and its write is answered READONLY. That connection is dropped and the
    write sent again at once on a new one, to the master the sentinels name now: not one call
    fails open, nothing is written to the old master."""
    cache = sentinel_cache(group, f"t-{uuid.uuid4().hex[:8]}")
    cache.set("before", "一", 60)
    assert group.master.client().exists(cache.make_key("before"))  # the master, found through the sentinels
    assert group.sentinels[0].client().execute_command("SENTINEL", "FAILOVER", SERVICE)
    group.wait_promoted()
    wait_for(lambda: group.master.client().info("replication")["role"] == "slave", FAILOVER_SECONDS, "the old master's demotion")

    proxy = cache._cache.get_client(write=True).connection_pool.proxy
    answers = [("127.0.0.1", group.master.port)]  # one stale answer, then the sentinels' own
    asked = proxy.get_master_address
    monkeypatch.setattr(proxy, "get_master_address", lambda: answers.pop() if answers else asked())
    cache.set("after", "二", 60)
    assert not answers, "the cache did not reconnect after the failover"
    assert not cache.down(), "a call failed open during a planned failover"
    assert group.replica.client().get(cache.make_key("after")) is not None  # written to the new master
    assert cache.get("before") == "一" and cache.get("after") == "二"
    assert cache.add("after-count", 1)
    assert cache.incr("after-count") == 2
    assert not cache.down()


class Browser:
    """One person's browser against the portal: cookies kept, redirects not followed, from one
    address (X-Forwarded-For, as nginx sends it with PROXY_COUNT=1)."""

    class _Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, url, address):
        self.url, self.address = url, address
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._Stay)

    def request(self, path, data=None, address=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body, headers={"X-Forwarded-For": address or self.address})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


class Load(threading.Thread):
    """Requests one after another until stopped: the home page and /healthz, whose "cache" part
    says whether the server reached Redis (ok) or answered as an empty cache would (fail-open)."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.browser = Browser(url, "10.66.0.1")
        self.answers = []  # (monotonic time, path, status, cache state or None)
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            for path in ("/", "/healthz"):
                try:
                    status, body = self.browser.request(path)
                except OSError as error:
                    status, body = repr(error), ""
                state = json.loads(body).get("cache") if path == "/healthz" and status == 200 else None
                self.answers.append((time.monotonic(), path, status, state))
            time.sleep(0.02)

    def stop(self):
        self.halt.set()
        self.join(timeout=30)
        assert not self.is_alive(), "the load thread did not stop"


@pytest.fixture
def portal(group, django_db_setup, django_db_blocker, tmp_path_factory):
    """A gunicorn server (two workers) whose cache, sessions and rate limits are in the group's
    Redis, reached only through REDIS_SENTINELS; an editor account to log in with."""
    folder = tmp_path_factory.mktemp("sentinel")
    url = database_url(tmp_path_factory)
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("REDIS_")},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEST_ROOT_URLCONF": "tests.multiprocess_urls",
        "DATABASE_URL": url,
        "REDIS_SENTINELS": group.addresses,
        "REDIS_SENTINEL_MASTER": SERVICE,
        "CACHE_KEY_PREFIX": "sentinel",
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "PROXY_COUNT": "1",
        "SECURE_COOKIES": "0",  # plain HTTP on loopback
    }
    if url.startswith("sqlite"):
        migrated.sqlite_copy(url.removeprefix("sqlite:///"))
    password = uuid.uuid4().hex
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            "sentinel-editor",
            "--email",
            "e@example.org",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SUPERUSER_PASSWORD": password},
        check=True,
        timeout=120,
    )
    server = Server(env)
    try:
        server.wait()
        server.password = password
        yield server
    finally:
        server.stop()


def log_in(server):
    editor = Browser(server.url, "10.66.0.2")
    status, _ = editor.request("/admin/login/")
    assert status == 200
    form = {"username": "sentinel-editor", "password": server.password, "next": "/admin/"}
    status, _ = editor.request("/admin/login/", {**form, "csrfmiddlewaretoken": editor.cookie("csrftoken")})
    assert status == 302, "the login was refused"
    return editor


def rate_limited_after(browser, address, limit=60):
    """The certificate lookup's limit (60 per address per minute) from a fresh address: how many
    lookups were answered before the first 429 (None: none refused)."""
    if time.time() % 60 > 40:  # the limit counts per clock minute: start early in one
        time.sleep(61 - time.time() % 60)
    for count in range(limit + 5):
        status, _ = browser.request("/verify/SENTINEL-TEST-1/", address=address)
        if status == 429:
            return count
        assert status == 404, status
    return None


@pytest.mark.django_db(transaction=True)
def test_the_portal_carries_on_when_the_redis_master_dies(group, portal):
    editor = log_in(portal)
    assert editor.request("/admin/")[0] == 200
    session_key = f"sentinel:1:django.contrib.sessions.cached_db{editor.cookie('sessionid')}"
    master = group.master.client()
    assert master.exists(session_key), "the session is not in the master Redis"
    assert master.wait(1, 5000) >= 1  # the replica acknowledged every write so far, the session too

    load = Load(portal.url)
    load.start()
    try:
        time.sleep(1)
        killed, promoted = group.fail_over()
        # Each worker tries Redis again at most DOWN_SECONDS (1 s) after its last failure, and then
        # finds the new master through the sentinels.
        time.sleep(DOWN_SECONDS + 5)
    finally:
        load.stop()

    statuses = {status for _, _, status, _ in load.answers}
    assert statuses == {200}, f"the portal did not answer every request: {statuses}"
    health = [(when, state) for when, path, _, state in load.answers if path == "/healthz"]
    assert all(state == "ok" for when, state in health if when < killed), "the cache failed before the kill"
    failing_open = [when for when, state in health if state != "ok"]
    back_by = promoted + DOWN_SECONDS + 3  # a worker's pause, and a slow answer on a busy machine
    assert all(when < back_by for when in failing_open), (
        f"the cache still failed open {max(failing_open) - promoted:.1f} s after the promotion"
    )
    after = [state for when, state in health if when >= back_by]
    assert len(after) >= 3 and set(after) == {"ok"}
    print(
        f"\nfailover: promoted {promoted - killed:.1f} s after the kill; {len(load.answers)} requests, all 200; "
        f"{len(failing_open)} of {len(health)} /healthz answers with the cache failing open, "
        f"the last {max(failing_open, default=killed) - killed:.1f} s after the kill"
    )

    new_master = group.replica.client()
    assert new_master.exists(session_key), "the session was not replicated"
    status, page = editor.request("/admin/")
    assert status == 200 and "sentinel-editor" in page, "the session was lost"
    assert rate_limited_after(editor, "10.66.1.1") == 60  # the rate limit counts in the new master
