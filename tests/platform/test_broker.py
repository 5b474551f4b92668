"""The task queue off the database (docs/tasks.md, "Brokers"): real workers (`manage.py worker`)
on a redis-server this test starts, and the leases that hand a dead worker's task out again
within a minute, on Redis and on the database queue alike.

The workers share this run's database as in tests/platform/test_worker.py (its fixture and
helpers); this process queues into the same Redis by pointing django-q2's configuration at it.
"""

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ

from submissions.models import OutboxMessage
from submissions.platform import mail as notifications
from submissions.platform import tasks
from tests.platform import test_worker
from tests.platform.test_worker import Worker, mails, wait_for
from tests.redis_servers import start_redis

shared_db = test_worker.shared_db  # the fixture: the workers and this process on one database

pytestmark = pytest.mark.django_db(transaction=True)


def slow_run(log_path, seconds):
    """A task for these tests: writes "start" and "end" lines (with its process id) around a wait."""
    with open(log_path, "a") as log:
        log.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with open(log_path, "a") as log:
        log.write(f"end {os.getpid()}\n")


SLOW_RUN = "tests.platform.test_broker.slow_run"


def runs(path):
    return Path(path).read_text().splitlines() if Path(path).exists() else []


@pytest.fixture
def redis_queue(monkeypatch, settings):
    """A redis-server of the test's own; this process's queue is Redis' (as TASK_BROKER=redis does)."""
    server = start_redis()
    url = f"redis://127.0.0.1:{server.port}/0"
    monkeypatch.setattr(Conf, "BROKER_CLASS", "portal.taskbroker.LeasedRedis")
    monkeypatch.setattr(Conf, "REDIS", url)
    monkeypatch.setattr(Conf, "ORM", None)
    settings.TASKS_EAGER = False
    try:
        yield {"TASK_BROKER": "redis", "TASK_REDIS_URL": url}, server
    finally:
        server.stop()


def ormq_scans():
    """Sequential plus index scans of django-q2's queue table (PostgreSQL's statistics)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'django_q_ormq'"
        )
        return cursor.fetchone()[0]


def test_on_redis_tasks_run_and_the_database_queue_is_never_read(shared_db, redis_queue):
    url, folder = shared_db
    env, server = redis_queue
    assert type(get_broker()).__name__ == "LeasedRedis"
    before = ormq_scans() if connection.vendor == "postgresql" else None
    for index in range(5):
        notifications.queue("draft_saved", f"r{index}@example.com", {"draft_url": f"https://example.com/d/{index}"})
    assert server.client().llen("django_q:portal:ready") == 5  # in Redis, not in the database
    stats = tasks.queue_stats()  # what /metrics shows, read from Redis
    assert stats["waiting"] == 5 and stats["running"] == 0 and stats["oldest_waiting_seconds"] > 0
    worker = Worker(url, folder, "redis", **env)
    try:
        wait_for(lambda: len(mails(folder)) >= 5, [worker], what="sending 5 messages from Redis")
        time.sleep(3)  # six idle polls of a database queue would have happened by now
    finally:
        assert worker.stop() == 0
    assert sorted(m["to"][0] for m in mails(folder)) == [f"r{index}@example.com" for index in range(5)]
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {("sent", 1)}
    client = server.client()
    assert client.hlen("django_q:portal:payloads") == client.zcard("django_q:portal:leases") == 0  # all acknowledged
    assert int(client.info("commandstats")["cmdstat_evalsha"]["calls"]) > 5  # the worker polled Redis
    if before is not None:
        time.sleep(1.5)  # the workers' backends have exited; their statistics are flushed
        assert ormq_scans() == before
    assert OrmQ.objects.count() == 0


@pytest.mark.parametrize(("broker", "lease", "within"), [("redis", None, 60), ("orm", 10, 25)])
def test_a_task_whose_worker_was_killed_runs_again_within_a_minute(shared_db, broker, lease, within, request, settings):
    """On Redis with the default lease (TASK_RETRY, 45 s) and TASK_TIMEOUT (30 minutes): within a
    minute. The database broker's leases work the same way, shown with a 10 s lease (a shorter run)."""
    url, folder = shared_db
    env = dict(request.getfixturevalue("redis_queue")[0]) if broker == "redis" else {}
    if lease:
        env["TASK_RETRY"] = lease
    settings.TASKS_EAGER = False
    log = folder / "runs.log"
    tasks.enqueue(SLOW_RUN, str(log), 600)  # ten minutes: only a kill ends the first run
    doomed = Worker(url, folder, "doomed", **env)
    rescuer = None
    try:
        wait_for(lambda: len(runs(log)) == 1, [doomed], what="the first run's start")
        rescuer = Worker(url, folder, "rescuer", **env)  # already running when the first dies
        time.sleep(2)
        assert len(runs(log)) == 1  # the rescuer was not handed the leased task
    finally:
        doomed.kill()
        doomed.log.close()
    killed = time.monotonic()
    try:
        wait_for(lambda: len(runs(log)) == 2, [rescuer], seconds=within, what="the task's second run")
        assert time.monotonic() - killed < within
    finally:
        os.killpg(rescuer.process.pid, signal.SIGKILL)  # its run would take ten minutes
        rescuer.process.wait(timeout=10)
        rescuer.log.close()
    first, second = runs(log)
    assert first.startswith("start") and second.startswith("start") and first != second


def test_a_task_longer_than_its_lease_keeps_it_and_runs_once(shared_db, redis_queue):
    """TASK_RETRY 3 s, a task of 8 s, two workers: the running worker renews the lease every second."""
    url, folder = shared_db
    env, server = redis_queue
    log = folder / "runs.log"
    tasks.enqueue(SLOW_RUN, str(log), 8)
    workers = [Worker(url, folder, name, TASK_RETRY=3, **env) for name in ("a", "b")]
    try:
        wait_for(lambda: any(line.startswith("end") for line in runs(log)), workers, seconds=60, what="the run")
        time.sleep(4)  # a second run would have started by now
        client = server.client()
        wait_for(lambda: client.hlen("django_q:portal:payloads") == 0, workers, seconds=10, what="the acknowledgement")
    finally:
        codes = [worker.stop() for worker in workers]
    assert codes == [0, 0]
    assert [line.split()[0] for line in runs(log)] == ["start", "end"]


def test_thirty_mails_and_a_worker_killed_mid_batch_each_delivered_once(shared_db, redis_queue):
    url, folder = shared_db
    env, server = redis_queue
    count = 30
    for index in range(count):
        notifications.queue("draft_saved", f"person{index}@example.com", {"draft_url": f"https://example.com/d/{index}"})
    leases = {**env, "TASK_RETRY": 10, "OUTBOX_CLAIM_SECONDS": 5}
    doomed = Worker(url, folder, "doomed", MAIL_DELAY="1.5", **leases)

    def mid_send():
        """The message the doomed worker claimed less than half a second ago (its mail is a second away)."""
        if len(mails(folder)) < 3:
            return None
        now = timezone.now()
        for message in OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED, attempts=1):
            claimed = message.next_attempt_at - timedelta(seconds=5)
            if (now - claimed).total_seconds() < 0.5:
                return message.pk
        return None

    held = []
    try:
        wait_for(lambda: held.append(mid_send()) or held[-1], [doomed], what="the doomed worker in the middle of a send")
    finally:
        doomed.kill()
        doomed.log.close()
    sent_before = len(mails(folder))
    assert 3 <= sent_before < count
    rescuer = Worker(url, folder, "rescuer", MAIL_DELAY="0.05", **leases)
    client = server.client()

    def drained():  # every task done, the dead worker's too once its 10 s lease ran out: none waiting, none leased
        return client.hlen("django_q:portal:payloads") == 0 and client.zcard("django_q:portal:leases") == 0

    try:
        wait_for(lambda: len(mails(folder)) >= count, [rescuer], seconds=90, what="the other messages")
        wait_for(drained, [rescuer], seconds=60, what="the queue's draining")
        time.sleep(3)  # anything sent twice would have arrived by now
    finally:
        assert rescuer.stop() == 0
    sent = sorted(m["to"][0] for m in mails(folder))
    assert sent == sorted(f"person{index}@example.com" for index in range(count))  # each once
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    assert OutboxMessage.objects.get(pk=held[-1]).attempts == 2  # the one the kill interrupted: claimed again
    assert drained()
