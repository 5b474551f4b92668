"""The entry's own fields (organization, contact, brand, write-up, consent, attachments).

Sections and photos are formsets (forms/parts.py); forms/bundle.py binds them together.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from submissions.intake import services as intake
from submissions.intake.forms import messages, uploads
from submissions.models import Campaign, Kind, Region, Submission
from submissions.platform import abuse

PHONE = re.compile(r"1[3-9]\d{9}")
_PHONE_NOISE = re.compile(r"[\s\-－—()（）]")

# A draft needs only what the row itself needs and an address to send its link to.
DRAFT_REQUIRED = {"org_name", "org_type", "sector", "region", "contact_email"}

# The page, fieldset by fieldset, in order: the layout and the error summary's order both come from it.
SECTIONS, PHOTOS, ATTACHMENTS = "@sections", "@photos", "@attachments"  # the parts included by templates
PAGE = [
    (gettext_noop("一、党组织信息"), ["org_name", "org_parent", "org_type", "sector", "region"]),
    (gettext_noop("二、联系人"), ["contact_name", "contact_phone", "contact_email"]),
    (gettext_noop("三、报送类别与品牌"), ["kind", "brand_name", "brand_slogan", "brand_idea"]),
    (gettext_noop("四、品牌做法"), ["introduction", SECTIONS]),
    (gettext_noop("五、工作成效"), ["results", "model_story"]),
    (gettext_noop("六、图片"), [PHOTOS]),
    (gettext_noop("七、附件"), ["attachment_files", "attachment_keys", ATTACHMENTS]),
    (gettext_noop("八、确认"), ["consent"]),
]
PAGE_ORDER = [name for _title, names in PAGE for name in names]

TEXTAREA_ROWS = {"brand_idea": 4, "introduction": 6, "results": 5, "model_story": 5}


def clean_mobile(value):
    """A mainland mobile number: 11 digits starting 13–19; spaces, dashes and a +86 prefix are forgiven."""
    number = _PHONE_NOISE.sub("", value or "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not PHONE.fullmatch(number):
        raise forms.ValidationError(str(messages.PHONE), code="phone")
    return number


class EntryForm(forms.ModelForm):
    """The entry's fields, for the public form and the editors' intake. `instance.campaign` must be set."""

    attachment_files = uploads.AttachmentsField(
        label=gettext_lazy("附件（可选）"),
        help_text=gettext_lazy("PDF 或 Word 文件，最多 3 个，每个不超过 20 MB。"),
    )
    attachment_keys = forms.CharField(required=False, widget=forms.HiddenInput())

    class Meta:
        model = Submission
        fields = [
            "org_name",
            "org_parent",
            "org_type",
            "sector",
            "region",
            "contact_name",
            "contact_phone",
            "contact_email",
            "kind",
            "brand_name",
            "brand_slogan",
            "brand_idea",
            "introduction",
            "results",
            "model_story",
            "consent",
        ]
        help_texts = {
            "org_name": gettext_lazy("例如：XX股份有限公司XX收费站党支部"),
            "brand_name": gettext_lazy("一般为2至6个字，例如：零距离"),
            "brand_slogan": gettext_lazy("一句话口号"),
            "contact_phone": gettext_lazy("11位手机号码，编辑部可能电话联系您"),
            "contact_email": gettext_lazy("报送回执和查询链接将发送到此邮箱"),
            "introduction": gettext_lazy("单位和品牌的总体介绍"),
            "results": gettext_lazy("取得的成效、获得的荣誉"),
            "model_story": gettext_lazy("可选：一位党员先锋的故事"),
        }
        widgets = {
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.duplicate = None
        self.new_attachments = []
        campaign = self.instance.campaign
        self.fields["region"].queryset = Region.objects.filter(province=campaign.province)
        self.fields["region"].empty_label = _("请选择")
        self.fields["kind"].choices = [(code, Kind(code).label) for code in campaign.kinds if code in Kind.values]
        self.fields["org_type"].choices = [("", _("请选择")), *self.fields["org_type"].choices[1:]]
        self.fields["sector"].choices = [("", _("请选择")), *self.fields["sector"].choices[1:]]
        self.fields["kind"].widget = forms.RadioSelect(choices=self.fields["kind"].choices)
        self.fields["contact_phone"].max_length = 20  # spaces and +86 are forgiven, then 11 digits are kept
        self.fields["contact_phone"].validators = []
        self.fields["contact_phone"].widget.attrs["maxlength"] = 20
        self.fields["consent"].label = _("我单位同意编辑部对报送内容进行编辑加工并公开发表")
        messages.apply(self)
        for name, rows in TEXTAREA_ROWS.items():
            self.fields[name].widget.attrs["rows"] = rows
        self.required_for_submit = {name for name, field in self.fields.items() if field.required}
        self.required_for_submit.add("consent")
        self.fields["consent"].required = not draft
        if draft:
            for name, field in self.fields.items():
                if name not in DRAFT_REQUIRED:
                    field.required = False
        self.helper = self.make_helper()

    def make_helper(self):
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(*self.layout_parts())
        return helper

    def layout_parts(self):
        parts = {
            SECTIONS: HTML("{% include 'calls/_sections.html' %}"),
            PHOTOS: HTML("{% include 'calls/_photos.html' %}"),
            ATTACHMENTS: HTML("{% include 'calls/_attachments.html' %}"),
        }
        return [Fieldset(_(title), *(parts.get(name, name) for name in names)) for title, names in PAGE]

    def show_required(self):
        """After validation: mark the fields a submission needs, also when a draft was checked."""
        for name in self.required_for_submit:
            self.fields[name].required = True

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone", "")
        if not value and self.draft:
            return ""
        return clean_mobile(value)

    def clean_contact_email(self):
        return (self.cleaned_data.get("contact_email") or "").strip()

    def clean_brand_name(self):
        return (self.cleaned_data.get("brand_name") or "").strip().strip("“”\"'「」").strip()

    def clean_attachment_files(self):
        checked, errors = uploads.check_attachments(self.cleaned_data.get("attachment_files") or [])
        self.new_attachments = checked
        if errors:
            raise forms.ValidationError(errors)
        return checked

    def attachment_key_list(self):
        raw = self.data.get(self.add_prefix("attachment_keys"), "") if self.is_bound else self.initial.get("attachment_keys", "")
        removed = set(self.data.getlist("attachment_remove")) if self.is_bound else set()
        return [key for key in (raw or "").split() if key not in removed]

    def removed_attachment_keys(self):
        return self.data.getlist("attachment_remove") if self.is_bound else []

    def clean(self):
        cleaned = super().clean()
        kept = intake.attachments_by_key(self.attachment_key_list(), self.instance)
        if len(kept) + len(self.new_attachments) > uploads.MAX_ATTACHMENTS:
            self.add_error("attachment_files", _("附件最多 %(count)s 个，请先移除一些。") % {"count": uploads.MAX_ATTACHMENTS})
        self.kept_attachments = [kept[key] for key in self.attachment_key_list() if key in kept]
        if not self.draft and cleaned.get("org_name") and cleaned.get("brand_name"):
            self.duplicate = intake.find_duplicate(
                self.instance.campaign_id, cleaned["org_name"], cleaned["brand_name"], self.instance.pk
            )
            if self.duplicate is not None:
                self.add_error("brand_name", duplicate_message(self.duplicate))
        return cleaned


def duplicate_message(existing):
    return _(
        "本单位的这一品牌已在本次征集中报送过（报送编号 %(reference)s），请勿重复报送。"
        "如需查看进度或修改，请联系人使用报送成功后收到的专属查询链接；链接遗失可在“进度查询”页面重新发送到联系人邮箱。"
    ) % {"reference": existing.reference}


class PublicEntryForm(abuse.GuardedForm, EntryForm):
    """The public form: the entry's fields behind the honeypot and the minimum fill time."""

    def layout_parts(self):
        return [*super().layout_parts(), Div("website", css_class="portal-trap"), "started"]


class IntakeEntryForm(EntryForm):
    """The editors' form for an entry that arrived by e-mail: the same fields and checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _("报送单位已在邮件中同意公开发表")


class CampaignChoiceForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.order_by("-opens_at"), label=gettext_lazy("征集活动"))
