"""Forms of the public column: the reader's comment, and the list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Comment, Kind
from submissions.platform.abuse import GuardedForm


class CommentForm(GuardedForm, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["name", "body"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "nickname", "maxlength": 30}),
            "body": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }
        error_messages = {
            "name": {"required": _("请填写昵称。")},
            "body": {"required": _("请填写评论内容。"), "max_length": _("评论不能超过 1000 字。")},
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请填写昵称。"))
        return name

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("请填写评论内容。"))
        return body


class ListFilterForm(forms.Form):
    """The list page's filters; a value that is not offered is ignored rather than refused."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("类别"), required=False)
    region = forms.ChoiceField(label=_("地区"), required=False)
    year = forms.ChoiceField(label=_("年份"), required=False)

    def __init__(self, data, *, regions, years):
        super().__init__(data)
        everything = [("", _("全部"))]
        self.fields["kind"].choices = everything + list(Kind.choices)
        self.fields["region"].choices = everything + list(regions)  # (code, name) pairs
        self.fields["year"].choices = everything + [(str(y), str(y)) for y in years]

    def filters(self):
        """The valid filters as a dict (invalid ones dropped)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}
