"""The real worker (`manage.py worker`, django-q2) against this run's database.

PostgreSQL: the test database itself (transactional tests, so the worker sees what the test
wrote). SQLite: the test's in-memory database cannot be shared with another process, so each
test gets a migrated file database (tests/migrated.py) and points this process's connection at it for the test.
Mail goes to tests/mail_backends.AppendingBackend: one JSON line per message sent, from
whichever process sent it.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task

from submissions.models import OutboxMessage, Showcase, Status
from submissions.newsroom import publishing
from submissions.platform import mail as notifications
from submissions.platform import tasks
from tests import migrated
from tests.factories import make_user, submission_in
from tests.submit_data import started

ROOT = Path(__file__).resolve().parents[2]


def _postgres_url():
    s = connection.settings_dict
    user = urllib.parse.quote(s["USER"] or "")
    password = urllib.parse.quote(s["PASSWORD"] or "")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_db(django_db_blocker, tmp_path):
    """(database URL for the workers, folder for their files), with this process on the same database."""
    if connection.vendor == "postgresql":
        yield _postgres_url(), tmp_path
        return
    path = tmp_path / "worker.sqlite3"
    url = migrated.sqlite_copy(path)
    with django_db_blocker.unblock():
        kept, name = connection.connection, connection.settings_dict["NAME"]
        connection.connection = None  # the in-memory test database stays open, set aside
        connection.settings_dict["NAME"] = str(path)
        try:
            yield url, tmp_path
        finally:
            connection.close()
            connection.settings_dict["NAME"] = name
            connection.connection = kept


class Worker:
    def __init__(self, url, folder, name, **env):
        self.log_path = folder / f"worker-{name}.log"
        self.log = open(self.log_path, "w+")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.settings",
                "DATABASE_URL": url,
                "TASKS_EAGER": "0",
                "TASK_WORKERS": "1",
                "EMAIL_BACKEND": "tests.mail_backends.AppendingBackend",
                "MAIL_LOG": str(folder / "mail.jsonl"),
                "MEDIA_ROOT": str(folder / "media"),
                "LOG_LEVEL": "WARNING",
                **{key: str(value) for key, value in env.items()},
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the cluster's processes go together
        )

    def output(self):
        self.log.flush()
        return self.log_path.read_text()[-4000:]

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout=30):
        """SIGTERM, as systemd stops it: the worker finishes what it holds and exits 0."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise
        finally:
            self.log.close()


def mails(folder):
    path = folder / "mail.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def wait_for(condition, workers, seconds=120, what="the work"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            if worker.process.poll() is not None:
                pytest.fail(f"a worker exited ({worker.process.returncode}):\n{worker.output()}")
        time.sleep(0.2)
    pytest.fail(f"{what} was not done in {seconds} s:\n" + "\n".join(w.output() for w in workers))


def test_the_worker_sends_the_portals_mail_and_publishes_on_schedule(shared_db, settings, client):
    url, folder = shared_db
    settings.TASKS_EAGER = False
    entry = submission_in(Status.SUBMITTED, contact_email="secretary@example.com")
    # Through the portal: a submitter asks for the tracking links again.
    began = time.monotonic()
    response = client.post(reverse("track:lookup"), {"email": "secretary@example.com", "started": started(), "website": ""})
    assert response.status_code == 302
    assert time.monotonic() - began < 5
    assert mails(folder) == []  # the request only queued it
    queued = set(OutboxMessage.objects.values_list("event", flat=True))
    assert queued == {"received", "mailbox_notice", "link_resend"}
    assert not OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).exists()
    # An accepted entry's article, signed off and scheduled a moment ahead.
    accepted = submission_in(Status.ACCEPTED)
    editor, chief = make_user("editor", username="w-editor"), make_user("chief", username="w-chief")
    article = publishing.draft_from_entry(accepted, editor=editor)
    publishing.sign_off(article, chief)
    publishing.schedule(article, chief, timezone.now() + timedelta(seconds=2))
    time.sleep(2.1)

    worker = Worker(url, folder, "one")
    try:
        wait_for(
            lambda: Showcase.objects.get(pk=article.pk).state == Showcase.State.PUBLISHED, [worker], what="the scheduled publish"
        )
        # The submitter's mail is queued once the publish has committed: a moment after the article shows as published.
        wait_for(
            lambda: OutboxMessage.objects.filter(event="published", submission=accepted).exists(),
            [worker],
            what="queueing its mail",
        )
        wait_for(
            lambda: not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists(), [worker], what="sending the mail"
        )
    finally:
        code = worker.stop()
    assert code == 0, worker.output()
    sent = sorted((m["to"][0], m["subject"]) for m in mails(folder))
    expected = sorted((m.to, m.subject) for m in OutboxMessage.objects.all())
    assert sent == expected and len(sent) == len(set(sent))
    assert {"secretary@example.com"} <= {to for to, _ in sent}
    accepted.refresh_from_db()
    assert accepted.status == Status.PUBLISHED
    assert OutboxMessage.objects.filter(event="published", submission=accepted).exists()
    assert entry.reference in OutboxMessage.objects.get(event="link_resend").body


def test_two_workers_at_once_never_send_one_message_twice(shared_db, settings):
    url, folder = shared_db
    settings.TASKS_EAGER = False
    count = 30
    for index in range(count):
        notifications.queue("draft_saved", f"person{index}@example.com", {"draft_url": f"https://example.com/d/{index}"})
    workers = [Worker(url, folder, name, MAIL_DELAY="0.05") for name in ("a", "b")]
    try:
        wait_for(lambda: len(mails(folder)) >= count, workers, what="sending 30 messages")
        time.sleep(2)  # anything sent twice would have arrived by now
    finally:
        codes = [worker.stop() for worker in workers]
    assert codes == [0, 0]
    sent = sorted(m["to"][0] for m in mails(folder))
    assert sent == sorted(f"person{index}@example.com" for index in range(count))
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert len({m["pid"] for m in mails(folder)}) >= 1


def test_a_worker_killed_mid_send_leaves_the_message_to_another(shared_db, settings):
    url, folder = shared_db
    settings.TASKS_EAGER = False
    message = notifications.queue("draft_saved", "slow@example.com", {"draft_url": "https://example.com/d/slow"})
    # A slow mail server (30 s a send); a claim of 3 s; a task not acknowledged in 5 s is handed out again.
    first = Worker(url, folder, "doomed", MAIL_DELAY=30, OUTBOX_CLAIM_SECONDS=3, TASK_TIMEOUT=4, TASK_RETRY=5)
    try:
        wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).attempts == 1, [first], what="the first worker's claim")
        time.sleep(0.5)
    finally:
        first.kill()  # in the middle of the send
        first.log.close()
    claimed = OutboxMessage.objects.get(pk=message.pk)
    assert claimed.state == OutboxMessage.State.QUEUED and mails(folder) == []
    time.sleep(max(0.0, (claimed.next_attempt_at - timezone.now()).total_seconds()) + 2.5)  # the claim and the task lock expire
    second = Worker(url, folder, "rescuer")
    try:
        wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.SENT, [second], what="the retry")
        time.sleep(1)
    finally:
        assert second.stop() == 0
    assert [m["to"] for m in mails(folder)] == [["slow@example.com"]]
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 2


def test_the_worker_names_queued_tasks_whose_function_is_gone_and_runs_the_old_paths_kept(shared_db, settings):
    url, folder = shared_db
    settings.TASKS_EAGER = False
    old = ["submissions.platform.tasks.flush_views", "submissions.tasks.heartbeat"]
    tasks.enqueue(old[0])  # queued the day before the areas took their tasks
    tasks.enqueue(old[1])  # queued by the release before: its path is kept for one release
    worker = Worker(url, folder, "upgraded")
    try:
        wait_for(lambda: Task.objects.filter(func__in=old).count() == 2, [worker], what="running both queued tasks")
    finally:
        code = worker.stop()
    output = worker.log_path.read_text()
    assert code == 0, output
    assert (
        "1 queued task(s) name submissions.platform.tasks.flush_views, which no longer exists: they will fail. Let the"
        " previous release's worker drain the queue before upgrading (docs/tasks.md, Upgrading)."
    ) in output
    assert "submissions.tasks.heartbeat, which" not in output
    assert set(Task.objects.filter(func__in=old).values_list("func", "success")) == {
        ("submissions.platform.tasks.flush_views", False),
        ("submissions.tasks.heartbeat", True),
    }
