"""The whole entry form: the entry's fields, its sections, photos and attachments, checked together.

Views build an EntryBundle, ask is_valid(), and then either save() it (the one atomic save in
submissions.intake) or stage_uploads() and show the page again with everything kept.
"""

from django.urls import reverse

from submissions import intake, workflow
from submissions.forms.entry import duplicate_message
from submissions.forms.parts import MAX_PHOTOS, MAX_SECTIONS, PhotoFormSet, SectionFormSet
from submissions.models import Attachment, Photo

BLANK_SECTIONS = 3
BLANK_PHOTOS = 3


class EntryBundle:
    def __init__(self, entry, data=None, files=None, *, form_class, draft=False):
        self.entry = entry
        self.draft = draft
        self.data = data.copy() if data is not None else None  # mutable: staged keys are written into it
        bound = self.data is not None
        existing = entry.pk is not None and not bound
        sections = [{"heading": s.heading, "body": s.body} for s in entry.sections.all()] if existing else []
        photos = self._photo_initial() if existing else []
        form_initial = {"attachment_keys": self._attachment_initial()} if existing else {}
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

    def stage_uploads(self):
        """Store the photos and attachments that passed their checks, so they come back on the page."""
        if self.data is None:
            return
        dropped_photos = []
        for form in self.photos.forms:
            key_name = form.add_prefix("key")
            if self.photos._should_delete_form(form):
                dropped_photos.append(self.data.get(key_name, ""))
                self.data[key_name] = ""
                form.renditions = None
                continue
            if form.renditions is not None:
                photo = intake.stage_photo(form.renditions, self.data.get(form.add_prefix("caption"), ""))
                self.data[key_name] = photo.upload_key
                form.renditions = None
        keys = self.form.attachment_key_list()
        for checked in self.form.new_attachments:
            keys.append(intake.stage_attachment(checked).upload_key)
        self.form.new_attachments = []
        self.data[self.form.add_prefix("attachment_keys")] = " ".join(keys)
        intake.discard_staged(photo_keys=dropped_photos, attachment_keys=self.form.removed_attachment_keys())

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
