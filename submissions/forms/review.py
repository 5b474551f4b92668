"""The reviewer's scoring form: one field per criterion of the campaign, and a comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Stage
from submissions.roles import GROUP_NAMES, REVIEWER


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("评语"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000)

    def __init__(self, *args, criteria, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        given = {s.criterion_id: s.score for s in review.scores.all()} if review else {}
        fields = {}
        for criterion in self.criteria:
            fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s（满分 %(max)s，权重 %(weight)s）")
                % {"name": criterion.name, "max": criterion.max_score, "weight": criterion.weight},
                help_text=criterion.description,
                min_value=0,
                max_value=criterion.max_score,
                initial=given.get(criterion.pk),
                error_messages={
                    "required": _("请为此项打分。"),
                    "min_value": _("分数不能小于 0。"),
                    "max_value": _("分数不能超过满分 %(limit_value)s。"),
                    "invalid": _("请输入整数分数。"),
                },
            )
        self.fields = {**fields, "comment": self.fields["comment"]}
        if review:
            self.fields["comment"].initial = review.comment

    def scores(self):
        return {c: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("评审专家"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一位评审专家。")},
    )
    stage = forms.ChoiceField(label=_("评审轮次"), choices=Stage.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["reviewers"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=GROUP_NAMES[REVIEWER])
            .order_by("first_name", "username")
            .distinct()
        )


class MessageForm(forms.Form):
    """The reason the submitter reads when an entry is returned or declined."""

    message = forms.CharField(
        label=_("给报送单位的说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("请填写给报送单位的说明。")},
    )
    note = forms.CharField(label=_("内部备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
