"""The whole entry form: the entry's fields, its sections, photos and attachments, checked together.

Views build an EntryBundle, ask is_valid(), and then either save() it (the one atomic save in
submissions.intake.services) or stage_uploads() and show the page again with everything kept.
"""

import errno
import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.intake import services as intake
from submissions.intake.forms import summary
from submissions.intake.forms.entry import duplicate_message
from submissions.intake.forms.parts import MAX_PHOTOS, MAX_SECTIONS, PhotoFormSet, SectionFormSet
from submissions.intake.forms.uploads import MAX_ATTACHMENTS
from submissions.models import Attachment, Photo
from submissions.platform import abuse

log = logging.getLogger(__name__)

BLANK_SECTIONS = 3
BLANK_PHOTOS = 3
STAGED_WINDOW = 24 * 3600  # the per-address allowance of staged bytes is counted per day


def storage_full_message():
    return _("存储空间已满，请稍后再试。已填写的内容已保留。")


def is_disk_full(exc):
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def quota_message():
    return _("今天从本网络上传的文件已达上限，本次新选择的图片和附件未能保存，请明天再试。")


class Staging:
    """The one way an upload is staged, whatever brought it (the entry form, 从 Word 导入, the
    mailbox): nothing when the post was refused (`refused`: the message, e.g. as a bot); at most
    MAX_PHOTOS photos and MAX_ATTACHMENTS attachments, counting the `held` ones; every byte
    counted against the client address's daily allowance (settings.STAGED_BYTES_PER_ADDRESS;
    no client, as in the mailbox: not counted). `prefix` starts the keys (intake.MAIL_KEY).

        staging = Staging(prefix=intake.MAIL_KEY)
        photo = staging.photo(renditions, caption)   # the staged Photo, or None (full, over quota, refused)
        item = staging.attachment(checked)           # the staged Attachment, or None
    """

    def __init__(self, *, client=None, refused=None, prefix="", photos_held=0, attachments_held=0):
        self.client, self.refused, self.prefix = client, refused, prefix
        self.over_quota = False
        self.hold(photos=photos_held, attachments=attachments_held)

    def hold(self, *, photos=None, attachments=None):
        """Say how many photos / attachments the page holds already (the room left follows)."""
        if photos is not None:
            self.photo_room = MAX_PHOTOS - photos
        if attachments is not None:
            self.attachment_room = MAX_ATTACHMENTS - attachments

    def allow(self, size):
        """Count `size` bytes against the client's allowance; False (nothing counted) when over it or refused."""
        if self.refused:
            return False
        if self.client is None:
            return True
        if abuse.take_bytes(self.client, "staged", size, limit=settings.STAGED_BYTES_PER_ADDRESS, window=STAGED_WINDOW):
            return True
        self.over_quota = True
        return False

    def photo(self, renditions, caption="", *, counted=False):
        if self.refused or self.photo_room <= 0 or not (counted or self.allow(renditions.size)):
            return None
        photo = intake.stage_photo(renditions, caption, prefix=self.prefix)
        self.photo_room -= 1
        return photo

    def photos(self, items):
        """Stage [(renditions, caption)] in order, yielding the Photo or None for each as it is
        stored (a full disk stops it with the earlier ones kept). Their bytes are counted at once
        (one look at the allowance); if they do not all fit, one by one."""
        items = list(items)
        counted = False
        if not self.refused and items:
            fitting = items[: max(self.photo_room, 0)]
            over = self.over_quota
            counted = bool(fitting) and self.allow(sum(renditions.size for renditions, _caption in fitting))
            self.over_quota = over  # not over yet: some may fit one by one
        for renditions, caption in items:
            yield self.photo(renditions, caption, counted=counted)

    def attachment(self, checked, *, counted=False):
        """`counted`: its bytes were already counted (the Word document 从 Word 导入 read)."""
        if self.refused or self.attachment_room <= 0 or not (counted or self.allow(checked.size)):
            return None
        attachment = intake.stage_attachment(checked, prefix=self.prefix)
        self.attachment_room -= 1
        return attachment


class EntryBundle:
    def __init__(self, entry, data=None, files=None, *, form_class, draft=False, client=None, initial=None):
        """`initial` ({"form": …, "sections": […], "photos": […]}): an unbound page prefilled with
        these values (从 Word 导入, forms/word.py) instead of the entry's own."""
        self.entry = entry
        self.draft = draft
        self.client = client  # the client's address: its staged bytes are counted (None: not counted)
        self.data = data.copy() if data is not None else None  # mutable: staged keys are written into it
        self.prefilled = initial is not None and data is None
        bound = self.data is not None
        existing = entry.pk is not None and not bound and not self.prefilled
        sections = [{"heading": s.heading, "body": s.body} for s in entry.sections.all()] if existing else []
        photos = self._photo_initial() if existing else []
        form_initial = {"attachment_keys": self._attachment_initial()} if existing else {}
        if self.prefilled:
            sections, photos, form_initial = initial["sections"], initial["photos"], initial["form"]
        self.form = form_class(self.data, files, instance=entry, draft=draft, initial=form_initial)
        common = {"draft": draft, "entry": entry}
        self.sections = SectionFormSet(
            self.data,
            prefix="sections",
            initial=sections,
            extra=max(0, BLANK_SECTIONS - len(sections)),
            **common,
        )
        self.photos = PhotoFormSet(
            self.data,
            files,
            prefix="photos",
            initial=photos,
            extra=max(0, BLANK_PHOTOS - len(photos)),
            **common,
        )
        self.max_sections, self.max_photos = MAX_SECTIONS, MAX_PHOTOS

    def _photo_initial(self):
        photos = list(self.entry.photos.all())
        missing = [photo for photo in photos if not photo.upload_key]
        for photo in missing:  # photos entered in the admin get a handle for the page
            photo.upload_key = intake.new_key()
        Photo.objects.bulk_update(missing, ["upload_key"])
        number = {section.pk: section.order for section in self.entry.sections.all()}
        return [{"key": photo.upload_key, "caption": photo.caption, "section": number.get(photo.section_id)} for photo in photos]

    def _attachment_initial(self):
        attachments = list(self.entry.attachments.all())
        missing = [item for item in attachments if not item.upload_key]
        for item in missing:
            item.upload_key = intake.new_key()
        Attachment.objects.bulk_update(missing, ["upload_key"])
        return " ".join(item.upload_key for item in attachments)

    # Checking ------------------------------------------------------------------------------

    def is_valid(self):
        results = [self.form.is_valid(), self.sections.is_valid(), self.photos.is_valid()]
        self.form.show_required()
        return all(results)

    def has_errors(self):
        if self.data is None:
            return False
        return bool(self.form.errors or self.sections.total_error_count() or self.photos.total_error_count())

    def refuse(self, message):
        """Refuse the whole page with a message (a rate limit, say), keeping what was sent."""
        self.form.add_error(None, message)
        self.stage_uploads()

    def bot_refusal(self):
        """The message of a post refused as a bot (honeypot, too fast, forged stamp), else None."""
        if self.data is None or not getattr(self.form, "refused_as_bot", lambda: False)():
            return None
        errors = self.form.errors.as_data().get(NON_FIELD_ERRORS, [])
        return next((error.messages[0] for error in errors if error.code in abuse.BOT_CODES), None)

    def staging(self):
        """This post's Staging (one per post: its allowance message is given once)."""
        if self._staging is None:
            self._staging = Staging(client=self.client, refused=self.bot_refusal())
        return self._staging

    _staging = None
    dropped_photo_keys = ()

    def stage_uploads(self):
        """Store the photos and attachments that passed their checks, so they come back on the page.

        Through Staging: nothing from a post refused as a bot; at most MAX_PHOTOS photos and
        MAX_ATTACHMENTS attachments, counting those already staged; a client address may stage
        settings.STAGED_BYTES_PER_ADDRESS a day. A full disk stops the staging with a message;
        what was staged before it stays."""
        if self.data is None:
            return
        staging = self.staging()
        try:
            self._stage_photos(staging)
            self._stage_attachments(staging)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            log.error("disk full while staging uploads: %s", exc)
            self.disk_full()
        if staging.over_quota and quota_message() not in self.form.non_field_errors():
            self.form.add_error(None, quota_message())
        bot = bool(staging.refused)
        intake.discard_staged(
            photo_keys=self.dropped_photo_keys, attachment_keys=[] if bot else self.form.removed_attachment_keys()
        )

    def disk_full(self):
        if storage_full_message() not in self.form.non_field_errors():
            self.form.add_error(None, storage_full_message())

    def _stage_photos(self, staging):
        dropped, live = [], []
        for form in self.photos.forms:
            key_name = form.add_prefix("key")
            if self.photos._should_delete_form(form):
                dropped.append(self.data.get(key_name, ""))
                self.data[key_name] = ""
                form.renditions = None
            elif form.renditions is not None or self.data.get(key_name):
                live.append(form)
        self.dropped_photo_keys = [] if staging.refused else dropped
        known = intake.photos_by_key([self.data.get(form.add_prefix("key"), "") for form in live], self.entry)
        staging.hold(photos=sum(1 for f in live if f.renditions is None and self.data.get(f.add_prefix("key")) in known))
        new = [form for form in live if form.renditions is not None]
        staged = staging.photos([(form.renditions, self.data.get(form.add_prefix("caption"), "")) for form in new])
        for form, photo in zip(new, staged, strict=True):
            form.renditions = None
            if photo is not None:
                self.data[form.add_prefix("key")] = photo.upload_key

    def _stage_attachments(self, staging):
        keys = list(intake.attachments_by_key(self.form.attachment_key_list(), self.entry))
        keys = [key for key in self.form.attachment_key_list() if key in keys]
        new, self.form.new_attachments = self.form.new_attachments, []
        field = self.form.add_prefix("attachment_keys")
        staging.hold(attachments=len(keys))
        try:
            for checked in new:
                attachment = staging.attachment(checked)
                if attachment is not None:
                    keys.append(attachment.upload_key)
        finally:
            self.data[field] = " ".join(keys)

    # Saving --------------------------------------------------------------------------------

    def save(self, *, to=None, actor=workflow.SUBMITTER, via="web"):
        """Store it all at once (and move it to `to`); None, with the reason on the form, when refused."""
        entry = self.form.save(commit=False)
        attachments = [intake.AttachmentItem(key=item.upload_key) for item in self.form.kept_attachments]
        attachments += [intake.AttachmentItem(checked=checked) for checked in self.form.new_attachments]
        try:
            return intake.save_entry(entry, self.sections.items(), self.photos.items(), attachments, to=to, actor=actor, via=via)
        except intake.DuplicateEntry as exc:
            self.form.duplicate = exc.existing
            self.form.add_error("brand_name", duplicate_message(exc.existing))
        except workflow.TransitionError as exc:
            self.form.add_error(None, str(exc))
        except OSError as exc:  # the save wrote nothing that stays (intake.save_entry undoes its files)
            if not is_disk_full(exc):
                raise
            log.error("disk full while saving an entry: %s", exc)
            self.disk_full()
        self.stage_uploads()
        return None

    # Showing -------------------------------------------------------------------------------

    def photo_previews(self):
        """{key: thumbnail URL} for the photos already on the server (staged, or the entry's own)."""
        keys = [form["key"].value() for form in self.photos.forms]
        found = intake.photos_by_key(keys, self.entry)
        previews = {}
        for key, photo in found.items():
            if photo.submission_id:
                previews[key] = f"{photo.thumbnail.url}?t={self.entry.tracking_token}"
            else:
                previews[key] = reverse("calls:staged_photo", args=[key])
        return previews

    def photo_rows(self):
        previews = self.photo_previews()
        return [(form, previews.get(form["key"].value() or "")) for form in self.photos.forms]

    def attachments(self):
        keys = self.form.attachment_key_list()
        found = intake.attachments_by_key(keys, self.entry)
        return [found[key] for key in keys if key in found]

    def problems(self):
        """The error summary's items: [summary.Problem] in page order."""
        return summary.problems(self)
