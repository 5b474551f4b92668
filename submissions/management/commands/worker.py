"""Run the background worker (submissions/tasks.py): one per machine, on any number of machines.

On start it writes the periodic schedules declared in code (tasks.PERIODIC) and runs those that
are due at once, then runs django-q2's cluster: TASK_WORKERS worker processes that take tasks
from the database queue, and a scheduler that queues each periodic task when its time comes
(every scheduler checks every 30 seconds; a row lock lets only one queue each run). SIGTERM or
SIGINT stops it cleanly: the running tasks finish, nothing new is taken.
"""

from django.core.management.base import BaseCommand

from submissions import tasks


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and the periodic schedules (docs/tasks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--run-once", action="store_true", help="Start, then stop at once (a smoke test).")

    def handle(self, *args, run_once=False, **options):
        from django_q.cluster import Cluster
        from django_q.scheduler import scheduler

        tasks.sync_schedules()
        scheduler()
        cluster = Cluster()
        cluster.start()
        if run_once:
            cluster.stop()
