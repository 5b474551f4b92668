"""Drop photos and attachments staged on form pages that were never sent (run daily from cron)."""

from django.core.management.base import BaseCommand

from submissions import intake


class Command(BaseCommand):
    help = "Delete staged uploads (photos, attachments) older than three days that no entry uses."

    def handle(self, *args, **options):
        removed = intake.purge_staged()
        self.stdout.write(f"removed {removed} staged upload(s)")
