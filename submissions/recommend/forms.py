"""The forms of screening: a campaign's screening settings (in the admin), and the bodies' workspace:
the eligibility check, the recommendation, the decline, and the stamped recommendation form's upload."""

import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from PIL import Image

from submissions.models import Campaign, EligibilityItem, OrgType, Recommendation
from submissions.platform import attachments as attachment_check
from submissions.platform import images
from submissions.recommend import selectors, services


class CampaignForm(forms.ModelForm):
    """A campaign in the admin, its checklist and admitted organization types as checkboxes."""

    eligibility_items = forms.MultipleChoiceField(
        label=Campaign._meta.get_field("eligibility_items").verbose_name,
        choices=EligibilityItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Campaign._meta.get_field("eligibility_items").help_text,
    )
    eligible_org_types = forms.MultipleChoiceField(
        label=Campaign._meta.get_field("eligible_org_types").verbose_name,
        choices=OrgType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Campaign._meta.get_field("eligible_org_types").help_text,
    )

    class Meta:
        model = Campaign
        fields = "__all__"  # noqa: DJ007 (the admin chooses which: CampaignAdmin)


# The bodies' workspace (views.py) -------------------------------------------------------------

YES, NO = "yes", "no"
REASON_MAX = 500
OPINION_MAX = Recommendation._meta.get_field("opinion").max_length  # 1000
# The stamped recommendation form (盖章推荐表): one file, judged by its content, bounded before it is read.
MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_SCAN_POST_BYTES = MAX_SCAN_BYTES + 256 * 1024  # a larger post is refused before its body is read (views)
PDF_TAIL = 2048  # where a PDF's %%EOF must be
SNIFF_WINDOW = 1024  # a browser sniffs markup in a file's first bytes: none may be there
A4_INCHES = (8.27, 11.69)
MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta)\b", re.IGNORECASE)


class EligibilityForm(forms.Form):
    """The eligibility check of one entry: each item of its campaign's checklist passed or not, a failed
    one with its reason; when any failed, whether the entry goes back to be put right or is declined."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("未通过时"),
        choices=[
            (services.RETURN, gettext_lazy("退回修改（报送单位修改后重新报送）")),
            (services.DECLINE, gettext_lazy("不予采用")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, entry, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = selectors.suggest(entry)
        for suggestion in self.suggestions:
            self.fields[f"passed_{suggestion.item}"] = forms.ChoiceField(
                label=suggestion.label,
                choices=[(YES, pgettext_lazy("eligibility", "通过")), (NO, pgettext_lazy("eligibility", "未通过"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=YES if suggestion.passed else NO,
                error_messages={"required": gettext_lazy("请选择通过或未通过。")},
            )
            self.fields[f"reason_{suggestion.item}"] = forms.CharField(
                label=gettext_lazy("未通过的原因"),
                max_length=REASON_MAX,
                required=False,
                initial=suggestion.reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields([*(name for name in self.fields if name != "outcome"), "outcome"])

    def rows(self):
        """(suggestion, passed field, reason field) of each checklist item, in order, for the page."""
        return [(s, self[f"passed_{s.item}"], self[f"reason_{s.item}"]) for s in self.suggestions]

    def clean(self):
        cleaned = super().clean()
        failed = False
        for suggestion in self.suggestions:
            passed = cleaned.get(f"passed_{suggestion.item}")
            if passed == NO:
                failed = True
                if not (cleaned.get(f"reason_{suggestion.item}") or "").strip():
                    self.add_error(f"reason_{suggestion.item}", _("“%(item)s”未通过，请写明原因。") % {"item": suggestion.label})
        if failed and not cleaned.get("outcome"):
            self.add_error("outcome", _("有未通过的项目：请选择退回修改或不予采用。"))
        return cleaned

    def results(self):
        """{item: (passed, reason)} for services.check."""
        data = self.cleaned_data
        return {s.item: (data[f"passed_{s.item}"] == YES, data.get(f"reason_{s.item}", "")) for s in self.suggestions}


class RecommendForm(forms.Form):
    opinion = forms.CharField(
        label=gettext_lazy("推荐意见"),
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("将写入推荐表，并告知报送单位。不超过 1000 字。"),
        error_messages={"required": gettext_lazy("请填写推荐意见。")},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("不予推荐的原因"),
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("将告知报送单位。"),
        error_messages={"required": gettext_lazy("请写明不予推荐的原因。")},
    )


class ScanForm(forms.Form):
    """The stamped recommendation form: one PDF, JPEG or PNG of at most 10 MB, judged by its content.
    `checked` is what is stored: a PDF as it came (refused when it asks for scripts or actions), an
    image decoded and re-encoded, pixels only, as a one-page PDF."""

    scan = forms.FileField(
        label=gettext_lazy("盖章推荐表"),
        help_text=gettext_lazy("打印推荐表、盖章后扫描上传：PDF、JPG 或 PNG，不超过 10 MB。再次上传将替换原文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": gettext_lazy("请选择要上传的文件。")},
    )

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        if len(self.files.getlist(self.add_prefix("scan"))) > 1:
            raise ValidationError(_("只能上传一个文件。"), code="too_many")
        self.checked = check_scan(upload)
        return upload


def check_scan(upload):
    """The bytes to store (a PDF) for an uploaded scan, or ValidationError (Chinese)."""
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(_("文件超过 10 MB，请压缩后重新上传。"), code="too_big")
    if upload.size == 0:
        raise ValidationError(_("文件是空的，请重新选择。"), code="empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return _checked_pdf(upload)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return _image_as_pdf(upload)
    raise ValidationError(_("文件不是 PDF、JPG 或 PNG（按文件内容判断），请重新选择。"), code="wrong_type")


def _checked_pdf(upload):
    data = upload.read()
    upload.seek(0)
    if MARKUP.search(data[:SNIFF_WINDOW]) or b"%%EOF" not in data[-PDF_TAIL:]:
        raise ValidationError(_("文件不是完整的 PDF（可能已损坏或是改了扩展名的其他文件）。"), code="not_pdf")
    if attachment_check.inspect(upload, "pdf"):  # scripts, actions or embedded files: a scan has none
        raise ValidationError(_("PDF 含有脚本、自动动作或内嵌文件，不能作为盖章推荐表上传。请重新扫描后上传。"), code="active")
    return data


def _image_as_pdf(upload):
    image = images.open_checked(upload)  # decoded in full, bounded in pixels; ValidationError in Chinese
    if image.format not in ("JPEG", "PNG"):
        raise ValidationError(_("图片只接受 JPG 或 PNG 格式。"), code="wrong_type")
    if "A" in image.getbands() or image.mode == "P":  # transparent parts on white paper, not black
        image = image.convert("RGBA")
        paper = Image.new("RGB", image.size, (255, 255, 255))
        paper.paste(image, mask=image.getchannel("A"))
        image = paper
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    width, height = image.size
    out = io.BytesIO()  # one A4 page at most: the resolution follows the scan's
    image.save(out, "PDF", resolution=max(72.0, width / A4_INCHES[0], height / A4_INCHES[1]))
    return out.getvalue()
