"""An article's photos in its admin page: each with its thumbnail, and the section it follows
(the editor moves a photo by choosing another section)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from submissions.admin.bounded import BoundedInline
from submissions.models import ShowcasePhoto, ShowcaseSection


class SectionChoiceFormSet(forms.BaseInlineFormSet):
    """Each photo's section is one of this article's sections (read once for all the rows)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = ShowcaseSection.objects.filter(showcase=self.instance) if self.instance.pk else ShowcaseSection.objects.none()
        self._sections = sections
        self._choices = [("", gettext_lazy("（文末）")), *((s.pk, s.heading) for s in sections)]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "section" in form.fields:
            form.fields["section"].queryset = self._sections
            form.fields["section"].widget.choices = self._choices


class PhotoInline(BoundedInline, admin.TabularInline):
    model = ShowcasePhoto
    formset = SectionChoiceFormSet
    extra = 0
    raw_id_fields = ["photo"]
    fields = ["thumb", "photo", "section", "order", "caption"]
    readonly_fields = ["thumb"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")

    @admin.display(description=gettext_lazy("缩略图"))
    def thumb(self, obj):
        if not obj.pk or not obj.photo_id or not obj.photo.thumbnail:
            return "—"
        return format_html('<img class="article-photo-thumb" src="{}" alt="">', obj.photo.thumbnail.url)
