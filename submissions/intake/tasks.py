"""Intake's background work (docs/tasks.md): the campaign mailboxes, fetched on a schedule; old
Word documents (.doc, .wps) converted for 从 Word 导入 (doc_jobs.py)."""

from submissions.intake import doc_jobs, mailbox
from submissions.platform import tasks


def fetch_mailbox():
    """Every five minutes: each campaign's IMAP mailbox into the intake queue (safe to run twice: keyed on Message-ID)."""
    return len(mailbox.fetch_all())


tasks.periodic("fetch_mailbox", fetch_mailbox, minutes=5)


def convert_word_document(key):
    """An old Word document staged by 从 Word 导入, converted to .docx and checked (safe to run twice)."""
    return doc_jobs.run(key)
