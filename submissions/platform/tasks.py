"""Every piece of background work, and the one way to queue it (docs/tasks.md).

The queue is django-q2 on the database (its ORM broker): a request only queues work, and
`manage.py worker` (one per machine, any number of machines) runs it. Each task here is safe
to run twice, and twice at once: the state it works on is claimed in the database (an outbox
message by compare-and-swap, an article by workflow.transition(), an export by its row), so
a task handed out again after its worker died only finishes what was left.

To queue work:            tasks.enqueue(tasks.some_task, arg, ...)          (now)
                          tasks.enqueue_on_commit(tasks.some_task, arg, ...) (after the commit)
To add a periodic task:   tasks.periodic("name", "submissions.platform.tasks.some_task", minutes=5)
                          tasks.periodic("name", "submissions.platform.tasks.some_task", daily_at="03:00")
                          (at import time of this module; the worker writes the schedules on start).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
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
    """Queue the task once the current transaction commits (nothing is queued on a rollback)."""
    transaction.on_commit(lambda: enqueue(func, *args, **kwargs))


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


# The tasks -------------------------------------------------------------------------------


def send_message(message_pk, force=False):
    """Send one outbox message (queued by notifications.queue once its transaction commits)."""
    from submissions.platform import mail as notifications

    return notifications.send(message_pk, force=force)


def send_outbox():
    """Every minute: messages whose send was never picked up or whose retry time has come."""
    from submissions.platform import mail as notifications

    return notifications.send_due()


def publish_due():
    """Every minute: publish the scheduled articles whose time has come."""
    from submissions.newsroom import publishing

    return publishing.publish_due()


def cleanup_media():
    """Every six hours: export files older than a week, staged uploads of abandoned forms, and files no row refers to."""
    from django.core.management import call_command

    from submissions.review import export_jobs as jobs

    jobs.prune()
    call_command("cleanup_media", verbosity=0)


def backup():
    """Nightly: online backup of the database and media into BACKUP_DIR."""
    from django.core.management import call_command

    return call_command("backup", dest=str(settings.BACKUP_DIR))


def fetch_mailbox():
    """Every five minutes: each campaign's IMAP mailbox into the intake queue (safe to run twice: keyed on Message-ID)."""
    from submissions.intake import mailbox

    return len(mailbox.fetch_all())


def overlap_job(kind, pk):
    """An overlap report (文字复制比) to make or refresh: an entry's, an article's, or another entry's it affects."""
    from submissions.overlap import hooks

    hooks.run(kind, pk)


def flush_views():
    """Every minute: the reading counts (阅读量) gathered in the cache, into the database."""
    from submissions.column import viewcounts

    return viewcounts.flush()


def heartbeat():
    """Every minute: proves a worker is running (its schedule moves on; /healthz reads it)."""
    return timezone.now().isoformat()


def export_entries(job_pk):
    """A long Excel export, written to media with its progress on the job's row."""
    from submissions.review import export_jobs as jobs

    jobs.run(job_pk)


periodic("publish_due", publish_due, minutes=1)
periodic("send_outbox", send_outbox, minutes=1)
periodic("heartbeat", heartbeat, minutes=1)
periodic("fetch_mailbox", fetch_mailbox, minutes=5)
periodic("flush_views", flush_views, minutes=1)
periodic("cleanup_media", cleanup_media, minutes=360)  # staged uploads expire after 12 hours
periodic("backup", backup, daily_at="02:30")


# What operators watch (/metrics, /healthz) ------------------------------------------------


def queue_stats(now=None):
    """Tasks waiting (and the oldest one's age in seconds), running, failed, and the heartbeat."""
    from django_q.models import Failure, OrmQ, Schedule

    now = now or timezone.now()
    queued = OrmQ.objects.filter(key=settings.Q_CLUSTER["name"])
    waiting = queued.filter(lock__lte=now)  # a worker holds the others (lock: until when)
    oldest = waiting.order_by("pk").first()
    oldest_age = 0.0
    if oldest is not None:
        started = oldest.task.get("started")
        oldest_age = max(0.0, (now - started).total_seconds()) if isinstance(started, datetime) else 0.0
    beat = Schedule.objects.filter(name=HEARTBEAT).values_list("next_run", flat=True).first()
    return {
        "waiting": waiting.count(),
        "running": queued.count() - waiting.count(),
        "oldest_waiting_seconds": oldest_age,
        "failed": Failure.objects.count(),
        "heartbeat_next_run": beat,
    }


def worker_alive(stats, now=None):
    """A worker's scheduler moved the heartbeat on within the last three minutes."""
    now = now or timezone.now()
    beat = stats["heartbeat_next_run"]
    return isinstance(beat, datetime) and beat > now - timedelta(minutes=2)
