from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.campaign import Campaign, Criterion, Region
from submissions.models.status import Status
from submissions.models.submission import Submission


class Stage(models.TextChoices):
    FIRST = "first", _("初审")
    SECOND = "second", _("复审")
    FINAL = "final", _("终审")


# The round an entry is scored in follows from its status (the ASSIGNABLE ones); other statuses are not given to reviewers.
STAGE_OF_STATUS = {
    Status.SUBMITTED: Stage.FIRST,
    Status.ELIGIBLE: Stage.FIRST,
    Status.RECOMMENDED: Stage.FIRST,
    Status.RESUBMITTED: Stage.FIRST,
    Status.FIRST_REVIEW: Stage.FIRST,
    Status.SECOND_REVIEW: Stage.SECOND,
    Status.SHORTLISTED: Stage.FINAL,
    Status.FINAL_REVIEW: Stage.FINAL,
}


class ReviewAssignment(models.Model):
    """A reviewer asked to score one entry in one round. Reviewers see only what they are assigned."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("报送作品"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments", verbose_name=_("评审专家")
    )
    stage = models.CharField(_("评审轮次"), max_length=10, choices=Stage.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("分派人")
    )
    assigned_at = models.DateTimeField(_("分派时间"), auto_now_add=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("评审分派")
        verbose_name_plural = _("评审分派")
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer", "stage"], name="assignment_unique"),
        ]
        indexes = [models.Index(fields=["reviewer", "stage"], name="assignment_reviewer_stage")]

    def __str__(self):
        return f"{self.reviewer} · {self.get_stage_display()} · {self.submission}"


class Review(models.Model):
    """One reviewer's scores and comment on one entry in one round."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("报送作品"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("评审专家")
    )
    stage = models.CharField(_("评审轮次"), max_length=10, choices=Stage.choices)
    comment = models.TextField(_("评语"), blank=True, max_length=2000)
    total = models.DecimalField(_("加权得分"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("评分时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评审意见")
        verbose_name_plural = _("评审意见")
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer", "stage"], name="review_one_per_reviewer_stage"),
        ]

    def __str__(self):
        return f"{self.reviewer} · {self.get_stage_display()} · {self.total}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("评分项"))
    score = models.PositiveSmallIntegerField(_("得分"))

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("单项得分")
        verbose_name_plural = _("单项得分")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion")]

    def __str__(self):
        return f"{self.criterion.name}: {self.score}"


class ReviewerProfile(models.Model):
    """What a reviewer declared about themselves, for conflicts of interest when entries are distributed."""

    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile", verbose_name=_("评审专家")
    )
    affiliations = models.TextField(
        _("所属单位"),
        blank=True,
        max_length=2000,
        help_text=_("评审专家任职或有利害关系的党组织、单位，每行一个；同名或为作品上级党组织的作品不分派给他。"),
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("所在市")
    )

    class Meta:
        verbose_name = _("评审专家回避信息")
        verbose_name_plural = _("评审专家回避信息")

    def __str__(self):
        return str(self.reviewer)

    def affiliation_list(self):
        return [line.strip() for line in self.affiliations.splitlines() if line.strip()]


class ReviewDeadline(models.Model):
    """When a campaign's round (初审, 复审, 终审) is due: shown to its reviewers, and the reviewers who
    have not scored are reminded before it (review/reminders.py). A row, not three fields on Campaign:
    the reminders sent refer to it, and a new round is a new choice of Stage, not a new column."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="review_deadlines", verbose_name=_("征集活动"))
    stage = models.CharField(_("评审轮次"), max_length=10, choices=Stage.choices)
    due_at = models.DateTimeField(_("评分截止时间"))

    class Meta:
        ordering = ["campaign", "due_at", "pk"]
        verbose_name = _("评审截止时间")
        verbose_name_plural = _("评审截止时间")
        constraints = [models.UniqueConstraint(fields=["campaign", "stage"], name="review_deadline_unique")]

    def __str__(self):
        return f"{self.get_stage_display()} · {self.due_at:%Y-%m-%d %H:%M}"


class ReviewReminder(models.Model):
    """One automatic reminder sent to one reviewer before a round's due date: `days` before `due_at`
    (a due date moved later is reminded of again). The unique constraint makes sending it twice, or
    by two workers at once, impossible."""

    deadline = models.ForeignKey(
        ReviewDeadline, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("评审截止时间")
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("评审专家"))
    days = models.PositiveSmallIntegerField(_("提前天数"))
    due_at = models.DateTimeField(_("当时的截止时间"))
    entries = models.PositiveIntegerField(_("提醒的作品数"), default=0)
    sent_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("评审催评记录")
        verbose_name_plural = _("评审催评记录")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "reviewer", "days", "due_at"], name="review_reminder_once"),
        ]

    def __str__(self):
        return f"{self.reviewer} · {self.deadline} · {self.days}"
