from django.core.management.base import BaseCommand

from submissions.platform import mail as notifications


class Command(BaseCommand):
    help = "Send queued e-mails and retry failed ones whose time has come (run from cron every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Retry failed messages now, ignoring backoff.")

    def handle(self, *args, force=False, **options):
        sent, failed = notifications.send_due(force=force)
        self.stdout.write(f"sent {sent}, failed {failed}")
