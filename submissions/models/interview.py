"""专题融媒采访: an interview of a shortlisted or accepted entry, planned by an editor, agreed with the
entry's contact on its tracking page, and reported on by the reporters after the visit.

An interview is proposed with two or three dates (InterviewDate); the contact picks one (confirmed)
or asks for another (rescheduling, with their own date and a message), and the editor proposes
again. Its status moves only through workflow.transition() (submissions.workflow.interviews); its
history is InterviewStep. The reporters' notes and photos (Photo rows of the entry, made by the
platform's image pipeline) come back after the visit, and the article's draft can use them.

CalendarKey holds the per-person secret that signs a staff member's calendar feed link: a new
secret revokes the old link.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.status import Step
from submissions.models.submission import Photo, Submission


class InterviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("待对方确认")
    RESCHEDULING = "rescheduling", _("对方提议改期")
    CONFIRMED = "confirmed", _("已确定")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


OPEN_INTERVIEW = (InterviewStatus.PROPOSED, InterviewStatus.RESCHEDULING, InterviewStatus.CONFIRMED)


def _token():
    return uuid.uuid4().hex


class Interview(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("报送作品"))
    reporters = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews_reported", verbose_name=_("文字记者"))
    photographer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews_photographed",
        verbose_name=_("摄影记者"),
    )
    place = models.CharField(_("采访地点"), max_length=200, blank=True)
    notes = models.TextField(_("采访说明"), blank=True, help_text=_("显示在报送单位的查询页面和邮件中，例如需要准备的材料。"))
    duration_minutes = models.PositiveSmallIntegerField(_("预计时长（分钟）"), default=120)
    status = models.CharField(
        _("状态"), max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.PROPOSED, editable=False
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    chosen_at = models.DateTimeField(_("采访时间"), null=True, blank=True, editable=False)
    counter_at = models.DateTimeField(_("对方提议的时间"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(_("取消原因"), blank=True, editable=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True, editable=False)
    report = models.TextField(_("采访笔记"), blank=True)
    photos = models.ManyToManyField(Photo, blank=True, related_name="+", verbose_name=_("采访照片"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("策划编辑")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("融媒采访")
        verbose_name_plural = _("融媒采访")
        permissions = [
            ("plan_interview", _("Can plan interviews")),
            ("report_interview", _("Can report on an interview one is sent to")),
        ]
        indexes = [models.Index(fields=["status", "chosen_at"], name="interview_status_when")]

    def __str__(self):
        return f"{self.submission.org_name} {self.submission.brand_display}"

    @property
    def is_open(self):
        return self.status in OPEN_INTERVIEW


class InterviewDate(models.Model):
    """One of the dates proposed to the contact (two or three at a time)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="dates")
    starts_at = models.DateTimeField(_("建议时间"))

    class Meta:
        ordering = ["interview", "starts_at", "pk"]
        verbose_name = _("建议采访时间")
        verbose_name_plural = _("建议采访时间")

    def __str__(self):
        return str(self.starts_at)


class InterviewStep(Step):
    """One step of an interview's history. Written only by transition()."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="history")

    class Meta:
        ordering = ["interview", "created_at", "pk"]
        verbose_name = _("采访记录")
        verbose_name_plural = _("采访记录")

    def labels(self):
        return InterviewStatus


class CalendarKey(models.Model):
    """The secret a staff member's calendar feed link is signed with; replacing it revokes the link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_key")
    secret = models.CharField(max_length=32, default=_token)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日历订阅密钥")
        verbose_name_plural = _("日历订阅密钥")

    def __str__(self):
        return str(self.user)
