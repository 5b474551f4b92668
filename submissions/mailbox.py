"""The campaign mailbox (邮箱来稿): new messages fetched over IMAP (TLS) into the editors' intake queue.

    mailbox.fetch_all()          # every campaign with an IMAP host; the periodic task calls this
    mailbox.fetch(campaign)      # one campaign; `manage.py fetch_mailbox` calls these

Each unread message becomes a MailboxMessage: sender, subject, the text body (any charset, e.g.
GBK), the Word attachment read as on the public form (submissions.documents), photos attached
and embedded in it staged through submissions.images, other PDF/Word files staged as
attachments. Then the message is marked read. The Message-ID is unique in the database, so a
second run, or two at once, import nothing twice. A message's size is asked from the server and
bounded before its body is fetched; its attachments are counted and each bounded before reading.
"""

import email
import email.policy
import hashlib
import imaplib
import logging
import os
import re
import ssl
from dataclasses import dataclass, field
from email.utils import parseaddr, parsedate_to_datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from submissions import documents, images, intake
from submissions.forms import uploads
from submissions.models import Attachment, Campaign, MailboxMessage, Photo

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 30 * 1024 * 1024
MAX_ATTACHMENTS = 12  # parts with a file name, per message
MAX_PER_RUN = 50  # messages per campaign per run; the next run takes the rest
TIMEOUT = 30
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Report:
    campaign: str
    imported: int = 0
    skipped: int = 0
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


def fetch(campaign, *, limit=MAX_PER_RUN):
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
        for uid in (found[0] or b"").split()[:limit]:
            try:
                imported = _one(client, campaign, uid, report)
            except Exception as exc:  # one broken message must not stop the queue
                log.exception("mailbox %s: message %s", campaign.slug, uid)
                report.errors.append(f"{uid.decode()}: {exc}")
                continue
            report.imported += imported
            report.skipped += not imported
    except imaplib.IMAP4.error as exc:
        report.errors.append(str(exc))
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return report


def _one(client, campaign, uid, report):
    """Import one message (by UID); True if it was new. It is marked read once stored."""
    _status, data = client.uid("FETCH", uid, "(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID FROM SUBJECT DATE)])")
    meta = b" ".join(item[0] for item in data if isinstance(item, tuple))
    headers = email.message_from_bytes(b"".join(item[1] for item in data if isinstance(item, tuple)), policy=email.policy.default)
    size = int(_SIZE.search(meta).group(1)) if _SIZE.search(meta) else 0
    message_id = _message_id(headers.get("Message-ID"), meta + bytes(str(uid), "ascii"))
    if MailboxMessage.objects.filter(message_id=message_id).exists():
        _mark_read(client, uid)
        return False
    if size > MAX_MESSAGE_BYTES:
        stored = _store(campaign, message_id, headers, None, _("邮件超过 30 MB，未读取正文和附件，请到邮箱中查看。"))
    else:
        _status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = b"".join(item[1] for item in data if isinstance(item, tuple))[: MAX_MESSAGE_BYTES + 1]
        message = email.message_from_bytes(raw, policy=email.policy.default)
        stored = _store(campaign, message_id, message, message, "")
    if stored:
        _mark_read(client, uid)
    return stored


def _message_id(value, fallback):
    value = (value or "").strip()
    if not value:
        return f"<sha256-{hashlib.sha256(fallback).hexdigest()}@portal>"
    return value[:500]


def _mark_read(client, uid):
    client.uid("STORE", uid, "+FLAGS", "(\\Seen)")


def _store(campaign, message_id, headers, message, note):
    """Read the message and store it with its staged files, all or nothing. False if another run won."""
    name, address = parseaddr(str(headers.get("From", "")))
    item = MailboxMessage(
        campaign=campaign,
        message_id=message_id,
        sender=str(headers.get("From", ""))[:300],
        sender_email=address[:254] if "@" in address else "",
        subject=str(headers.get("Subject", ""))[:300],
        sent_at=_date(headers.get("Date")),
    )
    notes = [note] if note else []
    staged_photos, staged_attachments = [], []
    try:
        with transaction.atomic():
            if message is not None:
                item.body = _body(message)
                item.draft = {"fields": {"contact_name": name[:30], "contact_email": item.sender_email}, "sections": []}
                _read_attachments(message, item, notes, staged_photos, staged_attachments)
            item.notes = "\n".join(notes)
            item.photo_keys = [photo.upload_key for photo in staged_photos]
            item.attachment_keys = [attachment.upload_key for attachment in staged_attachments]
            item.save()
    except IntegrityError:  # the same Message-ID stored meanwhile by another run
        intake.discard(staged_photos, staged_attachments)
        return False
    except BaseException:
        intake.discard(staged_photos, staged_attachments)
        raise
    return True


def _date(value):
    try:
        return parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None


def _body(message):
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, KeyError):  # an unknown charset: the bytes as GB18030, the widest Chinese one
        text = (part.get_payload(decode=True) or b"").decode("gb18030", "replace")
    if part.get_content_type() == "text/html":
        text = _TAGS.sub("", text)
    return text.replace("\r\n", "\n").strip()[:20000]


def _read_attachments(message, item, notes, photos, attachments):
    files = [part for part in message.iter_attachments() if part.get_filename() or part.get_content_maintype() == "image"]
    if len(files) > MAX_ATTACHMENTS:
        notes.append(_("邮件有 %(count)s 个附件，只读取了前 %(max)s 个。") % {"count": len(files), "max": MAX_ATTACHMENTS})
    word_read = False
    for part in files[:MAX_ATTACHMENTS]:
        filename = part.get_filename() or "附件"
        data = part.get_payload(decode=True) or b""
        if len(data) > uploads.MAX_ATTACHMENT_BYTES:
            notes.append(_("附件“%(name)s”超过 20 MB，未读取。") % {"name": filename})
            continue
        upload = ContentFile(data, name=filename)
        if part.get_content_type() in IMAGE_TYPES or part.get_content_maintype() == "image":
            _photo(upload, filename, "", notes, photos)
            continue
        try:
            checked = uploads.check_attachment(upload)
        except ValidationError as exc:
            notes.append(exc.messages[0])
            continue
        if checked.ext == "docx" and not word_read:
            word_read = _word(upload, filename, item, notes, photos)
        upload.seek(0)
        if len(attachments) < uploads.MAX_ATTACHMENTS:
            attachments.append(intake.stage_attachment(checked, prefix=intake.MAIL_KEY))


def _word(upload, filename, item, notes, photos):
    try:
        practice = documents.read_practice(upload, filename)
    except documents.DocumentRefused as exc:
        notes.append(_("附件“%(name)s”未能读取：%(reason)s") % {"name": filename, "reason": exc.messages[0]})
        return False
    finally:
        upload.seek(0)
    item.draft["fields"].update(practice.fields)
    item.draft["sections"] = [list(pair) for pair in practice.sections]
    notes.extend(practice.notices)
    for photo in practice.photos:
        if len(photos) < documents.MAX_PHOTOS:
            photos.append(intake.stage_photo(photo.renditions, photo.caption, prefix=intake.MAIL_KEY))
    return True


def _photo(upload, filename, caption, notes, photos):
    if len(photos) >= documents.MAX_PHOTOS:
        notes.append(_("图片“%(name)s”未导入：图片最多 %(max)s 张。") % {"name": filename, "max": documents.MAX_PHOTOS})
        return
    try:
        renditions = images.make_renditions(upload)
    except ValidationError as exc:
        notes.append(_("图片“%(name)s”未导入：%(reason)s") % {"name": filename, "reason": exc.messages[0]})
        return
    photos.append(intake.stage_photo(renditions, caption or filename.rsplit(".", 1)[0][:100], prefix=intake.MAIL_KEY))


# The editor's side ----------------------------------------------------------------------------


def initial_of(item):
    """The intake form's initial values from a mailbox message (forms/bundle.py `initial`)."""
    draft = item.draft or {}
    values = {key: value for key, value in (draft.get("fields") or {}).items() if value}
    values["attachment_keys"] = " ".join(item.attachment_keys or [])
    found = {photo.upload_key: photo for photo in Photo.objects.filter(upload_key__in=item.photo_keys or [])}
    photos = [{"key": key, "caption": found[key].caption} for key in item.photo_keys or [] if key in found]
    sections = [{"heading": heading, "body": body} for heading, body in draft.get("sections") or []]
    return {"form": values, "sections": sections, "photos": photos}


def entered(item, entry, user):
    """The message became this entry (saved and sent in by the intake view through the workflow)."""
    MailboxMessage.objects.filter(pk=item.pk).update(outcome=MailboxMessage.Outcome.ENTERED, entry=entry, handled_by=user)


def reject(item, user):
    """Refuse a message: it leaves the queue and its staged files go."""
    photos = list(Photo.objects.filter(submission__isnull=True, upload_key__in=item.photo_keys or []))
    attachments = list(Attachment.objects.filter(submission__isnull=True, upload_key__in=item.attachment_keys or []))
    with transaction.atomic():
        MailboxMessage.objects.filter(pk=item.pk).update(outcome=MailboxMessage.Outcome.REJECTED, handled_by=user)
        intake.discard(photos, attachments)
