"""Fetch the campaign mailboxes over IMAP into the editors' intake queue (submissions/intake/mailbox/).

    manage.py fetch_mailbox [--campaign SLUG]

Run it every few minutes (cron, or the task runner calling submissions.intake.mailbox.fetch_all);
running it twice imports nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError

from submissions.intake import mailbox
from submissions.models import Campaign


class Command(BaseCommand):
    help = "Fetch new messages from each campaign's IMAP mailbox into the intake queue."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="only this campaign (its slug)")

    def handle(self, *args, campaign=None, **options):
        if campaign:
            found = Campaign.objects.filter(slug=campaign).exclude(imap_host="").first()
            if found is None:
                raise CommandError(f"no campaign {campaign!r} with an IMAP host")
            reports = [mailbox.fetch(found)]
        else:
            reports = mailbox.fetch_all()
        for report in reports:
            self.stdout.write(
                f"{report.campaign}: {report.imported} imported, {report.quarantined} quarantined, "
                f"{report.skipped} already there, {report.left} left for the next run"
            )
            for error in report.errors:
                self.stderr.write(f"{report.campaign}: {error}")
        if any(report.errors for report in reports):
            raise CommandError("some messages could not be fetched (see above)")
