from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.campaign import Campaign
from submissions.models.submission import Submission


class MailboxMessage(models.Model):
    """A message fetched from the campaign mailbox (邮箱来稿), waiting in the editors' intake queue.

    It holds the draft read from the message (its fields and sections, from the Word attachment
    when there is one); its photos and attachments are staged Photo / Attachment rows whose keys
    start with `mail-` (kept until the message is entered or rejected). An editor opens it in
    the intake form, corrects it and enters it (the entry then goes through the workflow), or
    rejects it. Keyed on the Message-ID: a message is never imported twice.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        ENTERED = "entered", _("已代录入")
        REJECTED = "rejected", _("已拒收")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="mailbox_messages", verbose_name=_("征集活动"))
    message_id = models.CharField(_("邮件标识（Message-ID）"), max_length=500, unique=True)
    sender = models.CharField(_("发件人"), max_length=300, blank=True)
    sender_email = models.EmailField(_("发件人邮箱"), blank=True)
    subject = models.CharField(_("主题"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)
    sent_at = models.DateTimeField(_("发信时间"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("收取时间"), auto_now_add=True)
    draft = models.JSONField(_("读出的内容"), default=dict, blank=True)
    photo_keys = models.JSONField(default=list, blank=True)
    attachment_keys = models.JSONField(default=list, blank=True)
    notes = models.TextField(_("读取说明"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    entry = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="mailbox_message", verbose_name=_("报送作品")
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("处理人")
    )

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        verbose_name = _("邮箱来稿")
        verbose_name_plural = _("邮箱来稿")
        indexes = [models.Index(fields=["outcome", "-fetched_at"], name="mailbox_outcome_time")]

    def __str__(self):
        return self.subject or self.message_id
