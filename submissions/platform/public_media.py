"""Published renditions on a public path (issue 17, item 4): photos at static-file speed.

With MEDIA_PUBLIC_ROOT set (production behind deploy/nginx.conf, media on this machine's
disk), the display and thumbnail renditions of every photo shown in a *published* article get a
hard link (or, across file systems, a copy) under MEDIA_PUBLIC_ROOT with the same stored name,
and the public pages point their <img> at MEDIA_PUBLIC_URL + name. nginx serves that folder
straight from disk with a year's Cache-Control, like a static file: no worker, no query.

The folder holds nothing but these links: an original upload, an attachment, or a rendition
of an entry in review or of an unpublished article is never there, so no name (guessed or
leaked) can reach a private file through it. A name that is not there falls back, in nginx, to
the media view with its access check (deploy/nginx.conf `@media_checked`), so a page that
points at the public path before the link exists, or an editor's preview, still works.

Videos go the same way: the MP4 and poster of every converted video (submissions/video) of a
published article are linked beside the photos, and removed when it is taken down.

`sync(article_pk)` makes the folder agree with the database for one article's photos and videos; it runs
after the commit of every article move on or off the column (the workflow's "public_media"
effect), of every photo added to or taken off an article, and of every photo saved (its
renditions written). Unpublishing removes the links
(unless another published article shows the same photo). `manage.py public_media` resyncs
everything (after turning the setting on, or after restoring a backup).
Without the setting (development, tests, S3) nothing is written and the URLs stay Django's.
"""

import logging
import os
import posixpath
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from submissions.models import Photo, ShowcasePhoto, Video

log = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "MEDIA_PUBLIC_ROOT", ""))


def url(field):
    """The address of a rendition on a public page: the public path when configured, else Django's."""
    if not field:
        return ""
    prefix = getattr(settings, "MEDIA_PUBLIC_URL", "")
    if enabled() and prefix:
        return prefix + field.name
    return field.url


def _target(name):
    """The public file for a stored name, or None for anything that is not a plain relative name."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    if posixpath.normpath(name) != name or ".." in name.split("/"):
        return None
    return Path(settings.MEDIA_PUBLIC_ROOT) / name


def _names(photo):
    return [f.name for f in (photo.display, photo.thumbnail) if f and f.name]


def _video_names(video):
    return [f.name for f in (video.mp4, video.poster) if f and f.name]


def _publish_file(name):
    target = _target(name)
    source = Path(settings.MEDIA_ROOT) / name
    if target is None or target.exists() or not source.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{uuid.uuid4().hex}.tmp"
    try:
        try:
            os.link(source, temporary)
        except OSError:  # another file system (or no hard links): a copy
            shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _withdraw_file(name):
    target = _target(name)
    if target is not None:
        target.unlink(missing_ok=True)


def _is_public(photo_pk):
    return ShowcasePhoto.objects.live().filter(photo_id=photo_pk).exists()


def sync_photos(photos):
    """Link the renditions of the given photos that a published article shows; remove the others'."""
    if not enabled():
        return
    for photo in photos:
        public = _is_public(photo.pk)
        for name in _names(photo):
            try:
                _publish_file(name) if public else _withdraw_file(name)
            except OSError:  # never fail the edit: the page falls back to the checked media view
                log.exception("public media: could not %s %s", "link" if public else "remove", name)


def sync_videos(videos):
    """Link the MP4 and poster of the given videos that a published article shows; remove the others'."""
    if not enabled():
        return
    for video in videos:
        public = Video.objects.live().filter(pk=video.pk).exists()
        for name in _video_names(video):
            try:
                _publish_file(name) if public else _withdraw_file(name)
            except OSError:
                log.exception("public media: could not %s %s", "link" if public else "remove", name)


def sync(article_pk):
    """Make the public folder agree with one article's photos and videos (the workflow's
    "public_media" effect, after the commit of a move on or off the column)."""
    sync_photos(Photo.objects.filter(pk__in=ShowcasePhoto.objects.filter(showcase_id=article_pk).values("photo_id")))
    sync_videos(Video.objects.filter(showcase_id=article_pk))


def sync_all():
    """Every photo shown in an article, and every file in the folder no published article shows."""
    if not enabled():
        return 0
    sync_photos(Photo.objects.filter(pk__in=ShowcasePhoto.objects.values("photo_id")))
    published = ShowcasePhoto.objects.live().values("photo_id")
    wanted = {name for photo in Photo.objects.filter(pk__in=published) for name in _names(photo)}
    sync_videos(Video.objects.exclude(mp4=""))
    wanted |= {name for video in Video.objects.live() for name in _video_names(video)}
    root = Path(settings.MEDIA_PUBLIC_ROOT)
    removed = 0
    if root.is_dir():
        for path in root.rglob("*"):
            if path.is_file() and path.relative_to(root).as_posix() not in wanted:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _later(function, *args):
    transaction.on_commit(lambda: function(*args))


def _connect():
    def shown(sender, instance, **kwargs):
        if enabled():
            _later(lambda pk: sync_photos(Photo.objects.filter(pk=pk)), instance.photo_id)

    def photo_saved(sender, instance, **kwargs):
        if enabled():
            _later(sync_photos, [instance])

    def photo_deleted(sender, instance, **kwargs):
        if enabled():
            for name in _names(instance):
                _later(_withdraw_file, name)

    def video_saved(sender, instance, **kwargs):
        # Attached to an article or taken off it, or converted: linked or removed, like a photo.
        if enabled():
            _later(sync_videos, [instance])

    def video_deleted(sender, instance, **kwargs):
        if enabled():
            for name in _video_names(instance):
                _later(_withdraw_file, name)

    post_save.connect(video_saved, sender=Video, dispatch_uid="public_media_video", weak=False)
    pre_delete.connect(video_deleted, sender=Video, dispatch_uid="public_media_video_deleted", weak=False)
    post_save.connect(shown, sender=ShowcasePhoto, dispatch_uid="public_media_shown", weak=False)
    post_delete.connect(shown, sender=ShowcasePhoto, dispatch_uid="public_media_hidden", weak=False)
    post_save.connect(photo_saved, sender=Photo, dispatch_uid="public_media_photo", weak=False)
    pre_delete.connect(photo_deleted, sender=Photo, dispatch_uid="public_media_photo_deleted", weak=False)
