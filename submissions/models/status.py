"""The statuses of an entry and the states of an article, their groupings, and the history of moves.

The allowed moves between them (the tables, and who may make each) live in submissions.workflow;
the named groupings that other modules need (what is open, what may be scored, what the
submitter may still edit, …) are declared here once, beside the statuses, so that models
(constraints), the workflow, the admin and the views all use the same sets.

StatusChange lives here, apart from the models it points to, so that no model module imports
another to label a step.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Statuses of an entry. The allowed moves between them live in submissions.workflow."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    ELIGIBLE = "eligible", _("资格审查通过")
    RECOMMENDED = "recommended", _("已推荐")
    FIRST_REVIEW = "first_review", _("初审中")
    SECOND_REVIEW = "second_review", _("复审中")
    SHORTLISTED = "shortlisted", _("已入围")
    FINAL_REVIEW = "final_review", _("终审中")
    RETURNED = "returned", _("退回修改")
    RESUBMITTED = "resubmitted", _("已重新报送")
    ACCEPTED = "accepted", _("已采用")
    DECLINED = "declined", _("不予采用")
    PUBLISHED = "published", _("已发表")
    WITHDRAWN = "withdrawn", _("已撤回")


class ArticleState(models.TextChoices):
    """States of a showcase article (Showcase.State). The moves live in submissions.workflow."""

    DRAFT = "draft", _("编辑中")
    AWAITING_SIGNOFF = "awaiting_signoff", _("待签审")
    SIGNED_OFF = "signed_off", _("已签审")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    UNPUBLISHED = "unpublished", _("已撤稿")


S, A = Status, ArticleState

# Groupings of entry statuses (each declared once; import them from here or submissions.workflow).
REVIEW_STATUSES = (S.FIRST_REVIEW, S.SECOND_REVIEW, S.FINAL_REVIEW)
# Being worked on: neither a draft nor decided (accepted, declined, published) nor withdrawn.
# Screened before review, where the campaign asks (资格审查, 逐级推荐: submissions/recommend).
SCREENED = (S.ELIGIBLE, S.RECOMMENDED)
OPEN_STATUSES = (S.SUBMITTED, *SCREENED, *REVIEW_STATUSES, S.SHORTLISTED, S.RETURNED, S.RESUBMITTED)
# Open and with the editors (not back with the submitter): may be returned or declined.
WITH_EDITORS = (S.SUBMITTED, *SCREENED, *REVIEW_STATUSES, S.SHORTLISTED, S.RESUBMITTED)
# May still be withdrawn by the submitter.
WITHDRAWABLE = (S.DRAFT, *OPEN_STATUSES)
# Waiting for an editor's first look (the editor's triage queue).
AWAITING_TRIAGE = (S.SUBMITTED, *SCREENED, S.RESUBMITTED)
# Past the shortlist and not decided against: an interview can be planned (the queue of those not yet interviewed).
AFTER_SHORTLIST = (S.SHORTLISTED, S.ACCEPTED)
# Before review: where eligibility is checked and the superior body recommends (their moves and queue).
BEFORE_REVIEW = (S.SUBMITTED, S.RESUBMITTED, S.ELIGIBLE)
# Not a live entry: left out of duplicate detection and of the one-brand-per-campaign constraint.
NOT_LIVE = (S.DRAFT, S.WITHDRAWN)
# Scoring is closed: reviews are neither asked for nor accepted.
SCORING_CLOSED = frozenset({S.DRAFT, S.ACCEPTED, S.DECLINED, S.PUBLISHED, S.WITHDRAWN})
# Reviewers may be assigned.
ASSIGNABLE = frozenset(OPEN_STATUSES) - {S.RETURNED}
# The submitter may edit the entry through the tracking link.
EDITABLE = (S.DRAFT, S.RETURNED)
# May be made into a new article (a published entry keeps the article it was published with).
ARTICLE_SOURCE = (S.ACCEPTED,)
# Stands in a campaign's public vote (网络投票): shortlisted and later, not withdrawn or declined.
VOTE_STANDING = (S.SHORTLISTED, S.FINAL_REVIEW, S.ACCEPTED, S.PUBLISHED)

# Groupings of article states.
# Holds a valid sign-off (voided by any change to what a reader sees or what routes the article).
SIGNED = (A.SIGNED_OFF, A.SCHEDULED)
# Public: shown to readers.
LIVE = (A.PUBLISHED,)
# Reached only with an acceptable source entry (Showcase.source_problem): on the way to the column, or on it.
SOURCED = (A.AWAITING_SIGNOFF, A.SIGNED_OFF, A.SCHEDULED, A.PUBLISHED)
# The source entry may be changed (no sign-off and not live).
SOURCE_CHANGEABLE = (A.DRAFT, A.AWAITING_SIGNOFF, A.SIGNED_OFF, A.SCHEDULED, A.UNPUBLISHED)


class Step(models.Model):
    """One move of anything a workflow machine moves: who moved it, when, from what, to what and why.

    The history of entries and articles (StatusChange), of certificates and of objections share
    these columns; each names its subject and the statuses its labels come from (`labels()`).
    Written only by submissions.workflow.transition(), through its machine's `record`.
    """

    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    actor_role = models.CharField(_("操作身份"), max_length=20)
    note = models.TextField(_("内部备注"), blank=True)
    message = models.TextField(_("说明"), blank=True)
    via = models.CharField(_("操作途径"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.from_label or '—'} → {self.to_label}"

    def labels(self):
        """The TextChoices this step's statuses are labelled by."""
        raise NotImplementedError

    def _label(self, value):
        if not value:
            return ""
        choices = self.labels()
        return choices(value).label if value in choices.values else value

    @property
    def from_label(self):
        return self._label(self.from_status)

    @property
    def to_label(self):
        return self._label(self.to_status)


class StatusChange(Step):
    """One step of an entry's or an article's history: who moved it, when, from what, to what and why.

    An entry's steps have `submission` set; an article's steps have `showcase` set (statuses are
    then ArticleState values). Written only by submissions.workflow.transition().
    """

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="history", null=True, blank=True
    )
    showcase = models.ForeignKey("submissions.Showcase", on_delete=models.CASCADE, related_name="history", null=True, blank=True)
    message = models.TextField(_("给报送单位的说明"), blank=True)

    class Meta:
        app_label = "submissions"
        ordering = ["submission", "created_at", "pk"]
        verbose_name = _("状态记录")
        verbose_name_plural = _("状态记录")
        indexes = [
            models.Index(fields=["submission", "created_at"], name="history_sub_time"),
            models.Index(fields=["showcase", "created_at"], name="history_showcase_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission__isnull=False, showcase__isnull=True)
                | models.Q(submission__isnull=True, showcase__isnull=False),
                name="history_one_subject",
            )
        ]

    def labels(self):
        return Status if self.submission_id else ArticleState
