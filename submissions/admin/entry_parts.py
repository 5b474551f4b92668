"""The parts of an entry's admin page: the form of a plain edit (guarded by the entry's version) and
the inlines of its sections, photos and attachments."""

from django import forms
from django.contrib import admin

from submissions.admin.bounded import BoundedInline
from submissions.models import Attachment, Photo, Section
from submissions.review import decisions


class VersionedSubmissionForm(forms.ModelForm):
    """A plain edit is saved only if nobody changed the entry since the editor opened it.

    `seen_version` is in no fieldset (a fieldset row would give the hidden input a <label>):
    the change form's template writes it after the fieldsets."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                self.instance.version = decisions.claim_edit(self.instance, cleaned.get("seen_version"))
            except decisions.NotDone as exc:
                raise forms.ValidationError(str(exc), code="stale") from exc
        return cleaned


class SectionInline(BoundedInline, admin.StackedInline):
    model = Section
    extra = 0


class AttachmentInline(BoundedInline, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "file", "size", "warning"]
    readonly_fields = ["size", "warning"]  # warning: what the content check found (attachment_check.py)


class PhotoInline(BoundedInline, admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["order", "caption", "image"]
