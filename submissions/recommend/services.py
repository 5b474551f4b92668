"""Screening: every write of the recommend area, each with its move through the workflow in one transaction.

- check(): an eligibility check, item by item, each failure with its reason. All passed: the entry
  is eligible. A failure: it is returned to the submitter to put right, or declined, and the
  submitter is told each failed item with its reason (the move's message, mailed by the workflow).
- recommend(): the body recommends the entry within its quota, with its opinion (推荐意见).
- decline(): the body does not recommend it (不予推荐), with the reason.
- attach_scan(): the printed, stamped and scanned recommendation form (盖章推荐表).
- assign_body(): an editor puts the entry with another body (or none).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.models import EligibilityCheck, Recommendation, RecommendingBody
from submissions.models import Status as S
from submissions.recommend import selectors

RETURN = "return"  # a failed check sends the entry back to be put right
DECLINE = "decline"  # a failed check declines it


class ScreeningError(Exception):
    """A refused step; str() is a message for the person who tried it (Chinese)."""


def failure_message(results):
    """The message the submitter is sent for a failed check: each failed item with its reason."""
    labels = selectors.ITEM_LABELS
    lines = [f"{labels.get(row['item'], row['item'])}：{row['reason']}" for row in results if not row["passed"]]
    return _("资格审查未通过：") + "\n" + "\n".join(lines)


def check(entry, *, actor, results, outcome=RETURN, note=""):
    """Record an eligibility check of `entry` and move it: eligible when every item passed, else
    returned (outcome RETURN) or declined (DECLINE) with the failures as the message.

    `results`: {item: (passed, reason)} for every item of the campaign's checklist; a failed item
    needs its reason. Raises ScreeningError (an incomplete check) or workflow.TransitionError.
    """
    items = selectors.checklist(entry.campaign)
    rows = []
    for item in items:
        if item not in results:
            raise ScreeningError(_("请逐项审查：“%(item)s”尚未填写。") % {"item": selectors.ITEM_LABELS[item]})
        passed, reason = results[item]
        reason = (reason or "").strip()
        if not passed and not reason:
            raise ScreeningError(_("“%(item)s”未通过，请写明原因。") % {"item": selectors.ITEM_LABELS[item]})
        rows.append({"item": item, "passed": bool(passed), "reason": "" if passed else reason})
    passed = all(row["passed"] for row in rows)
    if not passed and outcome not in (RETURN, DECLINE):
        raise ScreeningError(_("请选择退回修改或不予采用。"))
    with transaction.atomic():
        made = EligibilityCheck.objects.create(submission=entry, body=entry.body, checked_by=actor, results=rows, passed=passed)
        if passed:
            workflow.transition(entry, S.ELIGIBLE, actor=actor, note=note, via="eligibility")
        else:
            to = S.RETURNED if outcome == RETURN else S.DECLINED
            workflow.transition(entry, to, actor=actor, note=note, message=failure_message(rows), via="eligibility")
    return made


def recommend(entry, *, actor, opinion):
    """The body recommends the entry (within its quota: the workflow's rule) with its opinion."""
    opinion = (opinion or "").strip()
    if not opinion:
        raise ScreeningError(_("请填写推荐意见。"))
    with transaction.atomic():
        if entry.body_id is not None:  # two accounts of one body recommending at once: one waits, then counts
            RecommendingBody.objects.select_for_update().filter(pk=entry.body_id).first()
        workflow.transition(entry, S.RECOMMENDED, actor=actor, message=opinion, via="recommendation")
        made = Recommendation.objects.create(submission=entry, body=entry.body, opinion=opinion, recommended_by=actor)
    return made


def decline(entry, *, actor, reason):
    """The body does not recommend the entry (不予推荐): it is declined, the submitter told why."""
    reason = (reason or "").strip()
    if not reason:
        raise ScreeningError(_("请写明不予推荐的原因。"))
    return workflow.transition(entry, S.DECLINED, actor=actor, message=_("不予推荐：") + reason, via="recommendation")


def attach_scan(recommendation, upload):
    """Keep the stamped recommendation form (a checked upload: forms.ScanForm), replacing an earlier one."""
    old = recommendation.scan.name if recommendation.scan else ""
    recommendation.scan.save(upload.name, upload, save=False)
    recommendation.scan_uploaded_at = timezone.now()
    recommendation.save(update_fields=["scan", "scan_uploaded_at"])
    if old:
        recommendation.scan.storage.delete(old)
    return recommendation


def assign_body(entry, body):
    """Put the entry with another body of its campaign (an editor's correction of the area it was matched to)."""
    if body is not None and body.campaign_id != entry.campaign_id:
        raise ScreeningError(_("推荐单位不属于这件作品的征集活动。"))
    if hasattr(entry, "recommendation"):
        raise ScreeningError(_("作品已被推荐，不能再改推荐单位。"))
    entry.body = body
    entry.save(update_fields=["body"])
    return entry
