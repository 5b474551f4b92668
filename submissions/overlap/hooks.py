"""The ONE place that starts the overlap work, after the change that needs it is committed.

Signals mark what changed: an entry submitted or resubmitted (its StatusChange), an entry's text
edited (the entry or one of its sections saved or deleted), an article published or taken down
(its StatusChange) or edited while public. Each marks the entry or article once per transaction;
enqueue() runs the work after commit. The work never fails the request that caused it:
enqueue() puts the job on the task queue (submissions/tasks.py `overlap_job`), so a worker makes
the report, never the request, and a queue that refuses is logged. A job that fails in the
worker raises, so the queue records the failure and runs it again.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger("submissions.overlap")

ENTRY, ARTICLE, REPORT = "entry", "article", "report"
TEXT_FIELDS = {"brand_idea", "introduction", "results", "model_story"}


def _run(kind, pk):
    from submissions import overlap

    if kind == ENTRY:
        overlap.refresh_report(pk)
    elif kind == ARTICLE:
        overlap.refresh_article(pk)
    else:  # another entry whose report the change may alter, by its OverlapDocument's id
        overlap.refresh_document(pk)


def enqueue(kind, pk):
    """Queue one job on the task queue (called after commit, and by the work itself for the
    entries it affects): the worker's `overlap_job` task runs it, never the submitter's request."""
    from submissions.platform import tasks

    try:
        tasks.enqueue(tasks.overlap_job, kind, pk)
    except Exception:  # the queue refused (or, run eagerly, the job failed): never worth a failed request
        logger.exception("overlap report for %s %s not queued", kind, pk)


def run(kind, pk):
    """The job itself, as the worker runs it. A job that fails raises (after logging): the queue
    counts it as failed and hands it out again (TASK_RETRY, up to TASK_MAX_ATTEMPTS); each job
    is safe to run again (docs/tasks.md)."""
    try:
        _run(kind, pk)
    except Exception:
        logger.exception("overlap report for %s %s failed", kind, pk)
        raise


class _Job:
    def __init__(self, kind, pk):
        self.key, self.done = (kind, pk), False

    def __call__(self):
        self.done = True
        enqueue(*self.key)


def schedule(kind, pk):
    """Mark an entry or an article for the overlap work once the current transaction commits."""
    try:
        connection = transaction.get_connection()
        pending = (func for _sids, func, _robust in connection.run_on_commit if isinstance(func, _Job) and not func.done)
        if any(func.key == (kind, pk) for func in pending):
            return
        transaction.on_commit(_Job(kind, pk), robust=True)
    except Exception:
        logger.exception("overlap report for %s %s not scheduled", kind, pk)


def _status_changed(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from submissions.models import Showcase, Status

    if instance.submission_id and instance.to_status in (Status.SUBMITTED, Status.RESUBMITTED):
        schedule(ENTRY, instance.submission_id)
    published = Showcase.State.PUBLISHED
    if instance.showcase_id and published in (instance.to_status, instance.from_status):
        schedule(ARTICLE, instance.showcase_id)


def _entry_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if created or raw or instance.status == "draft":
        return
    if update_fields is None or TEXT_FIELDS & set(update_fields):
        schedule(ENTRY, instance.pk)


def _section_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.submission_id:
        schedule(ENTRY, instance.submission_id)


def _article_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw and instance.state == instance.State.PUBLISHED:
        schedule(ARTICLE, instance.pk)


def _article_section_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.showcase_id:
        schedule(ARTICLE, instance.showcase_id)


def connect():
    from submissions.models import Section, Showcase, ShowcaseSection, StatusChange, Submission

    post_save.connect(_status_changed, sender=StatusChange, dispatch_uid="overlap_status")
    post_save.connect(_entry_saved, sender=Submission, dispatch_uid="overlap_entry")
    post_save.connect(_section_changed, sender=Section, dispatch_uid="overlap_section_saved")
    post_delete.connect(_section_changed, sender=Section, dispatch_uid="overlap_section_deleted")
    post_save.connect(_article_saved, sender=Showcase, dispatch_uid="overlap_article")
    post_save.connect(_article_section_changed, sender=ShowcaseSection, dispatch_uid="overlap_article_section_saved")
    post_delete.connect(_article_section_changed, sender=ShowcaseSection, dispatch_uid="overlap_article_section_deleted")
