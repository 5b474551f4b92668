"""Long Excel exports as a task: the request records which entries, a worker writes the file.

An export of more than EXPORT_ASYNC_THRESHOLD entries is not built in the request: `start()`
stores the ids of the entries the editor chose (the file holds exactly those, by id)
and queues `run()`, the task itself (docs/tasks.md); `run()` writes the workbook, saving its progress every
PROGRESS_EVERY rows, and stores the file in media under exports/ (served only through the
admin's download link). Run twice (a worker died and the task was handed out again), it starts
the file over; a finished job is left alone.
"""

import io
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from submissions.models import ExportJob, Submission
from submissions.platform import tasks
from submissions.review import exports as entries

PROGRESS_EVERY = 500


def start(queryset, user):
    """Record an export of these entries for `user` and queue it; returns the job."""
    ids = list(queryset.values_list("pk", flat=True))
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=user, entry_ids=ids, total=len(ids))
        tasks.enqueue_on_commit(run, job.pk)
    return job


def run(job_pk):
    """The task (a worker runs it): write the job's workbook, unless another run finished it."""
    claimed = (
        ExportJob.objects.filter(pk=job_pk)
        .exclude(state=ExportJob.State.DONE)
        .update(state=ExportJob.State.RUNNING, done=0, error="")
    )
    if not claimed:
        return
    job = ExportJob.objects.get(pk=job_pk)
    try:
        content = _workbook(job)
    except Exception as exc:  # recorded for the editor; the task itself is not retried forever
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:500], finished_at=timezone.now()
        )
        raise
    job.file.save(f"entries-{timezone.localtime():%Y%m%d-%H%M}-{secrets.token_hex(8)}.xlsx", ContentFile(content), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, state=ExportJob.State.DONE, done=job.total, finished_at=timezone.now()
    )


def _workbook(job):
    chosen = Submission.objects.filter(pk__in=job.entry_ids).order_by("pk")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("报送作品"))
    for count, row in enumerate(entries.rows(chosen)):  # the header, then one row per entry
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        if count and count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(done=count)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def prune(older_than_days=7):
    """Remove export jobs (and their files) older than this; returns how many."""
    before = timezone.now() - timedelta(days=older_than_days)
    old = list(ExportJob.objects.filter(created_at__lt=before))
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(old)
