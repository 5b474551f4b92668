"""Forms of the newsroom's publishing screens (admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Showcase
from submissions.workflow import roles


class FromEntryForm(forms.Form):
    """What the editor enters when making the article of an accepted entry; the rest is prefilled."""

    short_name = forms.CharField(label=_("单位简称（用于标题）"), max_length=60)
    reporters = forms.CharField(label=_("记者"), max_length=120, required=False, help_text=_("多人用空格分隔，如：王晓 刘洋"))
    interns = forms.CharField(label=_("实习生"), max_length=120, required=False)
    correspondents = forms.CharField(label=_("通讯员"), max_length=120, required=False)


class MoveForm(forms.Form):
    """One workflow button of an article: where to, with a reason or a time where needed."""

    to = forms.ChoiceField(choices=Showcase.State.choices)
    message = forms.CharField(label=_("原因"), required=False, max_length=2000)
    publish_at = forms.DateTimeField(
        label=_("定时发布时间"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": _("请填写正确的时间，如 2026-01-13 18:00。")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == Showcase.State.SCHEDULED and not cleaned.get("publish_at"):
            self.add_error("publish_at", _("请填写定时发布时间。"))
        return cleaned


class ShowcaseAdminForm(forms.ModelForm):
    # Shown only for a published article (ShowcaseAdmin.get_fieldsets): its correction takes it off
    # the column until signed off again, so, like 撤稿, it needs a reason.
    correction_reason = forms.CharField(
        label=_("更正原因"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("已发布的文章修改后将暂停公开，待重新签审后再发布。"),
    )

    class Meta:
        model = Showcase
        fields = [
            *["campaign", "submission", "slug", "title", "short_name", "brand_name", "summary"],
            *["byline", "source", "reporters", "interns", "correspondents"],
            *["editor_note", "lead", "closing", "standing_call", "expert_commentary", "expert_name"],
            "responsible_editor",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("responsible_editor")
        if field is not None:  # who may write articles: the permission decides, not a group's name
            field.queryset = roles.users_with(field.queryset, "submissions.change_showcase")
        field = self.fields.get("submission")
        if field is not None:
            field.help_text = _("须为“已采用”状态的作品。")

    def clean_correction_reason(self):
        reason = self.cleaned_data.get("correction_reason", "").strip()
        if self.instance.pk and self.instance.is_public and not reason:
            raise forms.ValidationError(_("请填写更正原因：修改已发布的文章会使其暂停公开，待重新签审。"))
        return reason

    def clean_responsible_editor(self):
        editor = self.cleaned_data["responsible_editor"]
        if self.instance.pk and self.instance.signed_off_by_id and editor and editor.pk == self.instance.signed_off_by_id:
            raise forms.ValidationError(_("签审人不能同时担任本文的责任编辑。"))
        return editor
