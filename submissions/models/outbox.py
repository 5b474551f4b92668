from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.submission import Submission


class NotificationTemplate(models.Model):
    """The text of one kind of e-mail, editable by editors: plain text with named placeholders
    ({{ reference }} …, submissions/platform/mailtemplates.py), never a Django template."""

    event = models.CharField(_("事件"), max_length=30, unique=True)
    description = models.CharField(_("用途"), max_length=100, blank=True)
    subject = models.CharField(_("邮件标题"), max_length=200)
    body = models.TextField(_("邮件正文"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event"]
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")

    def __str__(self):
        return f"{self.description or self.event}"


class OutboxMessage(models.Model):
    """Every e-mail the portal sends, kept; a failed send stays here and is retried."""

    class State(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    event = models.CharField(_("事件"), max_length=30)
    to = models.EmailField(_("收件人"))
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages", verbose_name=_("报送作品")
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("发件记录")
        verbose_name_plural = _("发件箱")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.to}: {self.subject}"
