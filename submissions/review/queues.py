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

from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from submissions import workflow
from submissions.experts import selectors as commentaries
from submissions.interview import selectors as interviews
from submissions.models import (
    Campaign,
    Comment,
    CommentaryRequest,
    CommentaryStatus,
    EligibilityCheck,
    Interview,
    InterviewStatus,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewDeadline,
    Showcase,
    Status,
    StatusChange,
    Submission,
)
from submissions.models.status import AWAITING_TRIAGE, BEFORE_REVIEW  # declared once, beside the statuses
from submissions.review.assignments import REVIEW_STATUS_OF_STAGE, current_round
from submissions.workflow import rules
from submissions.workflow.commentaries import TABLE as COMMENTARY_MOVES
from submissions.workflow.interviews import TABLE as INTERVIEW_MOVES

S = Status
A = Showcase.State
COUNT_CAP = 99  # a queue's count on the admin's pages: "99+" beyond


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
    # The campaigns that check eligibility themselves, named first (a handful): without them the
    # planner walked the waiting entries in order for matches that no campaign could give.
    checking = Campaign.objects.filter(uses_recommendation=False).exclude(eligibility_items=[]).values_list("pk", flat=True)
    return Submission.objects.filter(_waits_on_check(), campaign_id__in=list(checking)).order_by("submitted_at", "pk")


def awaiting_decision(user):
    """Entries in a review round whose every assignment of that round is scored: found from the
    assignments of the round each entry is in, never by testing every entry under review (that
    count read all 30 000 of them at 100 000 entries, and its estimate set off PostgreSQL's JIT)."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    unscored = ReviewAssignment.objects.filter(submission=OuterRef("submission"), stage=OuterRef("stage")).exclude(Exists(scored))
    of_current_round = Q(pk__in=[])
    for stage, status in REVIEW_STATUS_OF_STAGE.items():
        of_current_round |= Q(stage=stage, submission__status=status)
    complete = ReviewAssignment.objects.filter(of_current_round).exclude(Exists(unscored)).values("submission")
    return Submission.objects.filter(pk__in=complete).order_by("status_changed_at", "pk")


def accepted_without_article(user):
    """Accepted entries with no article yet (NOT EXISTS: a join's "no article" filter was estimated
    at a few rows, and the queue's page then sorted every accepted entry)."""
    drafted = Showcase.objects.filter(submission=OuterRef("pk"))
    return Submission.objects.filter(~Exists(drafted), status=S.ACCEPTED).order_by("status_changed_at", "pk")


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
    due = ReviewDeadline.objects.filter(campaign=OuterRef("campaign"), stage=OuterRef("queue_stage")).values("due_at")[:1]
    return (
        Submission.objects.filter(Exists(mine))
        .annotate(queue_stage=mine.values("stage")[:1])
        .annotate(queue_due=Subquery(due))
        .select_related("campaign")
        .order_by("pk")
    )


def awaiting_reviews(user):
    """Entries in a review round with an assignment of that round not scored yet: chasing the scores
    is the editors' job. The longest waiting first. Found from the unscored assignments of the round
    each entry is in (as awaiting_decision), never by testing every entry under review."""
    scored = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    of_current_round = Q(pk__in=[])
    for stage, status in REVIEW_STATUS_OF_STAGE.items():
        of_current_round |= Q(stage=stage, submission__status=status)
    pending = ReviewAssignment.objects.filter(of_current_round).exclude(Exists(scored)).values("submission")
    stage = Case(
        *[When(status=status, then=Value(str(stage))) for stage, status in REVIEW_STATUS_OF_STAGE.items()],
        output_field=CharField(),
    )
    due = ReviewDeadline.objects.filter(campaign=OuterRef("campaign"), stage=OuterRef("round_stage")).values("due_at")[:1]
    return (
        Submission.objects.filter(pk__in=pending)
        .annotate(round_stage=stage)
        .annotate(queue_due=Subquery(due))  # the round's due date, where its campaign set one
        .order_by("status_changed_at", "pk")
    )


def _interview_url(obj):
    return reverse("admin:submissions_interview_act", args=[obj.pk])


def _commentary_url(obj):
    return reverse("admin:submissions_commentaryrequest_act", args=[obj.pk])


def comments_to_moderate(user):
    """Readers' comments waiting for an editor to approve or reject them, the oldest first."""
    return Comment.objects.filter(state=Comment.State.PENDING).select_related("showcase").order_by("created_at", "pk")


def _comment_url(obj):
    return reverse("admin:submissions_comment_change", args=[obj.pk])


ENTRY, ARTICLE = workflow.TRANSITIONS, workflow.ARTICLE_TRANSITIONS
INTERVIEW, IS = INTERVIEW_MOVES, InterviewStatus
COMMENTARY, CS = COMMENTARY_MOVES, CommentaryStatus
MODERATE = "submissions.change_comment"  # approving or rejecting a reader's comment (the comments' admin asks the same)
PLAN_INTERVIEW = "submissions.plan_interview"  # an interview planned from the entry (its admin page asks the same)
WRITE_ARTICLE = "submissions.add_showcase"  # an article drafted from an accepted entry (its page asks the same)

QUEUES = [
    Queue("triage", _("待分拣的新报送"), (ENTRY, S.SUBMITTED, S.FIRST_REVIEW), to_triage, _entry_url),
    Queue("eligibility", _("待资格审查"), (ENTRY, S.SUBMITTED, S.ELIGIBLE), to_check, _check_url),
    Queue("decide", _("评分已齐、待决定"), (ENTRY, S.FIRST_REVIEW, S.SECOND_REVIEW), awaiting_decision, _entry_url),
    Queue("reviews", _("待专家评分（催评）"), (ENTRY, S.FIRST_REVIEW, S.SECOND_REVIEW), awaiting_reviews, _entry_url),
    Queue("accepted", _("已采用、待写文章"), WRITE_ARTICLE, accepted_without_article, _entry_url),
    Queue("sent_back", _("签审退回的文章"), (ARTICLE, A.DRAFT, A.AWAITING_SIGNOFF), sent_back, _article_url, Showcase),
    Queue("signoff", _("待签审的文章"), (ARTICLE, A.AWAITING_SIGNOFF, A.SIGNED_OFF), awaiting_signoff, _article_url, Showcase),
    Queue("scheduled", _("定时发布的文章"), (ARTICLE, A.SCHEDULED, A.PUBLISHED), _articles(A.SCHEDULED), _article_url, Showcase),
    Queue("comments", _("待审核的读者评论"), MODERATE, comments_to_moderate, _comment_url, Comment),
    # 专题融媒采访: the editors who plan interviews (they may cancel a proposal, propose again, close one as done).
    Queue("to_interview", _("已入围、尚未安排采访"), PLAN_INTERVIEW, interviews.not_yet_planned, _entry_url),
    Queue(
        "interview_proposed",
        _("采访待对方确认"),
        (INTERVIEW, IS.PROPOSED, IS.CANCELLED),
        interviews.awaiting_contact,
        _interview_url,
        Interview,
    ),
    Queue(
        "interview_rescheduling",
        _("对方提议改期"),
        (INTERVIEW, IS.RESCHEDULING, IS.PROPOSED),
        interviews.rescheduling,
        _interview_url,
        Interview,
    ),
    Queue(
        "interview_upcoming",
        _("已约定的采访"),
        (INTERVIEW, IS.CONFIRMED, IS.DONE),
        interviews.upcoming,
        _interview_url,
        Interview,
    ),
    Queue(
        "interview_report", _("采访稿待交"), (INTERVIEW, IS.CONFIRMED, IS.DONE), interviews.report_due, _interview_url, Interview
    ),
    # 专家智库: the editors who request commentaries (they accept one or ask for a revision, or withdraw a late request).
    Queue(
        "commentary_written",
        _("专家点评待审"),
        (COMMENTARY, CS.WRITTEN, CS.ACCEPTED),
        commentaries.awaiting_review,
        _commentary_url,
        CommentaryRequest,
    ),
    Queue(
        "commentary_overdue",
        _("专家点评逾期未交"),
        (COMMENTARY, CS.REQUESTED, CS.WITHDRAWN),
        commentaries.overdue,
        _commentary_url,
        CommentaryRequest,
    ),
    Queue("score", _("待我评分的作品"), rules.SCORE, to_score, _score_url),
]
BY_NAME = {q.name: q for q in QUEUES}


def queues_for(user):
    """The queues whose work this user may do, in the order above. A reviewer who is also an editor gets both."""
    return [q for q in QUEUES if q.seen_by(user)]


def get(user, name):
    queue = BY_NAME.get(name)
    return queue if queue is not None and queue in queues_for(user) else None


def bounded_count(queue, user, cap=None):
    """How many items the queue holds, counting at most cap + 1 of them: above cap, the page says
    "cap+" (an exact count of a long queue reads every item, and grows with the table)."""
    cap = COUNT_CAP if cap is None else cap
    return queue.items(user).order_by().values("pk")[: cap + 1].count()


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
