"""The forms of the results area: the public number lookup (hostile input refused, bounded) and the admin's."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Campaign, CertificateKind

NUMBER_MAX = 24
NUMBER_RE = re.compile(r"[A-Z]{2,10}-\d{4}-\d{4,6}")


def normalized_number(value):
    """The number as printed (upper case, no spaces around), or None when it cannot be one: the
    public lookup and the verification URL refuse the same things the same way."""
    value = (value or "").strip().upper()
    if len(value) > NUMBER_MAX or not NUMBER_RE.fullmatch(value):
        return None
    return value


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("证书编号"),
        max_length=NUMBER_MAX,
        help_text=_("印在证书左下角，例如 DZRB-2026-0001。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "latin"}),
    )

    def clean_number(self):
        number = normalized_number(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError(_("证书编号格式不正确，应形如 DZRB-2026-0001。"))
        return number


class LetterForm(forms.Form):
    """A thank-you letter for a reviewer or an appointment letter for an expert (the admin's small form)."""

    kind = forms.ChoiceField(
        label=_("类别"), choices=[(k.value, k.label) for k in (CertificateKind.THANKS, CertificateKind.APPOINTMENT)]
    )
    campaign = forms.ModelChoiceField(label=_("征集活动"), queryset=Campaign.objects.order_by("-opens_at"))
    recipient = forms.CharField(label=_("姓名"), max_length=100)
    wording = forms.CharField(
        label=_("证书正文"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("留空则使用标准文字。"),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
