"""Small forms of the tracking pages: re-sending lost links and confirming a withdrawal."""

from django import forms
from django.utils.translation import gettext_lazy

from submissions.platform import abuse


class LinkResendForm(abuse.GuardedForm):
    email = forms.EmailField(
        label=gettext_lazy("报送时填写的联系人邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("我确认撤回这份报送（撤回后不能恢复，需要时可重新报送）"),
        error_messages={"required": gettext_lazy("请勾选确认后再撤回。")},
    )
