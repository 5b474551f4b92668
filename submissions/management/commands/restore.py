from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from submissions.platform import backups, backups_s3


class Command(BaseCommand):
    help = (
        "Restore a folder made by `manage.py backup`: the database and the media (MEDIA_ROOT, or the "
        "S3 bucket, checked against the backup's manifest before anything is written). Stop the portal first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder made by `manage.py backup`.")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--bucket", default="", help="MEDIA_STORAGE=s3: upload the media into this bucket instead of the configured one."
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask: replace the current data.")

    def handle(self, *args, folder, database, bucket, yes, **options):
        folder = Path(folder)
        db = connections[database].settings_dict
        kind = backups.vendor(db)
        db_file = folder / ("db.sqlite3" if kind == "sqlite" else "db.dump")
        remote = backups_s3.remote_storage()
        in_bucket = (folder / backups_s3.ARCHIVE).exists()
        media_file = folder / (backups_s3.ARCHIVE if in_bucket else "media.tar.gz")
        for needed in (db_file, media_file):
            if not needed.exists():
                raise CommandError(f"{needed} is missing: is {folder} a backup of this kind of database ({kind})?")
        if in_bucket and remote is None:
            raise CommandError(
                f"{folder} holds the media of an S3 bucket: restore it with MEDIA_STORAGE=s3 and the AWS_* settings."
            )
        if not in_bucket and remote is not None:
            raise CommandError(f"{folder} holds media of a local MEDIA_ROOT, but MEDIA_STORAGE=s3: nothing restored.")
        target = (bucket or remote.bucket_name) if in_bucket else settings.MEDIA_ROOT
        if in_bucket:
            try:  # every object checked before anything (the database included) is replaced
                count, size = backups_s3.verify(folder)
            except backups.BackupError as exc:
                raise CommandError(f"{exc}\nnothing restored")
            self.stdout.write(f"media archive checked: {count} objects, {size} bytes, every sha256 as in the manifest")
        if not yes and input(f"Replace database {db['NAME']} and {target} with {folder}? [y/N] ").lower() != "y":
            raise CommandError("nothing restored")
        connections[database].close()
        try:
            if kind == "sqlite":
                backups.sqlite_restore(db_file, db["NAME"])
            else:
                backups.pg_restore(db, db_file)
            if in_bucket:
                backups_s3.restore(backups_s3.client_of(remote), target, folder)
            else:
                backups.media_restore(media_file, settings.MEDIA_ROOT)
        except backups.BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"restored {db['NAME']} and {target} from {folder}")
