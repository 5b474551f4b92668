"""The expert's page: the commentary (and brand diagnosis) form, and the decline form; the editor's request form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.experts.services import REASON_MAX
from submissions.models.expert import DIAGNOSIS_MAX, TEXT_MAX

VERSION = {"widget": forms.HiddenInput, "min_value": 0, "max_value": 2**31}


class WriteForm(forms.Form):
    text = forms.CharField(
        label=_("专家点评"),
        required=False,  # a draft may be empty; submitting needs a text (clean)
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10, "class": "form-control", "maxlength": TEXT_MAX}),
        help_text=_("将刊发在巡展文章的“专家点评”位置，署您的姓名、职务和单位。不超过 %(count)s 字。") % {"count": TEXT_MAX},
        error_messages={
            "max_length": _("点评不能超过 %(limit_value)d 字（现在 %(show_value)d 字），您写的内容仍在框中，请删减后再提交。")
        },
    )
    diagnosis = forms.CharField(
        label=_("品牌诊断（可选）"),
        required=False,
        max_length=DIAGNOSIS_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control", "maxlength": DIAGNOSIS_MAX}),
        help_text=_("给报送单位的简短评估和建议，只在其查询页面显示，不公开刊发。不超过 %(count)s 字。")
        % {"count": DIAGNOSIS_MAX},
        error_messages={"max_length": _("品牌诊断不能超过 %(limit_value)d 字（现在 %(show_value)d 字），请删减后再提交。")},
    )
    version = forms.IntegerField(**VERSION)
    action = forms.ChoiceField(choices=[("submit", "submit"), ("draft", "draft")], required=False)  # the button pressed

    def clean(self):
        data = super().clean()
        data["action"] = data.get("action") or "submit"
        if data["action"] == "submit" and "text" in data and not data["text"].strip():
            self.add_error("text", _("请填写点评内容后再提交。"))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("婉拒原因"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "maxlength": REASON_MAX}),
        error_messages={
            "required": _("请简要说明原因，编辑部会据此另行安排。"),
            "max_length": _("原因不能超过 %(limit_value)d 字。"),
        },
    )
    version = forms.IntegerField(**VERSION)
