"""Django's Redis cache, with one client object per connection pool instead of one per call,
and a site that keeps working while Redis is down.

django.core.cache.backends.redis builds a new redis.Redis(connection_pool=pool) for every cache
call; with redis-py 8 that constructor fills a table of some hundred response callbacks, which
cost a cached public page about a fifth of a millisecond per cache read (measured with
cProfile, docs/deploy.md). A client over a pool is thread-safe, so one per pool is enough.

Redis down (refused, timed out) or full (`maxmemory` with `noeviction`): every cache call
answers as an empty cache would, so the public site is served uncached with settings read from
the database, never a 500 (issue 11, finding 7). A read misses, a write is dropped, `add`
answers True (so a rate limit lets the request through rather than refusing everyone) and
`incr` answers 1. The outage is logged once when it starts and once when it ends, and for
DOWN_SECONDS after a failure no call waits for Redis again (OPTIONS["down_seconds"] changes it:
shorter behind Sentinel, where a new master may be named any moment). /healthz asks Redis itself
(ping()); down() says whether it failed a moment ago.
"""

import functools
import logging
import threading
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django_prometheus.cache import metrics

log = logging.getLogger("portal.cache")
DOWN_SECONDS = 2.0  # after a failure, calls answer at once as a miss for this long before Redis is tried again
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _Outage:
    """Whether Redis failed a moment ago (shared by the threads of a process)."""

    def __init__(self, pause=DOWN_SECONDS):
        self.pause = pause
        self.lock = threading.Lock()
        self.until = 0.0  # monotonic time before which Redis is not tried
        self.since = None  # when the current outage began (None: Redis is up)

    def skipping(self):
        return self.until and time.monotonic() < self.until

    def failed(self, error):
        with self.lock:
            self.until = time.monotonic() + self.pause
            if self.since is None:
                self.since = time.time()
                log.error("Redis unreachable (%s): serving uncached pages until it is back.", error)

    def worked(self):
        if self.since is not None:
            with self.lock:
                if self.since is not None:
                    log.warning("Redis reachable again after %.0f s.", time.time() - self.since)
                self.since = None
                self.until = 0.0


def _degrading(fallback):
    """Run the cache call; while Redis is unreachable answer fallback(*args) instead."""

    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if self._outage.skipping():
                return fallback(*args, **kwargs)
            try:
                try:
                    result = method(self, *args, **kwargs)
                except self.RECONNECT_ON:  # once more, on a new connection (portal/redis_sentinel.py)
                    result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._outage.failed(error)
                return fallback(*args, **kwargs)
            except redis.exceptions.ResponseError as error:
                if not str(error).startswith("OOM"):
                    raise
                log.warning("Redis is full (maxmemory, noeviction): a cache write was dropped.")
                return fallback(*args, **kwargs)
            self._outage.worked()
            return result

        return call

    return wrap


def _miss(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _yes(*args, **kwargs):
    return True


def _no(*args, **kwargs):
    return False


def _none_found(*args, **kwargs):
    return {}


def _one(*args, **kwargs):
    return 1


def _all_refused(data, *args, **kwargs):
    return list(data)


class ReusingRedisCache(RedisCache):
    RECONNECT_ON = ()  # errors after which a call is sent once more before failing open: none

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
        self._options = dict(self._options)
        self._outage = _Outage(float(self._options.pop("down_seconds", DOWN_SECONDS)))

    def down(self):
        """True while Redis failed less than down_seconds ago (for /healthz)."""
        return bool(self._outage.skipping())

    def ping(self):
        """Ask Redis itself, past the degrading wrapper (for /healthz, whose set and get never
        fail while Redis is down): raises redis' ConnectionError or TimeoutError when it is
        unreachable, at once while a failure is less than down_seconds old."""
        if self._outage.skipping():
            raise redis.exceptions.ConnectionError(f"Redis failed less than {self._outage.pause:g} s ago")
        client = self._cache.get_client(write=True)
        try:
            try:
                client.ping()
            except self.RECONNECT_ON:
                client.ping()
        except UNREACHABLE as error:
            self._outage.failed(error)
            raise
        self._outage.worked()

    _get = _degrading(_miss)(RedisCache.get)

    def get(self, key, default=None, version=None):
        """Counted for /metrics, as django-prometheus counts its own Redis backends; a read
        while Redis is down is a failed get and a miss."""
        metrics.django_cache_get_total.labels(backend="redis").inc()
        value = self._get(key, _MISSING, version)
        if value is _MISSING:
            if self._outage.skipping():
                metrics.django_cache_get_fail_total.labels(backend="redis").inc()
            metrics.django_cache_misses_total.labels(backend="redis").inc()
            return default
        metrics.django_cache_hits_total.labels(backend="redis").inc()
        return value

    get_many = _degrading(_none_found)(RedisCache.get_many)
    has_key = _degrading(_no)(RedisCache.has_key)
    set = _degrading(_nothing)(RedisCache.set)
    set_many = _degrading(_all_refused)(RedisCache.set_many)
    add = _degrading(_yes)(RedisCache.add)
    touch = _degrading(_no)(RedisCache.touch)
    delete = _degrading(_no)(RedisCache.delete)
    delete_many = _degrading(_nothing)(RedisCache.delete_many)
    incr = _degrading(_one)(RedisCache.incr)
    clear = _degrading(_nothing)(RedisCache.clear)


_MISSING = object()
