"""Intake's background work (docs/tasks.md): the campaign mailboxes, fetched on a schedule."""

from submissions.intake import mailbox
from submissions.platform import tasks


def fetch_mailbox():
    """Every five minutes: each campaign's IMAP mailbox into the intake queue (safe to run twice: keyed on Message-ID)."""
    return len(mailbox.fetch_all())


tasks.periodic("fetch_mailbox", fetch_mailbox, minutes=5)
