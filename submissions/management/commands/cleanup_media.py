"""Remove media that nothing refers to, and staged uploads that were never used.

Two kinds of leftovers:
- staged photos and attachments (upload_key set, no entry) older than --staged-hours: a
  submitter uploaded them and never finished the form; their rows and files go;
- files in the media storage that no FileField of any row names (a failed save, a rolled
  back transaction, a crash between writing a file and its row; share posters are kept while
  their article exists: submissions.column.posters removes old versions itself). Files younger than
  --min-age minutes are kept, so uploads still in flight are safe.

Run it from cron once a night; --dry-run lists what would go and removes nothing.
"""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

from submissions.column import posters
from submissions.intake import services as intake
from submissions.models import Showcase


def file_fields():
    """(model, field name) of every FileField (ImageField included) of every installed model."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field.name


def referenced_names():
    names = set()
    for model, name in file_fields():
        names.update(n for n in model._default_manager.exclude(**{name: ""}).values_list(name, flat=True).iterator() if n)
    return names


def stored_files(storage, folder=""):
    """Every file name in the storage, relative and with forward slashes."""
    dirs, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in dirs:
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


STAGED_HOURS = int(intake.STAGED_MAX_AGE.total_seconds() // 3600)


class Command(BaseCommand):
    help = "Remove media files no row refers to, and staged uploads never attached to an entry."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; remove nothing.")
        parser.add_argument("--min-age", type=int, default=60, help="Keep files younger than this many minutes (default 60).")
        parser.add_argument(
            "--staged-hours",
            type=int,
            default=STAGED_HOURS,
            help=f"Drop staged uploads older than this (default {STAGED_HOURS}).",
        )

    def handle(self, *args, dry_run=False, min_age=60, staged_hours=None, **options):
        staged_hours = STAGED_HOURS if staged_hours is None else staged_hours
        now = timezone.now()
        verb = "would remove" if dry_run else "removed"
        staged = self.drop_staged(now - timedelta(hours=staged_hours), dry_run, verb)
        orphans = self.drop_orphans(now - timedelta(minutes=min_age), dry_run, verb)
        self.stdout.write(f"{verb} {staged} staged upload(s) and {orphans} unreferenced file(s)")

    def drop_staged(self, before, dry_run, verb):
        photos, attachments = intake.stale_staged(before)
        for photo in photos:
            self.stdout.write(f"{verb} staged photo #{photo.pk}: {photo.image.name}")
        for attachment in attachments:
            self.stdout.write(f"{verb} staged attachment #{attachment.pk}: {attachment.file.name}")
        if not dry_run:
            intake.discard(photos, attachments)
        return len(photos) + len(attachments)

    def drop_orphans(self, before, dry_run, verb):
        storage = default_storage
        # A new install's media folder may not exist yet: nothing to sweep. Object storage has no folder to
        # ask about (S3's exists("") fails): its listing starts at the bucket's top.
        if isinstance(storage, FileSystemStorage) and not storage.exists(""):  # (the lazy default storage passes isinstance on)
            return 0
        keep = referenced_names()
        articles = {str(pk) for pk in Showcase.objects.values_list("pk", flat=True)}
        count = 0
        for name in stored_files(storage):
            if name in keep or posters.article_of(name) in articles or storage.get_modified_time(name) >= before:
                continue
            self.stdout.write(f"{verb} {name}")
            if not dry_run:
                storage.delete(name)
            count += 1
        return count
