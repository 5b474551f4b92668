"""The task queue: the one way to queue background work, and the platform's own tasks (docs/tasks.md).

The queue is django-q2 on the broker TASK_BROKER names (the database, or Redis: portal/taskbroker.py,
which leases each task to the worker running it): a request only queues work, and
`manage.py worker` (one per machine, any number of machines) runs it. Every task is safe to run
twice, and twice at once: the state it works on is claimed in the database (an outbox message by
compare-and-swap, an article by workflow.transition(), an export by its row), so a task handed
out again after its worker died only finishes what was left.

This module imports nothing of the portal's: each area keeps its own tasks in its tasks.py
(submissions/intake/tasks.py, newsroom/, review/, column/, overlap/) and declares its periodic
ones there; submissions/apps.py imports those modules, so every process knows them all.

To queue work:            tasks.enqueue(some_module.some_task, arg, ...)          (now)
                          tasks.enqueue_on_commit(some_module.some_task, arg, ...) (after the commit)
To add a periodic task:   tasks.periodic("name", some_task, minutes=5)          (in the area's tasks.py,
                          tasks.periodic("name", some_task, daily_at="03:00")    at import time; the
                                                                                 worker writes the schedules)
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

SCHEDULE_PREFIX = "portal:"  # schedules named so are ours: written from PERIODIC, removed when gone from it
HEARTBEAT = SCHEDULE_PREFIX + "heartbeat"
SCHEDULES_LOCK = 716016  # a PostgreSQL advisory lock key of our own


def _path(func):
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def enqueue(func, *args, **kwargs):
    """Queue `func(*args, **kwargs)` for a worker; returns the task id (None when run eagerly).

    Arguments must be plain values (ids, strings, numbers), never model instances: the task
    reads its rows itself, so it always works on their current state.
    """
    path = _path(func)
    if settings.TASKS_EAGER:
        import_string(path)(*args, **kwargs)
        return None
    from django_q.tasks import async_task

    return async_task(path, *args, task_name=f"{path.rsplit('.', 1)[-1]}:{args}"[:100], **kwargs)


def enqueue_on_commit(func, *args, **kwargs):
    """Queue the task once the current transaction commits (nothing is queued on a rollback).
    A queue out of reach then (Redis down) is logged, not raised: what was committed stands, and
    the sweepers (the outbox's send_outbox) take it up. Eager (the tests), a task's error is raised."""
    transaction.on_commit(lambda: enqueue(func, *args, **kwargs), robust=not settings.TASKS_EAGER)


# Periodic tasks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Periodic:
    func: str
    minutes: int = 0  # every N minutes
    daily_at: str = ""  # or once a day at HH:MM, Beijing time (TIME_ZONE)


PERIODIC = {}


def periodic(name, func, *, minutes=0, daily_at=""):
    """Declare a periodic task (in code: no crontab). Every worker writes these on start."""
    if bool(minutes) == bool(daily_at):
        raise ValueError("give either minutes or daily_at")
    PERIODIC[SCHEDULE_PREFIX + name] = Periodic(_path(func), minutes, daily_at)


def _first_run(entry, now):
    if entry.minutes:
        return now
    hour, minute = (int(part) for part in entry.daily_at.split(":"))
    local = timezone.localtime(now)
    first = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return first if first > local else first + timedelta(days=1)


def sync_schedules(now=None):
    """Write PERIODIC into django-q2's schedules: add the new, update the changed, drop the gone."""
    from django_q.models import Schedule

    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":  # workers starting together: one writes at a time
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULES_LOCK])
        existing = {s.name: s for s in Schedule.objects.select_for_update().filter(name__startswith=SCHEDULE_PREFIX)}
        for name, entry in PERIODIC.items():
            kind = Schedule.MINUTES if entry.minutes else Schedule.DAILY
            wanted = {"func": entry.func, "schedule_type": kind, "minutes": entry.minutes or None, "repeats": -1}
            schedule = existing.pop(name, None)
            if schedule is None:
                Schedule.objects.create(name=name, next_run=_first_run(entry, now), **wanted)
            elif any(getattr(schedule, key) != value for key, value in wanted.items()):
                for key, value in wanted.items():
                    setattr(schedule, key, value)
                schedule.next_run = _first_run(entry, now)
                schedule.save()
        Schedule.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()


# The platform's own tasks (mail's are in platform/mail.py, the areas' in their tasks.py) -------


def backup():
    """Nightly: online backup of the database and media into BACKUP_DIR."""
    return call_command("backup", dest=str(settings.BACKUP_DIR))


def heartbeat():
    """Every minute: proves a worker is running (its schedule moves on; /healthz reads it)."""
    return timezone.now().isoformat()


periodic("heartbeat", heartbeat, minutes=1)
periodic("backup", backup, daily_at="02:30")


# What operators watch (/metrics, /healthz) ------------------------------------------------


def queue_stats(now=None):
    """Tasks waiting (and the oldest one's age in seconds), running, failed, and the heartbeat."""
    from django_q.brokers import get_broker
    from django_q.models import Failure, Schedule

    now = now or timezone.now()
    broker = get_broker()  # the database's queue or Redis' (portal/taskbroker.py)
    oldest = next(iter(broker.waiting(limit=1)), None)
    oldest_age = 0.0
    if oldest is not None:
        started = oldest.get("started")
        oldest_age = max(0.0, (now - started).total_seconds()) if isinstance(started, datetime) else 0.0
    beat = Schedule.objects.filter(name=HEARTBEAT).values_list("next_run", flat=True).first()
    return {
        "waiting": broker.queue_size(),
        "running": broker.lock_size(),  # leased to a worker
        "oldest_waiting_seconds": oldest_age,
        "failed": Failure.objects.count(),
        "heartbeat_next_run": beat,
    }


def worker_alive(stats, now=None):
    """A worker's scheduler moved the heartbeat on within the last three minutes."""
    now = now or timezone.now()
    beat = stats["heartbeat_next_run"]
    return isinstance(beat, datetime) and beat > now - timedelta(minutes=2)


def unknown_tasks():
    """{function path: how many queued tasks name it} for the queued tasks whose function cannot
    be imported: queued by an older release under a path that has moved since (docs/tasks.md,
    "Upgrading"). The worker names them on start; run, each would only fail."""
    from django_q.brokers import get_broker

    found = {}
    for queued in get_broker().waiting(limit=100_000):
        path = queued.get("func")
        if not isinstance(path, str):
            continue
        try:
            import_string(path)
        except ImportError:
            found[path] = found.get(path, 0) + 1
    return found
