from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from submissions.platform import backups


class Command(BaseCommand):
    help = "Restore a folder made by `manage.py backup`: the database and MEDIA_ROOT. Stop the portal first."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder made by `manage.py backup`.")
        parser.add_argument("--database", default="default")
        parser.add_argument("--yes", action="store_true", help="Do not ask: replace the current data.")

    def handle(self, *args, folder, database, yes, **options):
        folder = Path(folder)
        db = connections[database].settings_dict
        kind = backups.vendor(db)
        db_file = folder / ("db.sqlite3" if kind == "sqlite" else "db.dump")
        media_file = folder / "media.tar.gz"
        for needed in (db_file, media_file):
            if not needed.exists():
                raise CommandError(f"{needed} is missing: is {folder} a backup of this kind of database ({kind})?")
        if not yes and input(f"Replace database {db['NAME']} and {settings.MEDIA_ROOT} with {folder}? [y/N] ").lower() != "y":
            raise CommandError("nothing restored")
        connections[database].close()
        try:
            if kind == "sqlite":
                backups.sqlite_restore(db_file, db["NAME"])
            else:
                backups.pg_restore(db, db_file)
            backups.media_restore(media_file, settings.MEDIA_ROOT)
        except backups.BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"restored {db['NAME']} and {settings.MEDIA_ROOT} from {folder}")
