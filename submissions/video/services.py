"""Writes of the video area: keep a checked upload, convert it (in the worker), forget it on failure.

Only this module (and the task that calls convert()) writes a Video's state: the processing of a
file, not a workflow step (submissions.models.video).
"""

import logging
import tempfile
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Video, VideoState
from submissions.platform import pagecache, public_media, tasks
from submissions.platform.video import TranscodeError, transcode

log = logging.getLogger(__name__)

TASK = "submissions.video.tasks.convert"  # queued by its path: only the worker imports the converter's work


def accept(upload, *, submission, showcase=None, caption="", actor=None):
    """Keep an upload that probe() accepted (the form's) as the original, and queue its conversion."""
    with transaction.atomic():
        order = (Video.objects.filter(submission=submission).order_by("-order").values_list("order", flat=True).first() or 0) + 1
        video = Video(submission=submission, showcase=showcase, caption=caption, uploaded_by=actor, size=upload.size, order=order)
        video.original.save(_original_name(upload), upload, save=False)
        video.save()
        tasks.enqueue_on_commit(TASK, video.pk)
    return video


def join_article(submission, article):
    """The entry's videos uploaded before its article existed go into that article (its draft made from
    the entry); returns how many. A video already in an article stays where it is."""
    return Video.objects.filter(submission=submission, showcase__isnull=True).update(showcase=article)


def _original_name(upload):
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return f"upload.{ext}" if ext in {"mp4", "mov", "3gp", "m4v", "webm", "mkv"} else "upload.bin"


def _stale():
    return timezone.now() - timedelta(seconds=settings.TASK_TIMEOUT)


def claim(video_id):
    """Take the video to convert (compare-and-swap): an upload not yet taken, or one whose worker
    died (taken longer ago than the task may run). False when another worker has it or it is done."""
    now = timezone.now()
    waiting = Q(state=VideoState.UPLOADED) | Q(state=VideoState.PROCESSING, claimed_at__lt=_stale())
    return bool(Video.objects.filter(waiting, pk=video_id).update(state=VideoState.PROCESSING, claimed_at=now))


def convert(video_id):
    """Convert a claimed upload to the MP4 and poster; the original is deleted either way."""
    if not claim(video_id):
        return None
    video = Video.objects.get(pk=video_id)
    claimed_at = video.claimed_at
    if not video.original:
        return _fail(video, claimed_at, _("原始视频文件已不存在，请重新上传。"))
    try:
        with tempfile.TemporaryDirectory(prefix="video-") as folder, _source(video.original) as source:
            result = transcode(source, folder)
            with open(result.mp4_path, "rb") as mp4, open(result.poster_path, "rb") as poster:
                return _done(video, claimed_at, File(mp4, name="video.mp4"), File(poster, name="poster.jpg"), result)
    except TranscodeError as failed:
        log.warning("video %s not converted (%s): %s", video_id, failed.code, failed.message)
        return _fail(video, claimed_at, failed.message)


@contextmanager
def _source(field):
    """The stored original: its path on this machine's disk, else the storage's file (S3)."""
    try:
        path = field.path
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with field.open("rb") as handle:
        yield handle


def _still_mine(video, claimed_at):
    return Video.objects.filter(pk=video.pk, state=VideoState.PROCESSING, claimed_at=claimed_at)


def _done(video, claimed_at, mp4, poster, result):
    video.mp4.save("video.mp4", mp4, save=False)
    video.poster.save("poster.jpg", poster, save=False)
    kept = _still_mine(video, claimed_at).update(
        state=VideoState.READY,
        mp4=video.mp4.name,
        poster=video.poster.name,
        width=result.width,
        height=result.height,
        duration=result.duration,
        converted_at=timezone.now(),
        original="",
        error="",
    )
    if not kept:  # taken over meanwhile (this worker was thought dead): the other one's files stand
        _delete(video.mp4.name, video.poster.name)
        return None
    _delete(video.original.name)
    video.refresh_from_db()
    if video.showcase_id:  # its article's page shows it now (a published one's, on the public path too)
        pagecache.bump()
        transaction.on_commit(lambda: public_media.sync_videos([video]))
    return video


def _fail(video, claimed_at, message):
    if _still_mine(video, claimed_at).update(state=VideoState.FAILED, error=message[:300], original=""):
        _delete(video.original.name)
    return None


def _delete(*names):
    for name in names:
        if name:
            try:
                Video._meta.get_field("original").storage.delete(name)
            except OSError:
                log.exception("video: could not delete %s", name)


def delete_files(video):
    """The files of a deleted video (hooks.py: once the row's deletion commits)."""
    _delete(video.original.name, video.mp4.name, video.poster.name)
