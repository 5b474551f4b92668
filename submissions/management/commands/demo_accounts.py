"""Print the demo accounts that seed_demo made (its password: DEMO_PASSWORD, else .demo_password).

`make run` starts it beside the server and the worker (Procfile) with --wait: it prints once the
site answers at SITE_URL and the worker has touched its ready file, so the accounts are the last
lines on screen, then stays until stopped (honcho stops every process when one of them ends).
"""

import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from submissions.management.commands.seed_demo import account_lines, password_file

POLL = 0.2  # seconds between looks at the site and the ready file


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
        self.stdout.write("\n".join(account_lines(password)))
        self.stdout.flush()
        if wait:
            signal.pause()  # until honcho stops it (SIGTERM) with the others
