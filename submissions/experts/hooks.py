"""The experts area's part in the workflow and the page cache: the "commentary_mail" effect, and an
expert's details changed (their name, title or affiliation credit them in articles and on their page)."""

from django.db.models.signals import post_delete, post_save

from submissions.experts import notify
from submissions.models import Expert
from submissions.platform import pagecache
from submissions.workflow import effects


def moved(change):
    """The workflow's "commentary_mail" effect: who is told of a commentary's move (notify.py)."""
    notify.moved(change)


def _expert_changed(sender, **kwargs):
    pagecache.bump()


def connect():
    effects.register(effects.COMMENTARY_MAIL, moved)
    post_save.connect(_expert_changed, sender=Expert, dispatch_uid="experts-pagecache-save")
    post_delete.connect(_expert_changed, sender=Expert, dispatch_uid="experts-pagecache-delete")
