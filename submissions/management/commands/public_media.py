"""Make MEDIA_PUBLIC_ROOT agree with the database: links for every published article's display and
thumbnail renditions, nothing else (after turning the setting on, or after a restore)."""

from django.core.management.base import BaseCommand

from submissions.platform import public_media


class Command(BaseCommand):
    help = "同步已发布文章图片的公开副本（MEDIA_PUBLIC_ROOT）"

    def handle(self, *args, **options):
        if not public_media.enabled():
            self.stdout.write("MEDIA_PUBLIC_ROOT is not set: nothing to do.")
            return
        removed = public_media.sync_all()
        self.stdout.write(f"synced; {removed} stale file(s) removed")
