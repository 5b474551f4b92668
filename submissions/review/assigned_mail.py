"""The 评审分派通知 ("assigned", an editable NotificationTemplate): the list of entries a reviewer is to
score, each with its round, the round's due date where its campaign set one (ReviewDeadline), the
entry's reference and brand (never who sent it) and a link to score it. The same mail tells a
reviewer of new assignments (submissions.review.assignments) and chases their scores
(submissions.review.reminders)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from submissions.models import ReviewDeadline
from submissions.platform import mail
from submissions.platform.people import display_name

EVENT = "assigned"
DUE_FORMAT = "n月j日 H:i"  # Beijing time


def due_label(moment):
    return formats.date_format(timezone.localtime(moment), DUE_FORMAT)


def due_dates(assignments):
    """{(campaign id, stage): due_at} of the rounds of these assignments that have a due date."""
    campaigns = {a.submission.campaign_id for a in assignments}
    rows = ReviewDeadline.objects.filter(campaign__in=campaigns).values_list("campaign_id", "stage", "due_at")
    return {(campaign, stage): due for campaign, stage, due in rows}


def items(assignments, dues):
    """The mail's list: the round (with its due date), the entry's reference and brand, the link."""
    result = []
    for a in assignments:
        due = dues.get((a.submission.campaign_id, a.stage))
        stage = a.get_stage_display()
        if due is not None:
            stage = _("%(stage)s（截止 %(due)s）") % {"stage": stage, "due": due_label(due)}
        result.append(
            {
                "stage": stage,
                "reference": a.submission.reference,
                "brand": a.submission.brand_display,
                "url": mail.absolute(reverse("admin:submissions_submission_score", args=[a.submission_id, a.stage])),
            }
        )
    return result


def send(reviewer, assignments, dues=None):
    """One mail to the reviewer listing these assignments; `dues` (due_dates()) is read when not given."""
    if not reviewer.email or not assignments:
        return None
    context = {
        "reviewer_name": display_name(reviewer),
        "assignments": items(assignments, due_dates(assignments) if dues is None else dues),
        "queue_url": mail.absolute(reverse("admin:submissions_submission_next_unscored")),
    }
    return mail.queue(EVENT, reviewer.email, context)


def reviewers_assigned(reviewer, assignments):
    """Tell a reviewer which entries were just given to them, with their rounds' due dates."""
    return send(reviewer, assignments)
