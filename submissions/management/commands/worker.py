"""Run the background worker (docs/tasks.md): one per machine, on any number of machines.

On start it writes the periodic schedules declared in code (tasks.PERIODIC, filled by each
area's tasks module), runs those that are due at once and names the queued tasks whose function
no longer exists (queued by an older release: docs/tasks.md, "Upgrading"); then it runs
django-q2's cluster: TASK_WORKERS worker processes that take tasks from the database queue, and
a scheduler that queues each periodic task when its time comes (every scheduler checks every 30
seconds; a row lock lets only one queue each run). SIGTERM or SIGINT stops it cleanly: the
running tasks finish, nothing new is taken. When the signal went to the whole process group
(honcho's SIGTERM on Ctrl-C in `make run`), django-q2's sentinel dies of it at once (django-q2's
own stop would then wait forever on it): the worker exits at once too. With --ready-file it
touches that file once the cluster runs (`make run` prints the demo accounts after it, Procfile).
"""

import signal
import threading
from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand

from submissions.platform import tasks


def stop(cluster, signum, frame):
    """Ask the sentinel to stop (it lets the running tasks finish), from a thread: when the signal
    went to the whole group the sentinel has died of it, and setting the event waits forever for
    it to wake up. The command returns once the sentinel is gone either way."""
    threading.Thread(target=cluster.stop_event.set, daemon=True).start()


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and the periodic schedules (docs/tasks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--run-once", action="store_true", help="Start, then stop at once (a smoke test).")
        parser.add_argument("--ready-file", default="", help="A file to touch once the cluster runs.")

    def handle(self, *args, run_once=False, ready_file="", **options):
        from django_q.cluster import Cluster
        from django_q.scheduler import scheduler

        tasks.sync_schedules()
        for path, count in sorted(tasks.unknown_tasks().items()):
            self.stderr.write(
                f"{count} queued task(s) name {path}, which no longer exists: they will fail. Let the"
                " previous release's worker drain the queue before upgrading (docs/tasks.md, Upgrading)."
            )
        scheduler()
        cluster = Cluster()
        cluster.start()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, partial(stop, cluster))
        if ready_file:
            Path(ready_file).touch()
        if run_once:
            cluster.stop()
        cluster.sentinel.join()
