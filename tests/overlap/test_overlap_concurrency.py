"""Overlap jobs at once, each in its own thread and database connection (issue 24, defect 4), a
failing job that the queue sees fail, and reports that do not depend on the order entries were
indexed in (defect 5)."""

import collections
import contextlib
import logging
import sys
import threading
from multiprocessing import Queue, Value

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Failure, OrmQ, Task
from django_q.monitor import monitor
from django_q.signing import SignedPackage
from django_q.worker import worker

from submissions.models import OverlapDocument, OverlapHash, OverlapMatch, OverlapShingle, Section
from submissions.overlap import index, report
from submissions.overlap import tasks as overlap_tasks
from submissions.platform import tasks
from tests.overlap.test_overlap import COPIED, OWN_A, OWN_B, entry

pytestmark = pytest.mark.django_db(transaction=True)

JOIN_SECONDS = 60  # a deadlock is detected by PostgreSQL within a second (deadlock_timeout)


def indexed(*bodies):
    """An entry indexed through the domain function, with no report yet."""
    submission = entry(*bodies)
    document = OverlapDocument(submission=submission)
    index.index_text(document, "\n".join(bodies))
    return document


def at_once(jobs):
    """Run each job in a thread of its own (its own connection); returns the exceptions raised.
    SQLite allows one writer at a time: there the jobs run one after the other."""
    errors, one_writer = [], threading.Lock()
    serial = connection.vendor != "postgresql"

    def work(job):
        try:
            if serial:
                with one_writer:
                    job()
            else:
                job()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "the jobs did not finish"
    return errors


@pytest.fixture
def quiet_hooks(monkeypatch):
    """The entries are set up without their reports (nor their follow-ups): the jobs under test make them."""
    monkeypatch.setattr(overlap_tasks, "queue", lambda kind, pk: None)


def test_two_reports_of_entries_matching_each_other_run_at_once(quiet_hooks, monkeypatch):
    first, second = indexed(OWN_A, COPIED), indexed(COPIED, OWN_B)
    # Both jobs have read the index and locked their own entry before either writes its matches:
    # the interleaving that deadlocked on PostgreSQL (each match row's key check waited on the
    # other entry's lock).
    meet = threading.Barrier(2 if connection.vendor == "postgresql" else 1, timeout=JOIN_SECONDS)
    analyse = report.analyse

    def analyse_then_meet(*args, **kwargs):
        found = analyse(*args, **kwargs)
        meet.wait()
        return found

    monkeypatch.setattr(report, "analyse", analyse_then_meet)
    errors = at_once(
        [
            lambda: overlap_tasks.overlap_job(overlap_tasks.REPORT, first.pk),
            lambda: overlap_tasks.overlap_job(overlap_tasks.REPORT, second.pk),
        ]
    )
    assert errors == []
    assert list(OverlapMatch.objects.filter(document=first).values_list("other_id", flat=True)) == [second.pk]
    assert list(OverlapMatch.objects.filter(document=second).values_list("other_id", flat=True)) == [first.pk]
    assert all(d.reported_at for d in OverlapDocument.objects.all())


def hashes_of(document_id):
    return set(OverlapShingle.objects.filter(document_id=document_id).values_list("hash", flat=True))


def test_two_entries_swapping_their_texts_are_indexed_at_once(quiet_hooks, monkeypatch):
    first, second = entry(OWN_A), entry(OWN_B)
    (one, _follow_ups), (two, _follow_ups) = (report.refresh_entry(submission.pk) for submission in (first, second))
    before = {one.pk: hashes_of(one.pk), two.pk: hashes_of(two.pk)}
    Section.objects.filter(submission=first).update(body=OWN_B)
    Section.objects.filter(submission=second).update(body=OWN_A)
    # Each job has written the frequencies of its first hashes before either goes on: the first
    # job's added hashes are the second's removed ones, and the other way round. The jobs used to
    # take them in two passes (added, then removed) and deadlocked here.
    meet = threading.Barrier(2 if connection.vendor == "postgresql" else 1, timeout=3)
    chunks = index.chunks

    def chunks_then_meet(values, size=index.CHUNK):
        bumping = sys._getframe(1).f_code.co_name == "_bump"
        for part in chunks(values, size):
            yield part
            if bumping:
                with contextlib.suppress(threading.BrokenBarrierError):
                    meet.wait()  # the fixed job takes every hash in one order: the other waits on its lock

    monkeypatch.setattr(index, "chunks", chunks_then_meet)
    errors = at_once(
        [
            lambda: overlap_tasks.overlap_job(overlap_tasks.ENTRY, first.pk),
            lambda: overlap_tasks.overlap_job(overlap_tasks.ENTRY, second.pk),
        ]
    )
    assert errors == []
    assert hashes_of(one.pk) == before[two.pk] and hashes_of(two.pk) == before[one.pk]
    held = collections.Counter(OverlapShingle.objects.values_list("hash", flat=True))
    assert dict(OverlapHash.objects.values_list("hash", "df")) == dict(held)


def worker_runs_the_queued_task():
    """One pass of django-q2's own pusher, worker and monitor over the database queue, in this
    process: what a worker does with a task, up to acknowledging it (or not)."""
    broker = get_broker()
    (ack_id, payload), *_rest = broker.dequeue()
    task = SignedPackage.loads(payload)
    task["ack_id"] = ack_id
    todo, done = Queue(), Queue()
    todo.put(task)
    todo.put("STOP")
    worker(todo, done, Value("f", -1))
    done.put("STOP")
    monitor(done, broker)


def test_a_failing_overlap_job_is_not_counted_as_done_and_is_handed_out_again(quiet_hooks, settings, monkeypatch, caplog):
    document = indexed(COPIED, OWN_A)
    settings.TASKS_EAGER = False

    def deadlocked(document_id):
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(overlap_tasks, "refresh_document", deadlocked)
    tasks.enqueue(overlap_tasks.overlap_job, overlap_tasks.REPORT, document.pk)
    with caplog.at_level(logging.ERROR, logger="submissions.overlap"):
        worker_runs_the_queued_task()
    assert list(Task.objects.values_list("func", "success")) == [("submissions.overlap.tasks.overlap_job", False)]
    assert Failure.objects.count() == 1
    # Not acknowledged: the queue keeps it and hands it out again once its lock (TASK_RETRY) runs out.
    assert OrmQ.objects.count() == 1 and tasks.queue_stats()["running"] == 1
    assert "overlap report for report" in caplog.text

    monkeypatch.undo()
    OrmQ.objects.update(lock=timezone.now())  # TASK_RETRY has passed
    worker_runs_the_queued_task()
    assert OrmQ.objects.count() == 0
    assert Task.objects.filter(success=True).count() == 1
    assert OverlapDocument.objects.get(pk=document.pk).reported_at is not None
