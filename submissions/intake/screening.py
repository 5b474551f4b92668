"""What the submitter is told of screening (资格审查与推荐) on the tracking page: the body that has
the entry, the eligibility result (each failed item with its reason) and the body's decision.

It reads only: the rows are written by the recommend area's services, the moves by the workflow.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from submissions.models import EligibilityCheck, Recommendation
from submissions.models import Status as S
from submissions.models.status import BEFORE_REVIEW

PENDING, PASSED, FAILED = "pending", "passed", "failed"
RECOMMENDED, REFUSED = "recommended", "refused"
# Still before the body's decision: being screened, or back with the submitter to put right.
UNDECIDED = (*BEFORE_REVIEW, S.RETURNED)


@dataclass(frozen=True)
class Screening:
    checks_eligibility: bool
    uses_recommendation: bool
    body_name: str  # "" when no body covers the entry
    eligibility: str  # PENDING, PASSED or FAILED
    failures: list = field(default_factory=list)  # [(item label, reason)] of a failed check
    decision: str = ""  # PENDING, RECOMMENDED, REFUSED, or "" (none to wait for: declined, withdrawn)
    opinion: str = ""  # the body's opinion (推荐意见), or its reason for not recommending


def _eligibility(entry):
    check = EligibilityCheck.objects.filter(submission=entry).order_by("-created_at", "-pk").first()
    if check is None:
        return PENDING, []
    if check.passed:
        return PASSED, []
    if entry.status in (S.SUBMITTED, S.RESUBMITTED):  # put right and sent again: checked again
        return PENDING, []
    return FAILED, check.failures()


def _decision(entry, history):
    recommendation = Recommendation.objects.filter(submission=entry).first()
    if recommendation is not None:
        return RECOMMENDED, recommendation.opinion
    refused = next((step for step in reversed(history) if step.to_status == S.DECLINED and step.via == "recommendation"), None)
    if refused is not None:
        return REFUSED, refused.message.removeprefix(_("不予推荐：")).strip()
    return (PENDING, "") if entry.status in UNDECIDED else ("", "")


def for_submitter(entry, history):
    """The entry's screening as its submitter may read it (None when its campaign does not screen, or
    it is a draft). `history`: its status changes, oldest first (the page has them already)."""
    campaign = entry.campaign
    if not campaign.screens or entry.status == S.DRAFT:
        return None
    eligibility, failures = _eligibility(entry)
    decision, opinion = _decision(entry, history) if campaign.uses_recommendation else ("", "")
    body = entry.body if campaign.uses_recommendation else None
    return Screening(
        checks_eligibility=bool(campaign.eligibility_items),
        uses_recommendation=campaign.uses_recommendation,
        body_name=body.name if body is not None else "",
        eligibility=eligibility,
        failures=failures,
        decision=decision,
        opinion=opinion,
    )
