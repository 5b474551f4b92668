"""Storing an entry: the one atomic save of an entry with its sections, photos and attachments.

Used by the public form, by the submitter's revision of a returned entry, by the resumed draft
and by the editors' e-mail intake. Everything is written in one transaction; files written
during a save that fails are deleted again, so a failure halfway leaves no row and no file.

Uploads that arrive with a form that does not validate yet are *staged*: stored at once (clean
renditions only) as Photo / Attachment rows without an entry, under a random upload_key that the
page carries in hidden fields, so that the submitter never uploads a photo twice. The save
attaches staged rows to the entry; the key is the only way to reach a staged row.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from submissions import workflow
from submissions.models import Attachment, Photo, Section, Status, Submission
from submissions.models.status import NOT_LIVE  # declared once, beside the statuses
from submissions.models.submission import fold
from submissions.platform import images

log = logging.getLogger(__name__)

STAGED_MAX_AGE = timedelta(hours=12)  # a staged upload is unreachable after this, and purged

_WORKFLOW_FIELDS = {"id", "campaign", "tracking_token", "created_at", "score", "review_count", *workflow.OWNED_FIELDS}
CONTENT_FIELDS = [f.name for f in Submission._meta.concrete_fields if f.name not in _WORKFLOW_FIELDS]


def new_key():
    return secrets.token_urlsafe(24)


@dataclass
class PhotoItem:
    """One photo of the entry, in order: a new upload (renditions) or a staged or kept one (key)."""

    caption: str
    key: str = ""
    renditions: images.Renditions | None = None
    section: int | None = None  # the number of the section it illustrates (1 = the first), None: at the end


@dataclass
class AttachmentItem:
    """One attachment: a new checked upload (forms.uploads.CheckedFile) or a staged or kept one (key)."""

    key: str = ""
    checked: object = None


class DuplicateEntry(Exception):
    """The same organization already sent the same brand to this campaign."""

    def __init__(self, existing):
        super().__init__(existing.reference)
        self.existing = existing


def dedupe_key(org_name, brand_name):
    return f"{fold(org_name)}|{fold(brand_name)}"


def find_duplicate(campaign_id, org_name, brand_name, exclude_pk=None):
    """The live entry of this campaign with the same organization and brand, if any."""
    found = Submission.objects.filter(campaign_id=campaign_id, dedupe_key=dedupe_key(org_name, brand_name))
    found = found.exclude(status__in=NOT_LIVE)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.only("pk", "reference", "submitted_at", "org_name", "brand_name").first()


# Staging ---------------------------------------------------------------------------------


MAIL_KEY = "mail-"  # staged rows held by a mailbox message (submissions/intake/mailbox/): not purged as abandoned


def stage_photo(renditions, caption="", *, prefix=""):
    """Store a checked photo now, without an entry; returns the Photo (its upload_key is the handle)."""
    photo = Photo(upload_key=prefix + new_key(), caption=caption[:100])
    images.store_renditions(photo, renditions)
    try:
        photo.save()
    except Exception:
        images.delete_files(photo)
        raise
    return photo


def _fill_attachment(attachment, checked):
    attachment.original_name = checked.name
    attachment.content_type = checked.content_type
    attachment.size = checked.size
    attachment.warning = (getattr(checked, "warning", "") or "")[:300]  # what the content check found, for editors
    checked.upload.seek(0)
    attachment.file.save(f"file.{checked.ext}", checked.upload, save=False)


def stage_attachment(checked, *, prefix=""):
    attachment = Attachment(upload_key=prefix + new_key())
    _fill_attachment(attachment, checked)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _scope(entry):
    """Rows a page may refer to by key: staged ones not yet expired, and the entry's own."""
    scope = Q(submission__isnull=True, created_at__gte=timezone.now() - STAGED_MAX_AGE)
    if entry is not None and entry.pk:
        scope |= Q(submission_id=entry.pk)
    return scope


def photos_by_key(keys, entry=None):
    keys = [key for key in keys if key]
    if not keys:
        return {}
    return {photo.upload_key: photo for photo in Photo.objects.filter(_scope(entry), upload_key__in=keys)}


def attachments_by_key(keys, entry=None):
    keys = [key for key in keys if key]
    if not keys:
        return {}
    return {item.upload_key: item for item in Attachment.objects.filter(_scope(entry), upload_key__in=keys)}


def discard_staged(photo_keys=(), attachment_keys=()):
    """Drop staged rows the submitter removed from the page (never an entry's own rows)."""
    photos = list(Photo.objects.filter(submission__isnull=True, upload_key__in=[k for k in photo_keys if k]))
    attachments = list(Attachment.objects.filter(submission__isnull=True, upload_key__in=[k for k in attachment_keys if k]))
    discard(photos, attachments)


def stale_staged(cutoff):
    """Staged uploads (no entry) made before `cutoff`: (photos, attachments)."""
    held = Q(upload_key__startswith=MAIL_KEY)  # a mailbox message waiting for an editor holds these
    photos = list(Photo.objects.filter(submission__isnull=True, created_at__lt=cutoff).exclude(held))
    attachments = list(Attachment.objects.filter(submission__isnull=True, created_at__lt=cutoff).exclude(held))
    return photos, attachments


def purge_staged(now=None, *, max_age=STAGED_MAX_AGE):
    """Drop staged uploads older than `max_age` (forms abandoned). Returns how many rows went.
    Run daily by `manage.py cleanup_media`."""
    photos, attachments = stale_staged((now or timezone.now()) - max_age)
    discard(photos, attachments)
    return len(photos) + len(attachments)


def discard(photos, attachments):
    """Delete these staged rows, and their files once the deletion has committed."""
    Photo.objects.filter(pk__in=[p.pk for p in photos]).delete()
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()

    def remove_files():
        for photo in photos:
            images.delete_files(photo)
        for attachment in attachments:
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)

    transaction.on_commit(remove_files)


# The save ----------------------------------------------------------------------------------


def save_entry(entry, sections, photos, attachments, *, to=None, actor=workflow.SUBMITTER, via="web"):
    """Store the entry with its sections [(heading, body)], photos [PhotoItem] and attachments
    [AttachmentItem], all or nothing, then (optionally) move it to status `to` through the workflow.

    Raises DuplicateEntry when another live entry of the campaign has the same organization and
    brand, and workflow.TransitionError when the move is refused; nothing is stored then.
    """
    written = []  # files written by this call, removed again if it fails
    dropped_photos, dropped_attachments = [], []
    was_new = entry.pk is None
    try:
        with transaction.atomic():
            if to in (Status.SUBMITTED, Status.RESUBMITTED):
                existing = find_duplicate(entry.campaign_id, entry.org_name, entry.brand_name, entry.pk)
                if existing is not None:
                    raise DuplicateEntry(existing)
            if was_new:
                entry.save()
            else:  # never the status and the workflow's fields: they change only through transition()
                entry.save(update_fields=CONTENT_FIELDS)
            _save_sections(entry, sections)
            dropped_photos = _save_photos(entry, photos, written)
            dropped_attachments = _save_attachments(entry, attachments, written)
            if to is not None:
                workflow.transition(entry, to, actor=actor, via=via)
    except IntegrityError:
        _undo(entry, was_new, written)
        existing = find_duplicate(entry.campaign_id, entry.org_name, entry.brand_name, entry.pk)
        if existing is not None:  # another request won the race for this brand
            raise DuplicateEntry(existing)
        raise
    except BaseException:
        _undo(entry, was_new, written)
        raise
    discard(dropped_photos, dropped_attachments)
    return entry


def _undo(entry, was_new, written):
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            log.exception("could not remove %s after a failed save", name)
    if was_new:  # the row was rolled back: the object is new again
        entry.pk = None
        entry._state.adding = True


def _save_sections(entry, sections):
    entry.sections.all().delete()
    Section.objects.bulk_create(
        Section(submission=entry, order=order, heading=heading, body=body) for order, (heading, body) in enumerate(sections, 1)
    )


def _save_photos(entry, items, written):
    found = photos_by_key([item.key for item in items], entry)
    sections = {section.order: section for section in entry.sections.all()}  # saved just before
    kept = []
    for order, item in enumerate(items, 1):
        if item.renditions is not None:
            photo = Photo(submission=entry, upload_key=new_key())
            images.store_renditions(photo, item.renditions)
            written.extend((f.storage, f.name) for f in (photo.image, photo.display, photo.thumbnail))
        else:
            photo = found.get(item.key)
            if photo is None:  # vanished since the page was checked (purged): skip it
                continue
            photo.submission = entry
        photo.order, photo.caption = order, item.caption
        photo.section = sections.get(item.section)
        photo.save()
        kept.append(photo.pk)
    dropped = list(entry.photos.exclude(pk__in=kept))
    return dropped


def _save_attachments(entry, items, written):
    found = attachments_by_key([item.key for item in items], entry)
    kept = []
    for item in items:
        if item.checked is not None:
            attachment = Attachment(submission=entry, upload_key=new_key())
            _fill_attachment(attachment, item.checked)
            written.append((attachment.file.storage, attachment.file.name))
        else:
            attachment = found.get(item.key)
            if attachment is None:
                continue
            attachment.submission = entry
        attachment.save()
        kept.append(attachment.pk)
    return list(entry.attachments.exclude(pk__in=kept))


def resend_links(email, url_of):
    """(reference, brand, url) of every entry with this contact e-mail, newest first."""
    entries = Submission.objects.filter(contact_email__iexact=email.strip()).exclude(status=Status.WITHDRAWN)
    return [
        {"reference": entry.reference or gettext("草稿"), "brand": entry.brand_display, "url": url_of(entry)}
        for entry in entries.only("reference", "brand_name", "tracking_token").order_by("-created_at")[:20]
    ]
