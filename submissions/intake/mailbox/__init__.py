"""The campaign mailbox (邮箱来稿): new messages fetched over IMAP (TLS) into the editors' intake queue.

    mailbox.fetch_all()          # every campaign with an IMAP host; the periodic task calls this
    mailbox.fetch(campaign)      # one campaign; `manage.py fetch_mailbox` calls these
    mailbox.retry(item)          # read a quarantined message again from its stored raw bytes

imap.py fetches (bounded, each message on its own, marked read once handled); parse.py reads
the raw bytes within bounds (Message-ID, keys, MIME structure, cleaned text); senders.py checks
the sender against the message's Authentication-Results; store.py stores each message first and
reads it second, quarantining it with its reason when reading fails; editor.py is the editors'
side (the intake form, enter, reject, retry). docs/word-import.md describes it all.
"""

from submissions.intake.mailbox.editor import entered, initial_of, reject, retry, same_id_label, unverified_addresses
from submissions.intake.mailbox.imap import MAX_MESSAGE_BYTES, MAX_PER_RUN, Report, fetch, fetch_all, password_of, tls_context

__all__ = [
    "MAX_MESSAGE_BYTES",
    "MAX_PER_RUN",
    "Report",
    "entered",
    "fetch",
    "fetch_all",
    "initial_of",
    "password_of",
    "reject",
    "retry",
    "same_id_label",
    "tls_context",
    "unverified_addresses",
]
