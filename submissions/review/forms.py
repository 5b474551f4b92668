"""The reviewer's scoring form: one field per criterion of the campaign, and a comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.review.assignments import reviewer_pool


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
    """Reviewers for the selected entries: every chosen reviewer on each entry, or (with a number per
    entry) a balanced distribution over the chosen pool. The round follows each entry's status."""

    reviewers = forms.ModelMultipleChoiceField(
        label=_("评审专家"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一位评审专家。")},
    )
    per_entry = forms.IntegerField(
        label=_("每件作品分派人数（自动均衡分配）"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("留空则每件作品分给所有选中的专家；填写人数则在选中的专家中均衡分配，并回避有利害关系的专家。"),
        error_messages={"min_value": _("人数至少为 1。"), "max_value": _("人数不能超过 20。"), "invalid": _("请输入整数。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewer_pool()

    def clean(self):
        cleaned = super().clean()
        per_entry, chosen = cleaned.get("per_entry"), cleaned.get("reviewers")
        if per_entry and chosen is not None and per_entry > len(chosen):
            self.add_error("per_entry", _("每件作品的人数不能多于选中的专家人数（%(n)d 位）。") % {"n": len(chosen)})
        return cleaned


class MessageForm(forms.Form):
    """The reason the submitter reads when an entry is returned or declined."""

    message = forms.CharField(
        label=_("给报送单位的说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("请填写给报送单位的说明。")},
    )
    note = forms.CharField(label=_("内部备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
