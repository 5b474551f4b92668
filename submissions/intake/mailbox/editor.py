"""The editor's side of the mailbox: open a message in the intake form, enter it, reject it,
read a quarantined one again, and what to tell the editor about a message."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from submissions.intake import services as intake
from submissions.intake.mailbox import imap, store
from submissions.models import Attachment, MailboxMessage, Photo

Outcome = MailboxMessage.Outcome


def initial_of(item):
    """The intake form's initial values from a mailbox message (forms/bundle.py `initial`)."""
    draft = item.draft or {}
    values = {key: value for key, value in (draft.get("fields") or {}).items() if value}
    values["attachment_keys"] = " ".join(item.attachment_keys or [])
    found = {photo.upload_key: photo for photo in Photo.objects.filter(upload_key__in=item.photo_keys or [])}
    sections = [{"heading": heading, "body": body} for heading, body in draft.get("sections") or []]
    placed = draft.get("photo_sections") or {}  # the document's pictures after the section they stood in
    photos = [
        {"key": key, "caption": found[key].caption, "section": _section(placed.get(key), sections)}
        for key in item.photo_keys or []
        if key in found
    ]
    return {"form": values, "sections": sections, "photos": photos}


def _section(number, sections):
    """A section's number (1, 2 …) if the draft has that section, else None (the end of the article)."""
    return number if isinstance(number, int) and 1 <= number <= len(sections) else None


def unverified_addresses(item):
    """The addresses an unverified message offers as the contact (its sender's, and the one its
    document names), lower case: no receipt goes to them until an editor has confirmed the
    sender. Empty for a verified sender."""
    if item.sender_check == MailboxMessage.SenderCheck.PASSED:
        return set()
    fields = (item.draft or {}).get("fields") or {}
    return {address.strip().lower() for address in (item.sender_email, fields.get("contact_email") or "") if address.strip()}


def entered(item, entry, user, *, confirmed=False):
    """The message became this entry (saved and sent in by the intake view through the workflow);
    `confirmed`: the editor confirmed its unverified sender."""
    values = {"outcome": Outcome.ENTERED, "entry": entry, "handled_by": user}
    if confirmed:
        values["sender_confirmed_by"] = user
    MailboxMessage.objects.filter(pk=item.pk).update(**values)


def reject(item, user):
    """Refuse a message: it leaves the queue and its staged files go."""
    photos = list(Photo.objects.filter(submission__isnull=True, upload_key__in=item.photo_keys or []))
    attachments = list(Attachment.objects.filter(submission__isnull=True, upload_key__in=item.attachment_keys or []))
    with transaction.atomic():
        MailboxMessage.objects.filter(pk=item.pk).update(outcome=Outcome.REJECTED, handled_by=user)
        intake.discard(photos, attachments)


def retry(item):
    """Read a quarantined message again from its stored raw bytes (no IMAP): True when it is now
    in the queue with its draft; else it stays quarantined with the new reason. One retry at a
    time: the attempt count is claimed first."""
    claimed = MailboxMessage.objects.filter(pk=item.pk, outcome=Outcome.QUARANTINED, attempts=item.attempts)
    if not claimed.update(attempts=F("attempts") + 1):
        return False
    item.attempts += 1
    try:
        with item.raw.open("rb") as handle:
            raw = handle.read(imap.MAX_MESSAGE_BYTES + 1)
    except (OSError, ValueError):  # no raw bytes kept (or the file is gone)
        store.update(item, failure=_("原始邮件未保存，无法重新读取，请到邮箱中查看。"))
        return False
    return store.read(item, raw)


def same_id_label(item):
    """“与 … 的 Message-ID 相同” for a message that reuses an earlier one's Message-ID, else ""."""
    earlier = item.same_id_as
    if earlier is None:
        return ""
    entry = earlier.entry if earlier.entry_id else None
    name = (entry.reference if entry is not None and entry.reference else "") or earlier.subject or f"#{earlier.pk}"
    return _("与“%(earlier)s”的 Message-ID 相同") % {"earlier": name}
