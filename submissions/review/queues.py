"""Each role's waiting work (待办), as a registry of named queues: who sees it, what is in it, in
which order, and where one item is handled. The admin's first page counts them; a queue's page
lists it; "next" walks from one item to the following one in the same queue.

A queue is seen by whoever may do the work it waits for, asked as the work itself asks: a move of the
workflow's tables (workflow.may: the same permissions as the move's buttons), or a permission (writing an
article, scoring). No queue names a role.

A queue is a selector: it reads, never writes. Adding one is one `Queue(...)` in QUEUES.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from submissions import workflow
from submissions.models import (
    EligibilityCheck,
    Recommendation,
    Review,
    ReviewAssignment,
    Showcase,
    Status,
    StatusChange,
    Submission,
)
from submissions.models.status import AWAITING_TRIAGE, BEFORE_REVIEW  # declared once, beside the statuses
from submissions.review.assignments import REVIEW_STATUS_OF_STAGE, current_round
from submissions.workflow import rules

S = Status
A = Showcase.State


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    work: object  # what its items wait for: a move (table, from, to) of a workflow machine, or a permission
    items: Callable  # user -> queryset, in queue order (the order "next" follows)
    url: Callable  # obj -> admin URL where it is handled
    model: type = Submission

    def seen_by(self, user):
        """Whether the user may do the work this queue waits for, in the newsroom (a body's account, which
        may check its own area's entries, works in its own workspace: /recommend/)."""
        if not rules.in_newsroom(user):
            return False
        if isinstance(self.work, str):
            return user.has_perm(self.work)
        table, frm, to = self.work
        return workflow.may(user, table[(frm, to)])


def _entry_url(obj):
    return reverse("admin:submissions_submission_change", args=[obj.pk])


def _check_url(obj):
    return reverse("recommend:entry", args=[obj.pk])


def _article_url(obj):
    return reverse("admin:submissions_showcase_change", args=[obj.pk])


def _score_url(obj):
    return reverse("admin:submissions_submission_score", args=[obj.pk, obj.queue_stage])


def _held_by_screening():
    """Entries their campaign's screening still holds before review (as workflow.screening's rules
    read it): before review, in a campaign that screens, without a passed eligibility check or,
    where the campaign asks for it, without their body's recommendation."""
    passed = Exists(EligibilityCheck.objects.filter(submission=OuterRef("pk"), passed=True))
    recommended = Exists(Recommendation.objects.filter(submission=OuterRef("pk")))
    screens = ~Q(campaign__eligibility_items=[]) | Q(campaign__uses_recommendation=True)
    unscreened = ~passed | (Q(campaign__uses_recommendation=True) & ~recommended)
    return Q(status__in=BEFORE_REVIEW) & screens & unscreened


def _waits_on_body():
    """Held by screening in a campaign with recommendation, with a body to check and recommend it
    (its workspace, /recommend/). One without a body waits on the editors (to give it one): triage."""
    return _held_by_screening() & Q(campaign__uses_recommendation=True, body__isnull=False)


def _waits_on_check():
    """Held by screening in a campaign without recommendation: the editors check its eligibility."""
    return _held_by_screening() & Q(campaign__uses_recommendation=False, status__in=[S.SUBMITTED, S.RESUBMITTED])


def to_triage(user):
    """Waiting for an editor's first look: not while a body or the eligibility check still holds it."""
    return (
        Submission.objects.filter(status__in=AWAITING_TRIAGE)
        .exclude(_waits_on_body() | _waits_on_check())
        .order_by("submitted_at", "pk")
    )


def to_check(user):
    """Entries whose eligibility the editors check (待资格审查), in the order they came in; handled in
    the screening workspace. Only for who reads every entry (a body's account works in its own workspace)."""
    if not rules.reads_every_entry(user):
        return Submission.objects.none()
    return Submission.objects.filter(_waits_on_check()).order_by("submitted_at", "pk")


def awaiting_decision(user):
    """Entries in a review round whose every assignment of that round is scored."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    condition = Q(pk__in=[])
    for stage, status in REVIEW_STATUS_OF_STAGE.items():
        of_round = ReviewAssignment.objects.filter(submission=OuterRef("pk"), stage=stage)
        condition |= Q(Exists(of_round), ~Exists(of_round.exclude(Exists(scored))), status=status)
    return Submission.objects.filter(condition).order_by("status_changed_at", "pk")


def accepted_without_article(user):
    return Submission.objects.filter(status=S.ACCEPTED, showcase__isnull=True).order_by("status_changed_at", "pk")


def _articles(state):
    return lambda user: Showcase.objects.filter(state=state).order_by("updated_at", "pk")


def awaiting_signoff(user):
    """Articles sent for sign-off (提交签审), for a chief editor: never their own (nobody signs off what they edited)."""
    return Showcase.objects.filter(state=A.AWAITING_SIGNOFF).exclude(responsible_editor=user).order_by("updated_at", "pk")


def sent_back(user):
    """The editor's articles a chief editor sent back from sign-off with a note (articles.sent_back shows it)."""
    last = StatusChange.objects.filter(showcase=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Showcase.objects.filter(state=A.DRAFT, responsible_editor=user)
        .annotate(last_from=Subquery(last.values("from_status")[:1]))
        .filter(last_from=A.AWAITING_SIGNOFF)
        .order_by("updated_at", "pk")
    )


def to_score(user):
    """The reviewer's entries still to score, in the round the entry is in now (not an old round's)."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=user, stage=OuterRef("stage"))
    mine = ReviewAssignment.objects.filter(current_round(), submission=OuterRef("pk"), reviewer=user).exclude(Exists(scored))
    return (
        Submission.objects.filter(Exists(mine))
        .annotate(queue_stage=mine.values("stage")[:1])
        .select_related("campaign")
        .order_by("pk")
    )


ENTRY, ARTICLE = workflow.TRANSITIONS, workflow.ARTICLE_TRANSITIONS
WRITE_ARTICLE = "submissions.add_showcase"  # an article drafted from an accepted entry (its page asks the same)

QUEUES = [
    Queue("triage", _("待分拣的新报送"), (ENTRY, S.SUBMITTED, S.FIRST_REVIEW), to_triage, _entry_url),
    Queue("eligibility", _("待资格审查"), (ENTRY, S.SUBMITTED, S.ELIGIBLE), to_check, _check_url),
    Queue("decide", _("评分已齐、待决定"), (ENTRY, S.FIRST_REVIEW, S.SECOND_REVIEW), awaiting_decision, _entry_url),
    Queue("accepted", _("已采用、待写文章"), WRITE_ARTICLE, accepted_without_article, _entry_url),
    Queue("sent_back", _("签审退回的文章"), (ARTICLE, A.DRAFT, A.AWAITING_SIGNOFF), sent_back, _article_url, Showcase),
    Queue("signoff", _("待签审的文章"), (ARTICLE, A.AWAITING_SIGNOFF, A.SIGNED_OFF), awaiting_signoff, _article_url, Showcase),
    Queue("scheduled", _("定时发布的文章"), (ARTICLE, A.SCHEDULED, A.PUBLISHED), _articles(A.SCHEDULED), _article_url, Showcase),
    Queue("score", _("待我评分的作品"), rules.SCORE, to_score, _score_url),
]
BY_NAME = {q.name: q for q in QUEUES}


def queues_for(user):
    """The queues whose work this user may do, in the order above. A reviewer who is also an editor gets both."""
    return [q for q in QUEUES if q.seen_by(user)]


def get(user, name):
    queue = BY_NAME.get(name)
    return queue if queue is not None and queue in queues_for(user) else None


def following(queue, user, after_pk):
    """The item after `after_pk` in the queue's order (the first one if it is no longer in it), or None."""
    items = list(queue.items(user).values_list("pk", flat=True)[:500])
    if after_pk in items:
        index = items.index(after_pk) + 1
        rest = items[index:]
    else:
        rest = items
    rest = [pk for pk in rest if pk != after_pk]
    return queue.items(user).filter(pk=rest[0]).first() if rest else None
