"""The overlap work as jobs on the task queue (docs/overlap.md, docs/tasks.md).

overlap_job(kind, pk) is the task a worker runs; queue(kind, pk) queues one and never fails its
caller. The work itself (report.py) returns the other entries whose reports a change may alter,
and each is queued here as a job of its own: the module that queues the job also defines it, so
the work, the job and whatever schedules it (hooks.py) import one another in one direction only.
The public names (overlap.refresh_report …) are these functions.
"""

import logging

from submissions.overlap import report
from submissions.platform.tasks import enqueue

logger = logging.getLogger("submissions.overlap")

ENTRY, ARTICLE, REPORT = "entry", "article", "report"


def _queue_all(document_ids):
    for document_id in document_ids:
        queue(REPORT, document_id)


def refresh_report(submission_id):
    """Index an entry's text and report on it; the entries its change affects are queued."""
    document, follow_ups = report.refresh_entry(submission_id)
    _queue_all(follow_ups)
    return document


def refresh_article(showcase_id):
    """Index a published article (or take it out of the index); the entries it may match are queued."""
    document, follow_ups = report.refresh_article(showcase_id)
    _queue_all(follow_ups)
    return document


def refresh_all(submission_ids, showcase_ids=()):
    """A bulk load (seed_demo): everything indexed first, then every entry reported; returns how many."""
    count, follow_ups = report.refresh_many(submission_ids, showcase_ids)
    _queue_all(follow_ups)
    return count


def refresh_document(document_id):
    """Report again on one entry's document from the index as it is (a follow-up)."""
    return report.report(document_id)


def queue(kind, pk):
    """Queue one job (after commit, and for the entries a change affects): a worker makes the
    report, never the submitter's request, and a queue that refuses is logged, not raised."""
    try:
        enqueue(overlap_job, kind, pk)
    except Exception:  # the queue refused (or, run eagerly, the job failed): never worth a failed request
        logger.exception("overlap report for %s %s not queued", kind, pk)


def overlap_job(kind, pk):
    """The task: an entry's report, an article's, or another entry's it affects (by its document
    id). A job that fails raises (after logging): the queue counts it as failed and hands it out
    again (TASK_RETRY, up to TASK_MAX_ATTEMPTS); each job is safe to run again."""
    try:
        if kind == ENTRY:
            refresh_report(pk)
        elif kind == ARTICLE:
            refresh_article(pk)
        else:
            refresh_document(pk)
    except Exception:
        logger.exception("overlap report for %s %s failed", kind, pk)
        raise
