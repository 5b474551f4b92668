"""The campaign mailbox read over IMAP (TLS): each unread message fetched, handed to store.handle
on its own, and marked read once it is stored, imported or quarantined.

A message's size is asked first. Up to MAX_MESSAGE_BYTES the whole message is fetched (with
PEEK) and kept; above it only its first HEAD_BYTES (its headers: the Message-ID is never lost
behind a huge header) and the first FINGERPRINT_BYTES of its body, and it is queued with a
note. Every message handled leaves the unread set, whatever happened to it, so no message can
hold the queue: a run takes at most MAX_PER_RUN messages and stops starting new ones after
RUN_SECONDS, and the next run (five minutes later) goes on from there.
"""

import imaplib
import logging
import os
import re
import ssl
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from submissions.intake.mailbox import parse, store
from submissions.models import Campaign

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 30 * 1024 * 1024
HEAD_BYTES = 16 * 1024 * 1024  # of a message too big to fetch whole: its beginning, for the headers
FINGERPRINT_BYTES = 64 * 1024  # and of its body, for the fingerprint
MAX_PER_RUN = 200  # messages per campaign per run; a quarantined one costs little
RUN_SECONDS = 240  # no new message is started after this (the task runs every 5 minutes)
TIMEOUT = 30
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_SECTION = re.compile(rb"BODY\[([^\]]*)\](?:<\d+>)? \{\d+\}$")


@dataclass
class Report:
    campaign: str
    imported: int = 0
    skipped: int = 0
    quarantined: int = 0
    left: int = 0  # unread messages left for the next run
    errors: list = field(default_factory=list)


def password_of(campaign):
    """The IMAP password: PORTAL_IMAP_PASSWORD_<SLUG> from the environment, else the stored one."""
    name = "PORTAL_IMAP_PASSWORD_" + re.sub(r"[^A-Z0-9]", "_", campaign.slug.upper())
    return os.environ.get(name) or campaign.imap_password


def tls_context():
    """Certificates are verified; MAILBOX_CA_FILE names extra trusted ones (a private mail server)."""
    return ssl.create_default_context(cafile=getattr(settings, "MAILBOX_CA_FILE", None) or None)


def fetch_all():
    """Fetch every campaign's mailbox that has an IMAP host. The function the task runner schedules."""
    return [fetch(campaign) for campaign in Campaign.objects.exclude(imap_host="")]


def fetch(campaign, *, limit=None):
    limit = MAX_PER_RUN if limit is None else limit
    report = Report(campaign=campaign.slug)
    try:
        client = imaplib.IMAP4_SSL(campaign.imap_host, campaign.imap_port, ssl_context=tls_context(), timeout=TIMEOUT)
    except (OSError, imaplib.IMAP4.error) as exc:
        report.errors.append(f"connect: {exc}")
        return report
    try:
        client.login(campaign.imap_user, password_of(campaign))
        client.select(campaign.imap_folder or "INBOX")
        _status, found = client.uid("SEARCH", None, "UNSEEN")
        uids = (found[0] or b"").split()
        deadline = time.monotonic() + RUN_SECONDS
        for done, uid in enumerate(uids):
            if done >= limit or time.monotonic() > deadline:
                report.left = len(uids) - done
                break
            try:
                outcome = _one(client, campaign, uid)
            except (OSError, imaplib.IMAP4.abort):
                raise  # the connection is gone: the run ends
            except Exception as exc:  # the database refused even the bare row: left unread, logged
                log.exception("mailbox %s: message %s", campaign.slug, uid)
                report.errors.append(f"{uid.decode()}: {type(exc).__name__}")
                continue
            if outcome is not None:
                setattr(report, outcome, getattr(report, outcome) + 1)
    except (OSError, imaplib.IMAP4.error) as exc:
        report.errors.append(str(exc))
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return report


def _fetch(client, uid, items):
    """{section: bytes} of one FETCH (b"" for the item itself when there is no section), and its
    metadata line; None when the message is gone."""
    status, data = client.uid("FETCH", uid, items)
    if status != "OK":
        return None, b""
    sections, meta = {}, b""
    for item in data:
        if isinstance(item, tuple):
            meta += item[0]
            found = _SECTION.search(item[0])
            sections[found.group(1) if found else b""] = item[1]
        elif isinstance(item, bytes):
            meta += item
    return (sections if meta else None), meta


def _one(client, campaign, uid):
    """Handle one message (by UID): store's outcome, or None if it is gone from the mailbox."""
    sections, meta = _fetch(client, uid, "(RFC822.SIZE)")
    size = _SIZE.search(meta)
    if sections is None or size is None:
        return None
    if int(size.group(1)) > MAX_MESSAGE_BYTES:
        sections, _meta = _fetch(client, uid, f"(BODY.PEEK[]<0.{HEAD_BYTES}> BODY.PEEK[TEXT]<0.{FINGERPRINT_BYTES}>)")
        if sections is None:
            return None
        head = parse.head_of(sections.get(b"", b""), body=sections.get(b"TEXT", b""))
        note = _("邮件超过 30 MB，未读取正文和附件，请到邮箱中查看。")
        outcome = store.handle(campaign, None, head, note=note)
    else:
        sections, _meta = _fetch(client, uid, "(BODY.PEEK[])")
        if sections is None:
            return None
        raw = sections.get(b"", b"")[: MAX_MESSAGE_BYTES + 1]
        outcome = store.handle(campaign, raw, parse.head_of(raw))
    client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return outcome
