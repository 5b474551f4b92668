"""The task queue's Redis behind Sentinel (portal/taskbroker.py, TASK_BROKER=redis with
REDIS_SENTINELS): the queue follows the master the sentinels promote, and a task whose enqueue
was answered is not lost with the master that answered it (WAIT: a replica holds it first).

Each test starts its own master, replica and three sentinels (tests/platform/test_sentinel.py's
Group) and points django-q2's configuration at them as portal/services.py does.
"""

import logging
import signal
import threading
import time

import pytest
import redis
from django_q.conf import Conf

from portal import taskbroker
from tests.platform.test_sentinel import SERVICE, Group


@pytest.fixture
def group(monkeypatch):
    servers = Group()
    monkeypatch.setattr(Conf, "REDIS", {"sentinels": servers.addresses, "service_name": SERVICE, "db": 0})
    monkeypatch.setattr(Conf, "RETRY", 30)
    monkeypatch.setattr(Conf, "MAX_ATTEMPTS", 5)
    yield servers
    servers.stop()


def drain(broker):
    """Every payload waiting, taken (and acknowledged) one by one."""
    taken = []
    while (tasks := broker.dequeue()) is not None:
        for task_id, payload in tasks:
            taken.append(payload.decode())
            broker.acknowledge(task_id)
    return taken


def test_the_queue_follows_the_master_sentinel_promotes(group):
    broker = taskbroker.LeasedRedis(list_key="sentinel-test")
    before = [f"before-{number}" for number in range(20)]
    for payload in before:
        broker.enqueue(payload)
    assert group.master.client().llen(broker.ready) == 20  # on the master the sentinels named
    assert group.replica.client().llen(broker.ready) == 20  # and already on its replica (WAIT)

    group.fail_over()
    after = [f"after-{number}" for number in range(10)]
    for payload in after:  # the same broker, its connections to the dead master replaced
        broker.enqueue(payload)
    assert sorted(drain(broker)) == sorted(before + after)
    assert broker.queue_size() == broker.lock_size() == 0


def test_no_answered_enqueue_is_lost_when_the_master_dies_under_a_stream_of_them(group):
    """A caller enqueues every 20 ms while the master is killed: each enqueue either fails (a
    connection error the caller logs; the portal's outbox sends its mails later) or answers, and
    every answered one is on the promoted replica; the same broker carries on after the failover,
    without waiting on a replica the new master does not have."""
    broker = taskbroker.LeasedRedis(list_key="sentinel-stream")
    answered, failed, stop = [], [], threading.Event()

    def produce():
        number = 0
        while not stop.is_set():
            payload = f"task-{number}"
            number += 1
            started = time.monotonic()
            try:
                broker.enqueue(payload)
            except redis.exceptions.RedisError:
                failed.append(payload)
            else:
                answered.append((payload, started, time.monotonic() - started))
            time.sleep(0.02)

    producer = threading.Thread(target=produce)
    producer.start()
    try:
        time.sleep(0.5)
        killed, promoted = group.fail_over()
        time.sleep(1.5)
    finally:
        stop.set()
        producer.join(timeout=60)
    assert not producer.is_alive()
    assert len([1 for _payload, at, _took in answered if at < killed]) >= 10
    after = [took for _payload, at, took in answered if at > promoted]
    assert len(after) >= 10 and max(after) < taskbroker.REPLICA_WAIT_MS / 1000, after
    assert failed, "no enqueue was made while no master answered: the test saw no failover"
    taken = drain(taskbroker.LeasedRedis(list_key="sentinel-stream"))
    assert {payload for payload, _at, _took in answered} <= set(taken)


def test_an_enqueue_no_replica_confirms_is_kept_and_logged(group, caplog):
    """The replica stalled (SIGSTOP): the enqueue waits REPLICA_WAIT_MS for it, then answers,
    the task kept on the master, with a warning that a failover now would lose it."""
    broker = taskbroker.LeasedRedis(list_key="sentinel-stalled")
    broker.enqueue("warm")  # connections and scripts made while the replica answers
    group.replica.process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="portal.taskbroker"):
            broker.enqueue("stalled")
        waited = time.monotonic() - started
    finally:
        group.replica.process.send_signal(signal.SIGCONT)
    assert taskbroker.REPLICA_WAIT_MS / 1000 <= waited < 5
    assert "on the Redis master only" in caplog.text
    assert sorted(drain(broker)) == ["stalled", "warm"]
