"""The entry's screening panel in the admin (资格审查与推荐): the body it is with, its eligibility
checks (each failed item with its reason), the body's recommendation or refusal, the way to the
eligibility check in the screening workspace, and the editors' correction of the entry's body.

Called from SubmissionAdmin (which owns the URL and asks the permission); the writes are the
recommend area's services. Reviewers never see it: their page is the score page."""

from django import forms
from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import workflow
from submissions.models import EligibilityCheck, Recommendation, RecommendingBody, StatusChange
from submissions.models import Status as S
from submissions.recommend import services

CHECKED_FROM = (S.SUBMITTED, S.RESUBMITTED)  # where an eligibility check moves an entry from


class BodyForm(forms.Form):
    """The body an entry is with: one of its campaign's bodies, or none."""

    body = forms.ModelChoiceField(
        label=gettext_lazy("推荐单位"),
        queryset=RecommendingBody.objects.none(),
        required=False,
        empty_label=gettext_lazy("（无）"),
    )

    def __init__(self, *args, entry, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        field.queryset = RecommendingBody.objects.filter(campaign_id=entry.campaign_id)
        if bodies is not None:  # the page's own list: no second query for the choices
            field.choices = [("", field.empty_label), *((body.pk, body.name) for body in bodies)]
        self.initial.setdefault("body", entry.body_id)


def may_check(user, entry):
    """Whether this user may check the entry's eligibility now (the workspace's check page)."""
    if entry.status not in CHECKED_FROM or not entry.campaign.screens:
        return False
    return workflow.may(user, workflow.TRANSITIONS[(entry.status, S.ELIGIBLE)], entry)


def may_assign_body(user):
    return user.has_perm("submissions.run_workflow")


def context(request, entry):
    """The panel's context for an entry read with its campaign (SubmissionAdmin.entry_context):
    nothing when its campaign does not screen. At most four queries."""
    campaign = entry.campaign
    if not campaign.screens:
        return {}
    checks = list(EligibilityCheck.objects.filter(submission=entry).select_related("checked_by").order_by("-created_at", "-pk"))
    recommendation = Recommendation.objects.filter(submission=entry).select_related("body", "recommended_by").first()
    refused = (
        StatusChange.objects.filter(submission=entry, to_status=S.DECLINED, via="recommendation")
        .order_by("-created_at", "-pk")
        .first()
        if campaign.uses_recommendation and entry.status == S.DECLINED
        else None
    )
    bodies = list(RecommendingBody.objects.filter(campaign=campaign)) if campaign.uses_recommendation else []
    body = next((b for b in bodies if b.pk == entry.body_id), None)
    changeable = campaign.uses_recommendation and recommendation is None and may_assign_body(request.user)
    return {
        "screening": {
            "uses_recommendation": campaign.uses_recommendation,
            "body": body,
            "latest": checks[0] if checks else None,
            "earlier": checks[1:],
            "recommendation": recommendation,
            "scan_url": reverse("recommend:scan", args=[entry.pk]) if recommendation and recommendation.scan else "",
            "refused": refused,
            "check_url": reverse("recommend:entry", args=[entry.pk]) if may_check(request.user, entry) else "",
            "body_form": BodyForm(entry=entry, bodies=bodies) if changeable else None,
        }
    }


def assign_body(request, entry):
    """An editor puts the entry with another body of its campaign (or none), before it is recommended."""
    form = BodyForm(request.POST, entry=entry)
    if not form.is_valid():
        messages.error(request, _("请从列表中选择推荐单位。"))
        return
    body = form.cleaned_data["body"]
    try:
        services.assign_body(entry, body)
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
    else:
        name = body.name if body else _("（无）")
        messages.success(request, _("推荐单位已改为：%(body)s") % {"body": name})
