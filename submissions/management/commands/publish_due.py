"""Publish the scheduled articles whose time has come. Run by cron (every minute or so).

Safe to run twice, or twice at once: each article is moved by workflow.transition(), whose
compare-and-swap lets exactly one run publish it.
"""

from django.core.management.base import BaseCommand

from submissions.newsroom import publishing


class Command(BaseCommand):
    help = "Publish scheduled showcase articles that are due."

    def handle(self, *args, **options):
        count = publishing.publish_due()
        self.stdout.write(f"Published {count} scheduled article(s).")
