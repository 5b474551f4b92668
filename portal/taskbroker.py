"""The task queue's brokers (docs/tasks.md, "Brokers"): django-q2's, with leases that the worker
running a task renews, so a task whose worker died is handed out again within TASK_RETRY seconds
(45) however long tasks may run (TASK_TIMEOUT, 1800).

django-q2 hands a task out with a lock of `retry` seconds and expects `retry` > `timeout`, so a
killed worker's task waited for the longest task's bound (31 minutes). Here `retry` is a lease:
the worker process running a task renews it every third of it (a thread started on django-q2's
`pre_execute` signal); a dead worker renews nothing and its task is handed out again once the
lease runs out. A task that raised is not acknowledged: it is handed out again the same way, up
to `max_attempts`.

- LeasedORM: django-q2's database broker (TASK_BROKER=orm, the quick start) plus the renewal.
- LeasedRedis (TASK_BROKER=redis): django-q2's own Redis broker pops a task off a list (BLPOP)
  and never sees it again: a cluster killed loses the task it runs and those it has fetched.
  This one keeps every task until it is acknowledged: the payload in a hash, the waiting ids in
  a list, the handed-out ids in a sorted set scored by the end of their lease (Redis' own clock).
  Taking a task is one script: the ids whose lease ran out go back to the head of the list, the
  first id is leased and counted. A task handed out more than `max_attempts` times without a
  result (its worker dies every time: a poison task) is dropped and logged.
  Behind Sentinel (Q_CLUSTER["redis"] a dict naming the sentinels, portal/services.py) it works on
  the master the sentinels name, asked again on each new connection, so it follows a failover as
  the cache does (portal/redis_sentinel.py); an enqueue is answered once a replica holds the
  task too (WAIT), so a task acknowledged to its caller survives the master's death. A replica
  that does not confirm within REPLICA_WAIT_MS is logged and the task kept on the master alone.
  A master with no replica connected (its replica lost in a failover, not yet replaced) is not
  waited on: with nothing to promote, its death loses no task to a failover (looked up at most
  every REPLICAS_CHECK_SECONDS). While no master answers, an enqueue fails after redis-py's
  retries, as with one Redis down (docs/tasks.md).

Nothing of the submissions app is imported: the brokers are plumbing under submissions.platform.tasks.
"""

import logging
import os
import threading
import time
import uuid

import redis
from django import db
from django.utils import timezone
from django_q.brokers.orm import ORM
from django_q.brokers.redis_broker import Redis
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signals import post_execute_in_worker, pre_execute
from django_q.signing import BadSignature, SignedPackage

from portal.redis_sentinel import master_client

log = logging.getLogger(__name__)


class LeasedORM(ORM):
    """The database queue; renew() keeps a running task's lock in the future."""

    def renew(self, ack_id):
        try:
            now = timezone.now()
            return bool(OrmQ.objects.using(Conf.ORM).filter(pk=ack_id, lock__gt=now).update(lock=self.timeout(None)))
        finally:
            db.connections[Conf.ORM].close()  # the renewing thread's own connection: not held between renewals

    def waiting(self, limit=1000):
        """The waiting tasks (decoded), oldest first."""
        rows = OrmQ.objects.using(Conf.ORM).filter(key=self.list_key, lock__lte=timezone.now()).order_by("pk")
        return [row.task for row in rows[:limit]]


# KEYS: ready (list of ids), payloads (hash), leases (sorted set), deliveries (hash).
# ARGV: lease seconds. Returns {id, payload, deliveries} or nil.
TAKE = """
local now = redis.call('TIME')
local clock = tonumber(now[1]) + tonumber(now[2]) / 1000000
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', clock, 'LIMIT', 0, 100)
for i = #expired, 1, -1 do
    redis.call('ZREM', KEYS[3], expired[i])
    redis.call('LPUSH', KEYS[1], expired[i])
end
while true do
    local id = redis.call('LPOP', KEYS[1])
    if not id then return nil end
    local payload = redis.call('HGET', KEYS[2], id)
    if payload then
        redis.call('ZADD', KEYS[3], clock + tonumber(ARGV[1]), id)
        local count = redis.call('HINCRBY', KEYS[4], id, 1)
        return {id, payload, count}
    end
end
"""

# KEYS: ready, payloads, wake. ARGV: id, payload. One script, so that WAIT can follow it on its connection.
ENQUEUE = """
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[3], 1)
redis.call('LTRIM', KEYS[3], 0, 0)
return 1
"""

# KEYS: leases. ARGV: id, lease seconds. Renews a lease that has not run out yet.
RENEW = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
local now = redis.call('TIME')
local clock = tonumber(now[1]) + tonumber(now[2]) / 1000000
if tonumber(score) <= clock then return 0 end
redis.call('ZADD', KEYS[1], 'XX', clock + tonumber(ARGV[2]), ARGV[1])
return 1
"""

WAIT_SECONDS = 1  # an idle dequeue waits this long for a new task (and the pusher sees a stop)
REPLICA_WAIT_MS = 500  # behind Sentinel: how long an enqueue waits for a replica to hold the task
REPLICAS_CHECK_SECONDS = 5  # how often an enqueuing broker asks the master how many replicas it has


def _behind_sentinel():
    """Whether the queue's Redis is named by sentinels (a dict, portal/services.py) rather than a URL."""
    return isinstance(Conf.REDIS, dict) and bool(Conf.REDIS.get("sentinels"))


class LeasedRedis(Redis):
    """A Redis queue that loses no task to a dead worker (see the module's docstring)."""

    def __init__(self, list_key=None):
        super().__init__(list_key)
        self._name_keys()

    def __setstate__(self, state):
        super().__setstate__(state)
        self._name_keys()

    def _name_keys(self):
        base = self.list_key.removesuffix(":q")  # django_q:<cluster name>
        self.ready, self.payloads, self.leases = f"{base}:ready", f"{base}:payloads", f"{base}:leases"
        self.deliveries, self.wake = f"{base}:deliveries", f"{base}:wake"
        self._scripts = None
        self._replicas = (0, -REPLICAS_CHECK_SECONDS)  # (connected replicas, when asked: time.monotonic())

    @staticmethod
    def get_connection(list_key=None):
        options = {"socket_connect_timeout": 5, "socket_timeout": WAIT_SECONDS + 10, "health_check_interval": 30}
        if _behind_sentinel():
            return master_client(Conf.REDIS, **options)
        return redis.Redis.from_url(Conf.REDIS, **options)

    def _has_replica(self):
        """Behind Sentinel, whether the master has a replica to wait for (asked every REPLICAS_CHECK_SECONDS)."""
        if not _behind_sentinel():
            return False
        count, asked = self._replicas
        if time.monotonic() - asked >= REPLICAS_CHECK_SECONDS:
            count = int(self.connection.info("replication").get("connected_slaves", 0))
            self._replicas = (count, time.monotonic())
        return count > 0

    def _script(self, name):
        if self._scripts is None:
            self._scripts = {
                key: self.connection.register_script(source)
                for key, source in (("take", TAKE), ("renew", RENEW), ("enqueue", ENQUEUE))
            }
        return self._scripts[name]

    def enqueue(self, task):
        task_id = uuid.uuid4().hex
        # One token in the wake list: an idle cluster wakes at once, the others within WAIT_SECONDS.
        wait = self._has_replica()
        with self.connection.pipeline(transaction=False) as pipe:  # one connection: WAIT counts this write
            self._script("enqueue")(keys=[self.ready, self.payloads, self.wake], args=[task_id, task], client=pipe)
            if wait:
                pipe.wait(1, REPLICA_WAIT_MS)
            answers = pipe.execute()
        if wait and answers[-1] < 1:
            self._replicas = (0, -REPLICAS_CHECK_SECONDS)  # asked again at the next enqueue
            log.warning(
                "task %s is on the Redis master only (no replica confirmed it within %s ms): a failover now would lose it",
                task_id,
                REPLICA_WAIT_MS,
            )
        return task_id

    def dequeue(self):
        while True:
            taken = self._script("take")(keys=[self.ready, self.payloads, self.leases, self.deliveries], args=[Conf.RETRY])
            if not taken:
                self.connection.blpop([self.wake], WAIT_SECONDS)
                return None
            task_id, payload, count = taken[0].decode(), taken[1], int(taken[2])
            if Conf.MAX_ATTEMPTS > 0 and count > Conf.MAX_ATTEMPTS:
                log.error(
                    "task %s was handed out %s times and never finished (its worker died each time): dropped", task_id, count - 1
                )
                self.delete(task_id)
                continue
            return [(task_id, payload)]

    def renew(self, ack_id):
        return bool(self._script("renew")(keys=[self.leases], args=[ack_id, Conf.RETRY]))

    def acknowledge(self, task_id):
        return self.delete(task_id)

    def fail(self, task_id):
        return self.delete(task_id)

    def delete(self, task_id):
        with self.connection.pipeline(transaction=True) as pipe:
            pipe.zrem(self.leases, task_id)
            pipe.hdel(self.payloads, task_id)
            pipe.hdel(self.deliveries, task_id)  # an id still in the ready list is skipped: its payload is gone
            pipe.execute()

    def queue_size(self):
        return self.connection.llen(self.ready)

    def lock_size(self):
        return self.connection.zcard(self.leases)

    def purge_queue(self):
        return self.connection.delete(self.ready, self.payloads, self.leases, self.deliveries, self.wake)

    def delete_queue(self):
        return self.purge_queue()

    def waiting(self, limit=1000):
        """The waiting tasks (decoded), oldest first."""
        found = []
        ids = self.connection.lrange(self.ready, 0, limit - 1)
        for payload in self.connection.hmget(self.payloads, ids) if ids else []:
            if payload is None:  # acknowledged while a copy of its id waited (a lease that ran out)
                continue
            try:
                found.append(SignedPackage.loads(payload))
            except (TypeError, BadSignature):
                continue
        return found


# The renewal, in each worker process -------------------------------------------------------


class _Running:
    ack_id = None
    pid = None  # the process whose thread renews (a forked worker starts its own)


def _renew_forever(broker_factory, interval):
    broker = None
    while True:
        threading.Event().wait(interval)
        ack_id = _Running.ack_id
        if ack_id is None:
            continue
        try:
            broker = broker or broker_factory()
            renew = getattr(broker, "renew", None)
            if renew is not None and not renew(ack_id):
                log.warning("the lease of task %s had run out: another worker may run it too", ack_id)
        except Exception as exc:  # the queue unreachable for a moment: the next renewal may succeed
            log.warning("could not renew the lease of task %s: %s", ack_id, exc)


def _started(sender, task, **kwargs):
    _Running.ack_id = task.get("ack_id")
    if _Running.pid != os.getpid():
        from django_q.brokers import get_broker

        _Running.pid = os.getpid()
        interval = max(1.0, Conf.RETRY / 3)
        threading.Thread(target=_renew_forever, args=(get_broker, interval), name="task-lease", daemon=True).start()


def _finished(sender, task, **kwargs):
    _Running.ack_id = None


pre_execute.connect(_started, dispatch_uid="portal.taskbroker.started")
post_execute_in_worker.connect(_finished, dispatch_uid="portal.taskbroker.finished")
