"""The voter's two small forms: the mobile number (a code is sent to it), then the code.

Both carry the platform's guards (GuardedForm: the honeypot, the signed time the form was shown,
a minimum fill time); the views add the per-address rate limits.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.platform.abuse import GuardedForm

MOBILE = re.compile(r"1[3-9]\d{9}")


class PhoneForm(GuardedForm):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": _("11 位手机号")}),
    )

    def clean_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data["phone"]).removeprefix("+86")
        if not MOBILE.fullmatch(phone):
            raise forms.ValidationError(_("请输入正确的 11 位中国大陆手机号。"))
        return phone


class CodeForm(GuardedForm):
    code = forms.CharField(
        label=_("验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("验证码为 6 位数字。"))
        return code
