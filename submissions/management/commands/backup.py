from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from submissions.platform import backups, backups_s3


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the media into a new folder: "
        "MEDIA_ROOT as a tar.gz, or, with MEDIA_STORAGE=s3, every object of the bucket (streamed, with a manifest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dest", default="backups", help="Folder that receives the backup (default ./backups).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, dest, database, **options):
        db = settings.DATABASES[database]
        folder = Path(dest) / datetime.now().strftime("%Y%m%d-%H%M%S")
        folder.mkdir(parents=True, exist_ok=False)
        try:
            if backups.vendor(db) == "sqlite":
                db_file = backups.sqlite_backup(db, folder / "db.sqlite3", connection=connections[database])
            else:
                db_file = backups.pg_backup(connections[database].settings_dict, folder / "db.dump")
            remote = backups_s3.remote_storage()
            if remote is not None:
                count, size = backups_s3.backup(backups_s3.client_of(remote), remote.bucket_name, folder)
                media = f"{folder / backups_s3.ARCHIVE} ({count} objects, {size} bytes of bucket {remote.bucket_name})"
            else:
                media = backups.media_backup(settings.MEDIA_ROOT, folder / "media.tar.gz")
        except backups.BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"database: {db_file}\nmedia: {media}")
        return str(folder)
