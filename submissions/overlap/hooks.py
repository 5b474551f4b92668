"""The ONE place that starts the overlap work, after the change that needs it is committed.

What changed is marked by the workflow's "overlap" effect (an entry submitted or resubmitted, an
article published or taken down: moved()) and by signals (an entry's text edited: the entry or
one of its sections saved or deleted; an article edited while public). Each marks the entry or
article once per transaction, and the job is queued after commit (overlap/tasks.py: queue(),
`overlap_job`), so a worker makes the report, never the request, and a queue that refuses is
logged. A job that fails in the worker raises, so the queue records the failure and runs it again.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from submissions.models import Section, Showcase, ShowcaseSection, Submission
from submissions.overlap import tasks
from submissions.overlap.tasks import ARTICLE, ENTRY
from submissions.workflow import effects

logger = logging.getLogger("submissions.overlap")

TEXT_FIELDS = {"brand_idea", "introduction", "results", "model_story"}


class _Job:
    def __init__(self, kind, pk):
        self.key, self.done = (kind, pk), False

    def __call__(self):
        self.done = True
        tasks.queue(*self.key)


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


def moved(change):
    """The workflow's "overlap" effect (submissions.workflow.effects declares the moves that have
    it: an entry submitted or resubmitted, an article put on or taken off the column)."""
    if change.showcase_id:
        schedule(ARTICLE, change.showcase_id)
    else:
        schedule(ENTRY, change.submission_id)


def _entry_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if created or raw or instance.status == "draft":
        return
    if update_fields is None or TEXT_FIELDS & set(update_fields):
        schedule(ENTRY, instance.pk)


def _section_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.submission_id:
        schedule(ENTRY, instance.submission_id)


def _article_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw and instance.is_public:
        schedule(ARTICLE, instance.pk)


def _article_section_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.showcase_id:
        schedule(ARTICLE, instance.showcase_id)


def connect():
    effects.register(effects.OVERLAP, moved)
    post_save.connect(_entry_saved, sender=Submission, dispatch_uid="overlap_entry")
    post_save.connect(_section_changed, sender=Section, dispatch_uid="overlap_section_saved")
    post_delete.connect(_section_changed, sender=Section, dispatch_uid="overlap_section_deleted")
    post_save.connect(_article_saved, sender=Showcase, dispatch_uid="overlap_article")
    post_save.connect(_article_section_changed, sender=ShowcaseSection, dispatch_uid="overlap_article_section_saved")
    post_delete.connect(_article_section_changed, sender=ShowcaseSection, dispatch_uid="overlap_article_section_deleted")
