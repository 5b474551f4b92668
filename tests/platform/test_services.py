"""The engines built from the environment (portal/services.py): what each setting turns into, and
the configurations refused at start-up with a message that says what to set."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import services

QUEUE = {"timeout": 1800, "retry": 45, "workers": 2, "max_attempts": 5, "redis_url": "", "label": "tasks"}


def test_the_queue_is_on_the_database_unless_redis_is_named():
    orm = services.q_cluster("orm", **QUEUE)
    assert (orm["orm"], orm["broker_class"], orm["queue_limit"]) == ("default", "portal.taskbroker.LeasedORM", 2)
    redis = services.q_cluster("redis", **{**QUEUE, "redis_url": "redis://10.0.0.7:6379/3"})
    assert (redis["redis"], redis["broker_class"], "orm" in redis) == (
        "redis://10.0.0.7:6379/3",
        "portal.taskbroker.LeasedRedis",
        False,
    )


def test_the_queue_follows_the_sentinels_unless_it_has_a_redis_of_its_own(monkeypatch):
    """portal/settings.py passes REDIS_SENTINELS only when TASK_REDIS_URL is not set."""
    monkeypatch.setenv("REDIS_SENTINEL_MASTER", "portal-master")
    monkeypatch.setenv("REDIS_DB", "2")
    sentinels = "10.0.0.9:26379,10.0.0.10:26379"
    queue = services.q_cluster("redis", **{**QUEUE, "redis_url": "redis://10.0.0.8:6379/0", "sentinels": sentinels})
    assert queue["broker_class"] == "portal.taskbroker.LeasedRedis"
    assert queue["redis"] == {
        "sentinels": sentinels,
        "service_name": "portal-master",
        "db": 2,
        "password": None,
        "sentinel_password": None,
    }


@pytest.mark.parametrize(
    ("broker", "changes", "message"),
    [
        ("orm", {"retry": 60}, "TASK_RETRY must be 3 to 59 seconds"),
        ("orm", {"retry": 2}, "TASK_RETRY must be 3 to 59 seconds"),
        ("redis", {}, "TASK_BROKER=redis needs TASK_REDIS_URL, REDIS_SENTINELS or REDIS_URL"),
        ("rabbitmq", {}, "TASK_BROKER must be orm or redis, not 'rabbitmq'"),
    ],
)
def test_a_queue_that_cannot_work_is_refused(broker, changes, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        services.q_cluster(broker, **{**QUEUE, **changes})


def test_a_replica_gets_its_alias_its_router_and_a_short_connect_timeout():
    found, routers = services.databases(
        "postgres://portal@10.0.0.5:6432/portal",
        statement_timeout_ms=30000,
        pooler="",
        replica_url="postgres://portal@10.0.0.6:5432/portal",
        replica_connect_timeout=2,
    )
    assert (found["replica"]["HOST"], found["replica"]["OPTIONS"]["connect_timeout"]) == ("10.0.0.6", 2)
    assert found["replica"]["TEST"] == {"MIRROR": "default"}
    assert routers == ["portal.dbrouter.ReplicaRouter"]
    alone, none = services.databases(
        "sqlite:///x.sqlite3", statement_timeout_ms=30000, pooler="", replica_url="", replica_connect_timeout=2
    )
    assert (list(alone), none) == (["default"], [])


def test_the_cache_is_a_table_redis_or_redis_behind_sentinels(monkeypatch):
    table, sessions = services.caches("", "", timeout=0.5, key_prefix="portal")
    assert (table["default"]["BACKEND"], sessions) == ("django.core.cache.backends.db.DatabaseCache", None)
    plain, sessions = services.caches("redis://10.0.0.8:6379/0", "", timeout=0.5, key_prefix="p")
    assert (plain["default"]["BACKEND"], plain["default"]["LOCATION"]) == (
        "portal.cache.ReusingRedisCache",
        "redis://10.0.0.8:6379/0",
    )
    assert sessions == "django.contrib.sessions.backends.cached_db"
    monkeypatch.setenv("REDIS_SENTINEL_MASTER", "portal-master")
    sentinel, _ = services.caches("redis://ignored:6379/0", "10.0.0.9:26379,10.0.0.10:26379", timeout=0.5, key_prefix="p")
    assert sentinel["default"]["BACKEND"] == "portal.redis_sentinel.SentinelRedisCache"
    assert (sentinel["default"]["LOCATION"], sentinel["default"]["OPTIONS"]["service_name"]) == (
        "10.0.0.9:26379,10.0.0.10:26379",
        "portal-master",
    )


def test_object_storage_needs_its_bucket(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        services.s3_storage()
