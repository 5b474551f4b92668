"""The rules of screening (资格审查 and 逐级推荐) beyond the entry's table of moves.

A campaign that screens (Campaign.screens) sends an entry to review only once it is eligible
(and recommended, where it asks for recommendation); an entry becomes eligible only with a
passed eligibility check made since it was last (re)submitted; it is recommended only by a
campaign that asks for it, by its body, within that body's quota (名额). The rows these rules
read are written by submissions.recommend.services, in the same transaction as the move.
"""

from django.utils.translation import gettext as _

from submissions.models import Recommendation
from submissions.models import Status as S
from submissions.models.status import NOT_LIVE, REVIEW_STATUSES
from submissions.workflow.machine import TransitionError

CHECK_ELIGIBILITY = "submissions.check_eligibility"  # editors; a body's accounts on its own area's entries
RECOMMEND = "submissions.recommend_submission"  # a body's accounts, on its own area's entries


def rules(entry, to, actor):
    """An entry's rules beyond the table: a campaign that screens sends it to review only once it is
    eligible (and recommended, where it asks); eligible only with a passed check; recommended only
    by a campaign that asks for it, within its body's quota."""
    campaign = entry.campaign
    frm = entry.status
    if to in (*REVIEW_STATUSES, S.SHORTLISTED) and frm in (S.SUBMITTED, S.RESUBMITTED, S.ELIGIBLE):
        if not _screened(entry):
            if campaign.uses_recommendation and frm == S.ELIGIBLE:
                raise TransitionError(_("本次征集须经推荐单位推荐后才能进入初评。"))
            raise TransitionError(_("本次征集须先通过资格审查，再进入评审。"))
    if to == S.ELIGIBLE:
        check = entry.eligibility_checks.order_by("-created_at", "-pk").first()
        # Made since the entry was last (re)submitted: a revised entry is checked again.
        since = entry.status_changed_at
        if check is None or not check.passed or (since is not None and check.created_at < since):
            raise TransitionError(_("资格审查尚未全部通过：请逐项审查。"))
    if to == S.RECOMMENDED:
        if not campaign.uses_recommendation:
            raise TransitionError(_("本次征集不设推荐环节。"))
        body = entry.body
        if body is None:
            raise TransitionError(_("这件作品没有对应的推荐单位。"))
        if quota_used(body, besides=entry) >= body.quota:
            raise TransitionError(_("%(body)s的推荐名额（%(quota)s 个）已用完。") % {"body": body.name, "quota": body.quota})


def _screened(entry):
    """Passed the screening its campaign asks for (an entry returned after review was screened before)."""
    campaign = entry.campaign
    if not campaign.screens:
        return True
    if not entry.eligibility_checks.filter(passed=True).exists():
        return False
    return not campaign.uses_recommendation or Recommendation.objects.filter(submission=entry).exists()


def quota_used(body, besides=None):
    """The body's recommendations that still count against its quota (a withdrawn entry gives its place
    back), not counting `besides` (the entry being recommended, whose row is written with the move)."""
    rows = Recommendation.objects.filter(body=body).exclude(submission__status__in=[*NOT_LIVE])
    return (rows.exclude(submission=besides) if besides is not None else rows).count()
