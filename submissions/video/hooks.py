"""The video area's signals: a deleted video's files go once its deletion commits (in the admin,
with its entry, or anywhere else); connected from submissions/apps.py."""

from django.db import transaction
from django.db.models.signals import post_delete

from submissions.models import Video
from submissions.video import services


def _deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: services.delete_files(instance))


def connect():
    post_delete.connect(_deleted, sender=Video, dispatch_uid="video_files_deleted", weak=False)
