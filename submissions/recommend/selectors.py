"""What screening reads: the automatic pre-check of each checklist item, a body's entries and progress."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from submissions.models import (
    Campaign,
    EligibilityCheck,
    EligibilityItem,
    Kind,
    OrgType,
    Recommendation,
    RecommendingBody,
    Submission,
)
from submissions.models import Status as S
from submissions.models.status import NOT_LIVE
from submissions.workflow.screening import quota_used

ITEM_LABELS = dict(EligibilityItem.choices)


@dataclass(frozen=True)
class Suggestion:
    """What the portal can tell of one checklist item by itself: passed or not, and why not (the checker decides)."""

    item: str
    label: str
    passed: bool
    reason: str


def checklist(campaign):
    """The campaign's checklist, in the order the catalogue declares its items."""
    chosen = set(campaign.eligibility_items or ())
    return [value for value in EligibilityItem.values if value in chosen]


def earlier_publication(entry):
    """A published entry of an earlier campaign with the same organization and brand (folded), or None."""
    return (
        Submission.objects.filter(dedupe_key=entry.dedupe_key, status=S.PUBLISHED)
        .exclude(campaign_id=entry.campaign_id)
        .exclude(pk=entry.pk)
        .select_related("campaign")
        .order_by("-submitted_at")
        .first()
    )


def _missing(entry):
    """The parts of the application that are empty: what the form requires, and at least one section and photo."""
    required = {
        "org_name": entry.org_name,
        "contact_name": entry.contact_name,
        "contact_phone": entry.contact_phone,
        "brand_name": entry.brand_name,
        "brand_idea": entry.brand_idea,
        "introduction": entry.introduction,
        "results": entry.results,
    }
    names = [str(Submission._meta.get_field(name).verbose_name) for name, value in required.items() if not (value or "").strip()]
    if not entry.sections.exists():
        names.append(_("做法章节"))
    if not entry.photos.exists():
        names.append(_("图片"))
    return names


def suggest(entry):
    """The automatic pre-check of each item of the entry's campaign's checklist (Suggestion), in order."""
    campaign = entry.campaign
    found = []
    for item in checklist(campaign):
        reason = ""
        if item == EligibilityItem.KIND and entry.kind not in (campaign.kinds or ()):
            reason = _("“%(kind)s”不在本次征集的类别之内。") % {"kind": Kind(entry.kind).label}
        elif (
            item == EligibilityItem.ORG_TYPE and campaign.eligible_org_types and entry.org_type not in campaign.eligible_org_types
        ):
            reason = _("本次征集不接受“%(type)s”申报。") % {"type": OrgType(entry.org_type).label}
        elif item == EligibilityItem.COMPLETE:
            missing = _missing(entry)
            if missing:
                reason = _("缺少：%(parts)s。") % {"parts": "、".join(missing)}
        elif item == EligibilityItem.CONSENT and not entry.consent:
            reason = _("报送单位未同意公开发表。")
        elif item == EligibilityItem.NOT_DUPLICATE:
            earlier = earlier_publication(entry)
            if earlier is not None:
                reason = _("该品牌已在“%(campaign)s”中发表（%(reference)s）。") % {
                    "campaign": earlier.campaign.title,
                    "reference": earlier.reference,
                }
        found.append(Suggestion(item, ITEM_LABELS[item], not reason, reason))
    return found


def latest_check(entry):
    return entry.eligibility_checks.order_by("-created_at", "-pk").first()


def _listed(entries):
    """Entries as the workspace lists them: live, newest first, with whether checked and the recommendation."""
    checked = EligibilityCheck.objects.filter(submission=OuterRef("pk"))
    return (
        entries.exclude(status__in=[*NOT_LIVE])
        .select_related("region", "campaign", "body", "recommendation")
        .annotate(checked=Exists(checked))
    )


def entries_of(body):
    """The entries a body has (its area's, submitted and live), newest first, with what it did to each."""
    return entries_for([body.pk])


def entries_for(body_pks):
    """The entries of these bodies (an account may act for several), as entries_of lists them."""
    return _listed(Submission.objects.filter(body__in=list(body_pks)))


def screening_campaigns():
    """The pks of the campaigns that screen their entries (Campaign.screens: a checklist or recommendation)."""
    rows = Campaign.objects.values_list("pk", "eligibility_items", "uses_recommendation")
    return [pk for pk, items, recommends in rows if items or recommends]


def awaiting_check():
    """The editors' list: entries of screening campaigns waiting for an eligibility check (submitted or resubmitted)."""
    entries = Submission.objects.filter(campaign__in=screening_campaigns(), status__in=[S.SUBMITTED, S.RESUBMITTED])
    return _listed(entries)


@dataclass(frozen=True)
class Progress:
    body: RecommendingBody
    received: int  # its area's entries, submitted and live
    checked: int  # of which checked at least once
    recommended: int  # recommended (counted against the quota)
    quota: int

    @property
    def left(self):
        return max(self.quota - self.recommended, 0)


def progress(campaign):
    """Each body of a campaign: received / checked / recommended / quota (the editors' dashboard), in two queries."""
    return _progress(RecommendingBody.objects.filter(campaign=campaign))


def progress_of(body_pks):
    """The same for the bodies an account acts for (the bodies' workspace), in two queries."""
    return _progress(RecommendingBody.objects.filter(pk__in=list(body_pks)).select_related("campaign"))


def _progress(bodies):
    live = ~Q(entries__status__in=[*NOT_LIVE])
    bodies = list(
        bodies.annotate(
            received=Count("entries", filter=live, distinct=True),
            checked_n=Count("entries", filter=live & Q(entries__eligibility_checks__isnull=False), distinct=True),
        )
    )
    recommended = dict(
        Recommendation.objects.filter(body__in=[body.pk for body in bodies])
        .exclude(submission__status__in=[*NOT_LIVE])
        .order_by()
        .values_list("body")
        .annotate(n=Count("pk"))
    )
    return [Progress(body, body.received, body.checked_n, recommended.get(body.pk, 0), body.quota) for body in bodies]


__all__ = [
    "Progress",
    "Suggestion",
    "awaiting_check",
    "checklist",
    "entries_for",
    "entries_of",
    "latest_check",
    "progress",
    "progress_of",
    "quota_used",
    "screening_campaigns",
    "suggest",
]
