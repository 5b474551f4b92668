"""Print the demo accounts that seed_demo made (its password: DEMO_PASSWORD, else .demo_password).

`make run` starts it beside the server and the worker (Procfile) with --wait: it prints once the
site answers at SITE_URL, the worker has touched its ready file and has worked off the tasks
queued before it started (seed_demo's mails and overlap reports: some hundred lines of log on a
fresh machine; waited for at most QUEUE_WAIT seconds), so the accounts are the last lines on
screen, then stays until stopped (honcho stops every process when one of them ends).
"""

import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_q.models import OrmQ

from submissions.management.commands.seed_demo import account_lines, password_file

POLL = 0.2  # seconds between looks at the site and the ready file
QUEUE_WAIT = 60  # seconds at most to wait for the queue to empty
QUIET = 1.0  # seconds after it is empty, for the worker's last lines


def answers(url):
    """Whether a server answers at url (any HTTP status counts)."""
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (the site's own URL)
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


class Command(BaseCommand):
    help = "Print the demo accounts; with --wait, once the site answers and the worker is ready, then stay."

    def add_arguments(self, parser):
        parser.add_argument("--wait", action="store_true", help="Wait for the site (SITE_URL) first, then stay.")
        parser.add_argument("--ready-file", default="", help="With --wait: also wait for this file (the worker's).")

    def handle(self, *args, wait=False, ready_file="", **options):
        password = os.environ.get("DEMO_PASSWORD") or (password_file().read_text().strip() if password_file().exists() else "")
        if not password:
            raise CommandError("No demo password yet: run `manage.py seed_demo` first.")
        if wait:
            while not (answers(settings.SITE_URL + "/") and (not ready_file or Path(ready_file).exists())):
                time.sleep(POLL)
            if ready_file:
                self.wait_for_queue()
        self.stdout.write("\n".join(account_lines(password)))
        self.stdout.flush()
        if wait:
            signal.pause()  # until honcho stops it (SIGTERM) with the others

    def wait_for_queue(self):
        """Until the worker has worked off every queued task, at most QUEUE_WAIT s: the database
        broker deletes a task's row once it is done (a worker prefetches rows, so a row's lock
        says nothing of whether it ran; a task that failed keeps its row until its retry, which
        the bound covers)."""
        deadline = time.monotonic() + QUEUE_WAIT
        while OrmQ.objects.exists() and time.monotonic() < deadline:
            time.sleep(POLL)
        time.sleep(QUIET)
