"""The public objection form (异议) and the admin's notice and answer forms.

The objection form meets the same hostile-input rules as the entry form: a honeypot and a
minimum fill time (platform/abuse.py GuardedForm), every field bounded, and its evidence judged
by content, never by name. The count of files and each file's size are checked before a byte of
one is read; a PDF then goes through platform/attachments.py (stored, with a warning for editors,
when it asks for scripts or actions), an image through platform/images.py (fully decoded, bounded
in pixels) and is kept re-encoded, pixels only, so no metadata or trailing payload is stored.
Nothing is stored unless every field and every file passed (services.raise_objection is called
only with a valid form).
"""

import io
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.intake.forms.uploads import clean_name as file_name
from submissions.models import PublicNotice
from submissions.notice import selectors, workdays
from submissions.platform import abuse, images
from submissions.platform import attachments as attachment_check

MAX_FILES = 3
MAX_FILE_BYTES = 10 * 1024 * 1024
# A post larger than this is refused before Django reads its body (views.objection).
MAX_POST_BYTES = MAX_FILES * MAX_FILE_BYTES + 512 * 1024
PHONE = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"


@dataclass
class CheckedEvidence:
    name: str
    content_type: str
    content: bytes
    warning: str = ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        return [item for item in (data if isinstance(data, list | tuple) else [data]) if item]


def check_evidence(uploads):
    """The CheckedEvidence of each upload, or ValidationError with every problem (Chinese), each file named."""
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("证明材料最多 %(count)s 个，请精简后重新选择。") % {"count": MAX_FILES}, code="too_many")
    for upload in uploads:  # sizes first: nothing is read from a post that carries too much
        name = getattr(upload, "name", "") or ""
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("文件“%(name)s”超过 10 MB，请压缩后重新选择。") % {"name": name}, code="too_big")
        if upload.size == 0:
            raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(_check_one(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _check_one(upload):
    name = getattr(upload, "name", "") or ""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        warning = attachment_check.inspect(upload, "pdf", name)
        upload.seek(0)
        return CheckedEvidence(file_name(name, "pdf"), "application/pdf", upload.read(), warning)
    try:
        image = images.open_checked(upload)
    except ValidationError:
        raise ValidationError(
            _("文件“%(name)s”不是 PDF 或图片（只接受 PDF、JPG、PNG、WebP），或已损坏。") % {"name": name}, code="wrong_type"
        ) from None
    out = io.BytesIO()
    if image.format == "JPEG":  # a photo stays a photo; anything else (a screenshot of a document) stays lossless
        image.convert("RGB").save(out, "JPEG", quality=92)
        return CheckedEvidence(file_name(name, "jpg"), "image/jpeg", out.getvalue())
    image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB").save(out, "PNG", optimize=True)
    return CheckedEvidence(file_name(name, "png"), "image/png", out.getvalue())


class ObjectionForm(abuse.GuardedForm):
    item = forms.ModelChoiceField(label=gettext_lazy("所涉作品"), queryset=None, empty_label=gettext_lazy("请选择"))
    name = forms.CharField(label=gettext_lazy("真实姓名"), max_length=40)
    unit = forms.CharField(label=gettext_lazy("工作单位"), max_length=120)
    phone = forms.RegexField(
        label=gettext_lazy("联系电话"),
        regex=PHONE,
        max_length=20,
        error_messages={"invalid": gettext_lazy("请填写手机号码或带区号的固定电话，例如 13800000000 或 0531-12345678。")},
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"), max_length=254, help_text=gettext_lazy("受理回执和核查结果将发送到此邮箱。")
    )
    facts = forms.CharField(
        label=gettext_lazy("异议事实"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("请具体说明异议的事实和理由，以及可供核查的线索。"),
    )
    evidence = EvidenceField(
        label=gettext_lazy("证明材料"),
        help_text=gettext_lazy("可选，最多 3 个文件，每个不超过 10 MB，只接受 PDF 或图片（JPG、PNG、WebP）。"),
    )
    pledge = forms.BooleanField(label=gettext_lazy("本人承诺以上内容真实，并以真实姓名提出异议。"))

    def __init__(self, notice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = selectors.objectable_items(notice)
        self.fields["item"].label_from_instance = lambda item: (
            f"{item.position}. {item.submission.org_name}{item.submission.brand_display}"
        )
        self.checked_evidence = []

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "")

    def clean_evidence(self):
        uploads = self.files.getlist(self.add_prefix("evidence")) if self.files else []
        self.checked_evidence = check_evidence(uploads)
        return uploads


class NoticeAdminForm(forms.ModelForm):
    """The admin's notice: its texts and dates, and the entries on its list (before it is published)."""

    entries = forms.ModelMultipleChoiceField(
        label=gettext_lazy("公示名单"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("本次征集中已采用或已发表的作品；发布后名单不能再改。"),
    )

    class Meta:
        model = PublicNotice
        fields = ["campaign", "title", "intro", "contact", "starts_on", "workdays"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance.campaign if self.instance.campaign_id else None
        if campaign is None:
            self.fields["entries"].queryset = selectors.candidates(None).none()
            self.fields["entries"].help_text = _("先保存公示（选择征集活动），再选择名单。")
        else:
            self.fields["entries"].queryset = selectors.candidates(campaign)
            self.fields["entries"].initial = [item.submission_id for item in self.instance.items.all()]
            self.fields["campaign"].disabled = True
        if self.instance.is_published:
            self.fields["entries"].disabled = True

    def clean_workdays(self):
        days = self.cleaned_data["workdays"]
        if not 1 <= days <= 30:
            raise ValidationError(_("公示期应为 1 至 30 个工作日。"))
        return days

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("workdays"):
            try:
                workdays.last_day(cleaned["starts_on"], cleaned["workdays"])
            except workdays.UnknownYear as unknown:
                self.add_error("starts_on", str(unknown))
        return cleaned


class AnswerForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("核查意见（将发送给异议人）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
