"""The engines under the portal, built from the environment (docs/deploy.md): media storage, the
databases and their router, the cache (Redis, Redis behind Sentinel, or a database table) and the
task queue's broker. portal/settings.py reads each variable by name; this module builds the
structures Django, django-storages and django-q2 take from them, and refuses what cannot work."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from portal import env


def s3_storage():
    """STORAGES["default"] for MEDIA_STORAGE=s3: private by default (signed, expiring URLs)."""
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.text("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.text("AWS_S3_ENDPOINT_URL") or None,
            "access_key": env.text("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env.text("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": env.text("AWS_S3_REGION_NAME") or None,
            "custom_domain": env.text("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env.flag("AWS_QUERYSTRING_AUTH", True),
            "querystring_expire": env.number("AWS_QUERYSTRING_EXPIRE", 3600),
            "default_acl": None,
            "file_overwrite": False,
        },
    }
    if not storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and the other AWS_* settings, see README).")
    return storage


def media_origins(options):
    """Where the pages' photos and videos come from when media are on object storage (the CSP allows
    them): the custom domain, else the endpoint (path-style addresses, and the bucket as its subdomain),
    else AWS's own addresses of the bucket."""
    bucket, domain, endpoint = options["bucket_name"], options["custom_domain"], options["endpoint_url"]
    if domain:
        return [f"https://{domain.split('/', 1)[0]}"]
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    region = options["region_name"]
    hosts = [f"{bucket}.s3.amazonaws.com", *([f"{bucket}.s3.{region}.amazonaws.com"] if region else [])]
    return [f"https://{host}" for host in hosts]


def databases(url, *, statement_timeout_ms, pooler, replica_url, replica_connect_timeout):
    """(DATABASES, DATABASE_ROUTERS): the primary, and the read replica with its router where one is set."""
    found = {"default": env.database(url, statement_timeout_ms=statement_timeout_ms, pooler=pooler)}
    routers = []
    if replica_url:
        # Tuned as the primary, behind the same kind of pooler.
        replica = found["replica"] = env.database(replica_url, statement_timeout_ms=statement_timeout_ms, pooler=pooler)
        replica["TEST"] = {"MIRROR": "default"}  # a test run reads the test database through it
        if "postgresql" in replica["ENGINE"]:
            replica.setdefault("OPTIONS", {})["connect_timeout"] = replica_connect_timeout
        routers.append("portal.dbrouter.ReplicaRouter")
    return found, routers


def sentinel_master():
    """The Sentinel-watched master's name and credentials (REDIS_SENTINEL_MASTER, REDIS_DB,
    REDIS_PASSWORD, REDIS_SENTINEL_PASSWORD), for the cache and for the queue alike."""
    return {
        "service_name": env.text("REDIS_SENTINEL_MASTER", "mymaster"),
        "db": env.number("REDIS_DB", 0),
        "password": env.text("REDIS_PASSWORD") or None,
        "sentinel_password": env.text("REDIS_SENTINEL_PASSWORD") or None,
    }


def caches(redis_url, sentinels, *, timeout, key_prefix):
    """(CACHES, SESSION_ENGINE or None): Redis (through the sentinels when they are named), else a
    database table, which every process of one deployment still shares."""
    if not (redis_url or sentinels):
        return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}, None
    default = {
        "BACKEND": "portal.cache.ReusingRedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": key_prefix,
        # Redis down: pages are served uncached after at most this wait (portal/cache.py).
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }
    if sentinels:  # the master asked of the sentinels, again after a failover (portal/redis_sentinel.py)
        default["BACKEND"] = "portal.redis_sentinel.SentinelRedisCache"
        default["LOCATION"] = sentinels
        default["OPTIONS"].update(sentinel_master())
    # Sessions read from the shared cache, written through to the database (survive a Redis restart).
    return {"default": default}, "django.contrib.sessions.backends.cached_db"


def q_cluster(broker, *, timeout, retry, workers, max_attempts, redis_url, label, sentinels=""):
    """django-q2's Q_CLUSTER on the broker `broker` names (docs/tasks.md, "Brokers"): "orm", the
    portal's database, or "redis": the master `sentinels` name when they are given, else
    `redis_url`. A task is leased for `retry` seconds and its worker renews the lease while it runs
    (portal/taskbroker.py)."""
    if not 3 <= retry < 60:
        raise ImproperlyConfigured("TASK_RETRY must be 3 to 59 seconds: a dead worker's task waits that long (docs/tasks.md).")
    cluster = {
        "name": "portal",
        "workers": workers,
        "queue_limit": workers,  # tasks fetched ahead: one per worker, each on its lease
        "timeout": timeout,
        "retry": retry,  # the lease; larger than timeout is not needed: the running worker renews it
        "max_attempts": max_attempts,
        "ack_failures": False,  # a task that raised is handed out again when its lease runs out, up to max_attempts
        "save_limit": 1000,
        "catch_up": False,  # a worker back after a night runs a missed schedule once
        "poll": 0.5,  # seconds between looks at the database queue when it is empty
        "recycle": 500,
        "label": label,
        "cache": "worker-stats",  # the cluster's status, written twice a second: kept in its own process
    }
    if broker == "orm":
        cluster.update(orm="default", broker_class="portal.taskbroker.LeasedORM")
    elif broker == "redis":
        if sentinels:  # followed through a failover, as the cache is (portal/taskbroker.py)
            cluster.update(redis={"sentinels": sentinels, **sentinel_master()}, broker_class="portal.taskbroker.LeasedRedis")
        elif redis_url:
            cluster.update(redis=redis_url, broker_class="portal.taskbroker.LeasedRedis")
        else:
            raise ImproperlyConfigured(
                "TASK_BROKER=redis needs TASK_REDIS_URL, REDIS_SENTINELS or REDIS_URL (redis://host:port/db)."
            )
    else:
        raise ImproperlyConfigured(f"TASK_BROKER must be orm or redis, not {broker!r} (docs/tasks.md).")
    return cluster
