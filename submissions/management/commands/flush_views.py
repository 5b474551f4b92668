"""Write the reading counts waiting in the cache to the database (viewcounts.flush); run it every
minute or so until the task queue runs viewcounts.flush itself."""

from django.core.management.base import BaseCommand

from submissions.column import viewcounts


class Command(BaseCommand):
    help = "把缓存中的阅读量写入数据库"

    def handle(self, *args, **options):
        self.stdout.write(str(viewcounts.flush()))
