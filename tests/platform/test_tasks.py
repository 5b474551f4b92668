"""The task module: schedules declared in code, the outbox's claim, eager tasks in tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import OrmQ, Schedule

from submissions.models import OutboxMessage
from submissions.newsroom import tasks as newsroom_tasks
from submissions.platform import mail as notifications
from submissions.platform import tasks

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_schedules_are_written_from_the_declarations(monkeypatch):
    now = datetime(2026, 12, 1, 10, 0, tzinfo=BEIJING)
    tasks.sync_schedules(now)
    rows = {s.name: (s.func, s.schedule_type, s.minutes, s.next_run) for s in Schedule.objects.all()}
    assert rows == {
        "portal:publish_due": ("submissions.newsroom.tasks.publish_due", "I", 1, now),
        "portal:send_outbox": ("submissions.platform.mail.send_due", "I", 1, now),
        "portal:heartbeat": ("submissions.platform.tasks.heartbeat", "I", 1, now),
        "portal:fetch_mailbox": ("submissions.intake.tasks.fetch_mailbox", "I", 5, now),
        "portal:flush_views": ("submissions.column.tasks.flush_views", "I", 1, now),
        "portal:cleanup_media": ("submissions.management.tasks.cleanup_media", "I", 360, now),
        "portal:prune_exports": ("submissions.review.tasks.prune_exports", "I", 360, now),
        "portal:close_notices": ("submissions.notice.tasks.close_notices", "I", 10, now),
        "portal:vote_tallies": ("submissions.vote.tasks.refresh_tallies", "I", 1, now),
        "portal:remind_reviewers": ("submissions.review.tasks.remind_reviewers", "I", 60, now),
        "portal:remind_experts": ("submissions.experts.tasks.remind_experts", "I", 60, now),
        "portal:backup": ("submissions.platform.tasks.backup", "D", None, datetime(2026, 12, 2, 2, 30, tzinfo=BEIJING)),
    }
    # A declaration changed, one added, one gone: the rows follow; others (not ours) are kept.
    Schedule.objects.create(name="someone-else", func="math.floor", schedule_type="I", minutes=5)
    declared = dict(tasks.PERIODIC)
    monkeypatch.setattr(tasks, "PERIODIC", {})
    for name, entry in declared.items():
        if name != "portal:backup":
            tasks.PERIODIC[name] = entry
    tasks.periodic("publish_due", newsroom_tasks.publish_due, minutes=2)
    tasks.periodic("nightly", "submissions.platform.tasks.heartbeat", daily_at="23:15")
    tasks.sync_schedules(now)
    names = set(Schedule.objects.values_list("name", flat=True))
    assert names == {
        "portal:publish_due",
        "portal:send_outbox",
        "portal:heartbeat",
        "portal:fetch_mailbox",
        "portal:flush_views",
        "portal:cleanup_media",
        "portal:prune_exports",
        "portal:close_notices",
        "portal:vote_tallies",
        "portal:remind_reviewers",
        "portal:remind_experts",
        "portal:nightly",
        "someone-else",
    }
    assert Schedule.objects.get(name="portal:publish_due").minutes == 2
    assert Schedule.objects.get(name="portal:nightly").next_run == datetime(2026, 12, 1, 23, 15, tzinfo=BEIJING)
    tasks.sync_schedules(now + timedelta(hours=1))  # nothing changed: next runs are left as the scheduler set them
    assert Schedule.objects.get(name="portal:send_outbox").next_run == now


def test_a_periodic_task_needs_exactly_one_rhythm():
    with pytest.raises(ValueError):
        tasks.periodic("x", tasks.heartbeat)
    with pytest.raises(ValueError):
        tasks.periodic("x", tasks.heartbeat, minutes=1, daily_at="01:00")


@pytest.mark.django_db
def test_queued_tasks_go_to_the_database_queue_when_not_eager(settings):
    settings.TASKS_EAGER = False
    task_id = tasks.enqueue(tasks.heartbeat)
    assert task_id and OrmQ.objects.count() == 1
    assert OrmQ.objects.get().task["func"] == "submissions.platform.tasks.heartbeat"
    assert tasks.queue_stats()["waiting"] == 1


@pytest.mark.django_db
def test_queued_tasks_whose_function_has_moved_are_named(settings):
    """Tasks an older release queued under a path that no longer exists are found (the worker names them on start)."""
    settings.TASKS_EAGER = False
    tasks.enqueue("submissions.platform.tasks.publish_due")  # a path of the day before the areas took their tasks
    tasks.enqueue("submissions.platform.tasks.publish_due")
    tasks.enqueue("submissions.platform.tasks.overlap_job", "entry", 1)
    tasks.enqueue("submissions.tasks.fetch_mailbox")  # the release before: kept for one release
    tasks.enqueue(tasks.heartbeat)
    assert tasks.unknown_tasks() == {
        "submissions.platform.tasks.publish_due": 2,
        "submissions.platform.tasks.overlap_job": 1,
    }


def test_the_previous_releases_task_paths_still_find_their_functions():
    found = {name: import_string(f"submissions.tasks.{name}") for name in OLD_NAMES}
    assert {name: f"{func.__module__}.{func.__name__}" for name, func in found.items()} == {
        "send_message": "submissions.platform.mail.send",
        "send_outbox": "submissions.platform.mail.send_due",
        "publish_due": "submissions.newsroom.tasks.publish_due",
        "cleanup_media": "submissions.management.tasks.cleanup_media",
        "backup": "submissions.platform.tasks.backup",
        "fetch_mailbox": "submissions.intake.tasks.fetch_mailbox",
        "overlap_job": "submissions.overlap.tasks.overlap_job",
        "flush_views": "submissions.column.tasks.flush_views",
        "heartbeat": "submissions.platform.tasks.heartbeat",
        "export_entries": "submissions.review.export_jobs.run",
    }


# Every task of submissions/tasks.py before issue 24 (git show c41dd30~1:submissions/tasks.py).
OLD_NAMES = [
    "send_message",
    "send_outbox",
    "publish_due",
    "cleanup_media",
    "backup",
    "fetch_mailbox",
    "overlap_job",
    "flush_views",
    "heartbeat",
    "export_entries",
]


@pytest.mark.django_db
def test_a_message_is_claimed_by_one_sender_only(settings):
    message = OutboxMessage.objects.create(event="received", to="a@example.com", subject="s", body="b")
    first = notifications.claim(message.pk)
    assert first is not None and first.attempts == 1
    assert notifications.claim(message.pk) is None  # a second sender, while the first holds it
    assert notifications.send(message.pk) is False and mail.outbox == []
    # The first sender died: once its claim runs out, the sweep sends it.
    held = OutboxMessage.objects.get(pk=message.pk).next_attempt_at - timezone.now()
    assert timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS - 5) < held <= timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert notifications.send_due() == (1, 0)
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == ("sent", 2, None)
    assert len(mail.outbox) == 1
    assert notifications.send(message.pk, force=True) is False  # a sent message is never sent again
