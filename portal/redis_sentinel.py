"""The Redis cache (portal/cache.py) through Redis Sentinel: the master found by asking the
sentinels, and found again after a failover.

Settings (docs/deploy.md, "Redis with Sentinel"): LOCATION is the sentinels' addresses,
"host:port,host:port"; OPTIONS name the master ("service_name", Sentinel's `sentinel monitor`
name), and may carry "db", "password" (the Redis servers'), "sentinel_password" (the sentinels',
when they have one) and the socket timeouts, which bound the sentinels' answers as well.

How a failover is followed (redis-py's SentinelConnectionPool does the asking):
- every new connection asks the sentinels for the master's address; when it changed, the idle
  connections to the old one are closed;
- Sentinel closes the clients' connections to a master it demotes (CLIENT KILL), and a closed
  connection is replaced when it is next taken from the pool, so a planned failover costs nothing;
- a cache call that fails with a ConnectionError (the master died under it) or "READONLY You can't
  write against a read only replica" (a sentinel that had not caught up named the old master;
  redis-py turns it into a ConnectionError and drops the connection) is made once more at once:
  its new connection asks the sentinels again (RECONNECT_ON; redis-py's own retry would reconnect
  to the same address). An INCR whose answer was lost may thus count twice: a rate limit errs on
  the strict side for one request.
- while no master is reachable (killed, not yet replaced; or no sentinel answers), the cache
  fails open exactly as with one Redis (portal/cache.py): a miss, a dropped write, a rate limit
  that lets the request through, for the failover's time plus at most DOWN_SECONDS (1 s here,
  not 2: the sentinels may name a new master any moment; OPTIONS["down_seconds"] changes it).
Reads go to the master too: replicas are for failover only, so a read never sees an older value
than the write before it.
"""

from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.sentinel import Sentinel, SentinelConnectionPool

from portal.cache import ReusingClient, ReusingRedisCache

DOWN_SECONDS = 1.0  # after a failure, calls fail open at once for this long (portal/cache.py)


def sentinel_addresses(servers):
    """[(host, port)] from ["host:port", …]; ImproperlyConfigured for anything else."""
    addresses = []
    for server in servers:
        host, _, port = server.strip().rpartition(":")
        if not host or not port.isdigit():
            raise ImproperlyConfigured(f"A Redis sentinel must be host:port, not {server!r} (REDIS_SENTINELS).")
        addresses.append((host.strip("[]"), int(port)))
    if not addresses:
        raise ImproperlyConfigured("No Redis sentinel given (REDIS_SENTINELS).")
    return addresses


def master_client(config, *, sentinel_timeout=2, **options):
    """A redis.Redis on the master the sentinels in `config` name (the task queue's, portal/taskbroker.py):
    redis-py's SentinelManagedConnection asks them again on each new connection, and the client's
    retries (3, backing off) reconnect, so a call during a failover reaches the promoted replica.
    `config`: "sentinels" ("host:port,host:port"), "service_name", "db", "password", "sentinel_password"."""
    sentinel = Sentinel(
        sentinel_addresses(config["sentinels"].split(",")),
        sentinel_kwargs={
            "socket_timeout": sentinel_timeout,
            "socket_connect_timeout": sentinel_timeout,
            "password": config.get("sentinel_password"),
        },
    )
    return sentinel.master_for(config["service_name"], db=config.get("db", 0), password=config.get("password"), **options)


class SentinelClient(ReusingClient):
    """Django's Redis cache client over one SentinelConnectionPool (writes and reads to the master),
    with one redis.Redis over it (ReusingClient)."""

    def __init__(self, servers, *, service_name=None, sentinel_password=None, **options):
        if not service_name:
            raise ImproperlyConfigured("The Sentinel cache needs OPTIONS['service_name'] (REDIS_SENTINEL_MASTER).")
        super().__init__(servers, **options)
        timeouts = {key: value for key, value in options.items() if key in ("socket_timeout", "socket_connect_timeout")}
        self._sentinel = Sentinel(
            sentinel_addresses(servers),
            sentinel_kwargs={**timeouts, "password": sentinel_password},
        )
        self._service_name = service_name

    def _get_connection_pool(self, write):
        pool = self._pools.get(0)
        if pool is None:
            pool = self._pools[0] = SentinelConnectionPool(self._service_name, self._sentinel, **self._pool_options)
        return pool


class SentinelRedisCache(ReusingRedisCache):
    """ReusingRedisCache (one client per pool, fails open) whose Redis is Sentinel's master."""

    RECONNECT_ON = (RedisConnectionError,)  # not TimeoutError: a second wait would double the delay

    def __init__(self, server, params):
        options = {"down_seconds": DOWN_SECONDS, **(params.get("OPTIONS") or {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = SentinelClient
