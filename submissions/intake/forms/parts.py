"""The repeated parts of an entry: sections (1 to 8) and captioned photos (1 to 9).

Plain Django formsets with ORDER and DELETE fields, so they work without JavaScript;
static/js/submit.js adds, removes and reorders items in the page by filling those same fields.
"""

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.intake import services as intake
from submissions.intake.forms import messages
from submissions.platform import images

MAX_SECTIONS = 8
MAX_PHOTOS = 9
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class PartForm(forms.Form):
    """A formset item whose ORDER and DELETE fields alone do not make it 'filled in'."""

    content_fields = ()

    def __init__(self, *args, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        messages.apply(self)

    def has_changed(self):
        return any(name in self.changed_data for name in self.content_fields)


class SectionForm(PartForm):
    content_fields = ("heading", "body")

    heading = forms.CharField(label=gettext_lazy("小标题"), max_length=40, help_text=gettext_lazy("例如：思想与理念零距离"))
    body = forms.CharField(label=gettext_lazy("正文"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.draft:
            self.fields["heading"].required = self.fields["body"].required = False


_section_label = lazy(lambda n: _("第 %(n)d 个做法章节") % {"n": n}, str)  # translated when shown


class PhotoForm(PartForm):
    content_fields = ("key", "image", "caption", "section")

    key = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-photo-key": ""}))
    image = forms.FileField(
        label=gettext_lazy("选择图片"),
        required=False,
        help_text=gettext_lazy("JPG、PNG 或 WebP，不超过 10 MB"),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT, "data-photo-input": ""}),
    )
    caption = forms.CharField(label=gettext_lazy("图片说明"), max_length=100, required=False)
    # The section the photo illustrates, by its number on the page (the article places it after that section).
    section = forms.TypedChoiceField(
        label=gettext_lazy("配在哪个做法章节之后"),
        choices=[
            ("", gettext_lazy("文末（不指定）")),
            *((n, _section_label(n)) for n in range(1, MAX_SECTIONS + 1)),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择章节。")},
    )

    renditions = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each photo needs its picture and a caption (checked in clean(), since blank items are
        # allowed): their labels carry the required marker like every other required field.
        for name in ("image", "caption"):
            self.fields[name].label = required_label(self.fields[name].label)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            self.renditions = images.make_renditions(upload)  # raises a ValidationError in Chinese
        return upload

    def clean(self):
        cleaned = super().clean()
        has_photo = bool(self.renditions or cleaned.get("key"))
        if has_photo and not cleaned.get("caption") and not self.draft:
            self.add_error("caption", str(messages.PHOTO_CAPTION))
        if not has_photo and cleaned.get("caption") and "image" not in self.errors:
            self.add_error("image", str(messages.PHOTO_MISSING))
        return cleaned


def required_label(label):
    """The label with the required marker the other required fields show (crispy's asteriskField)."""
    return format_html('{}<span class="asteriskField">*</span>', label)


class PartFormSet(BaseFormSet):
    default_error_messages = {
        "too_many_forms": gettext_lazy("最多只能有 %(num)d 项。"),
        "too_few_forms": gettext_lazy("至少需要 %(num)d 项。"),
        "missing_management_form": gettext_lazy("页面数据不完整，请刷新后重试（已填写的内容会保留在本机）。"),
    }

    def __init__(self, *args, draft=False, entry=None, extra=None, **kwargs):
        self.draft = draft
        self.entry = entry
        if extra is not None:
            self.extra = extra  # blank items shown on a fresh page
        kwargs.setdefault("form_kwargs", {})["draft"] = draft
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("顺序")
        form.fields["ORDER"].widget.attrs.update({"data-order": "", "min": 1})
        form.fields["DELETE"].label = _("删除此项")
        form.fields["DELETE"].widget.attrs["data-delete"] = ""

    def live_forms(self):
        """The forms that are filled in and not deleted, in the order the page gives them."""
        live = []
        for index, form in enumerate(self.forms):
            if not form.has_changed() or self._should_delete_form(form):
                continue
            order = getattr(form, "cleaned_data", {}).get("ORDER")
            live.append(((order is None, order or 0, index), form))
        return [form for _key, form in sorted(live, key=lambda pair: pair[0])]

    def deleted_forms_list(self):
        return [form for form in self.forms if self._should_delete_form(form)]


class BaseSectionFormSet(PartFormSet):
    def clean(self):
        if any(self.errors):
            return
        count = len(self.live_forms())
        if count < 1 and not self.draft:
            raise forms.ValidationError(_("请至少填写 1 个做法章节（小标题和正文）。"), code="too_few")
        if count > MAX_SECTIONS:
            raise forms.ValidationError(_("做法章节最多 %(num)s 个。") % {"num": MAX_SECTIONS}, code="too_many")

    def items(self):
        pairs = [(form.cleaned_data.get("heading", ""), form.cleaned_data.get("body", "")) for form in self.live_forms()]
        return [(heading, body) for heading, body in pairs if heading or body]


class BasePhotoFormSet(PartFormSet):
    def clean(self):
        live = [form for form in self.live_forms() if not form.errors]
        found = intake.photos_by_key([form.cleaned_data.get("key") for form in live if not form.renditions], self.entry)
        count = 0
        for form in live:
            if form.renditions or form.cleaned_data.get("key") in found:
                count += 1
            elif form.cleaned_data.get("key"):
                form.add_error("image", _("这张图片已失效，请重新上传。"))
        if any(self.errors):
            return
        if count < 1 and not self.draft:
            raise forms.ValidationError(_("请至少上传 1 张图片，并填写图片说明。"), code="too_few")
        if count > MAX_PHOTOS:
            raise forms.ValidationError(_("图片最多 %(num)s 张。") % {"num": MAX_PHOTOS}, code="too_many")

    def items(self):
        return [
            intake.PhotoItem(
                caption=form.cleaned_data.get("caption", ""),
                key=form.cleaned_data.get("key", ""),
                renditions=form.renditions,
                section=form.cleaned_data.get("section"),
            )
            for form in self.live_forms()
            if form.renditions or form.cleaned_data.get("key")
        ]


SectionFormSet = formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=MAX_SECTIONS,
    absolute_max=MAX_SECTIONS,
    validate_max=True,
)
PhotoFormSet = formset_factory(
    PhotoForm,
    formset=BasePhotoFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=MAX_PHOTOS,
    absolute_max=MAX_PHOTOS,
    validate_max=True,
)
