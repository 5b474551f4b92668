"""The contact's answers on the tracking page, and the editor's plan in the admin."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions.models import Interview, Submission
from submissions.workflow.interviews import MAX_DATES

MESSAGE_MAX = 500


class PickForm(forms.Form):
    """One of the proposed dates (the choices are this interview's dates only)."""

    date = forms.TypedChoiceField(
        label=_("选择采访时间"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择一个采访时间。"),
            "invalid_choice": _("所选时间不在建议时间之中，请重新选择。"),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def __init__(self, *args, interview, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = list(choices)
        self.fields["version"].initial = interview.version


class CounterForm(forms.Form):
    """Another date, and why."""

    when = forms.DateTimeField(
        label=_("希望的采访时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("请填写希望的采访时间。"), "invalid": _("时间格式不正确，请重新选择。")},
    )
    message = forms.CharField(
        label=_("留言"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "maxlength": MESSAGE_MAX}),
        error_messages={"required": _("请说明原因或方便的时间段。"), "max_length": _("留言请不超过 %(limit_value)d 字。")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def __init__(self, *args, interview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = interview.version

    def clean_when(self):
        when = self.cleaned_data["when"]
        now = timezone.now()
        if when <= now:
            raise forms.ValidationError(_("提议的时间不能早于现在。"))
        if when > now + timedelta(days=366):
            raise forms.ValidationError(_("提议的时间请在一年之内。"))
        return when


def _date_field(required):
    return forms.DateTimeField(
        label=_("建议时间"),
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class PlanForm(forms.ModelForm):
    """The admin's add form: the entry, the people, two or three dates."""

    date_1 = _date_field(True)
    date_2 = _date_field(True)
    date_3 = _date_field(False)

    class Meta:
        model = Interview
        fields = ["submission", "reporters", "photographer", "place", "notes", "duration_minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reporters", "photographer"):
            if name in self.fields:
                field = self.fields[name]
                field.queryset = field.queryset.filter(is_staff=True, is_active=True).order_by("username")
        if "submission" in self.fields:
            self.fields["submission"].queryset = Submission.objects.all()

    def dates(self):
        return [self.cleaned_data[f"date_{n}"] for n in range(1, MAX_DATES + 1) if self.cleaned_data.get(f"date_{n}")]


class ReproposeForm(forms.Form):
    date_1 = _date_field(True)
    date_2 = _date_field(True)
    date_3 = _date_field(False)

    def dates(self):
        return [self.cleaned_data[f"date_{n}"] for n in range(1, MAX_DATES + 1) if self.cleaned_data.get(f"date_{n}")]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    notes = forms.CharField(label=_("采访笔记"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
