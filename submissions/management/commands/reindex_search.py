"""Index every article and every entry again (after a restore, an upgrade of the tokenizer, or data loaded in bulk)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from submissions.models import Showcase
from submissions.newsroom import publishing
from submissions.platform import search
from submissions.platform.search import entries


class Command(BaseCommand):
    help = "重建巡展文章的搜索索引"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        ids = list(Showcase.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            with transaction.atomic():
                for article in Showcase.objects.filter(pk__in=ids[start : start + batch]).prefetch_related("sections"):
                    text = publishing.search_text(article)
                    Showcase.objects.filter(pk=article.pk).update(search_text=text)
                    search.index_showcase(article, text)
        self.stdout.write(f"{len(ids)} articles, {entries.reindex_all()} entries")
