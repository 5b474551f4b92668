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
    rejects it.

    Keyed on a hash of the whole Message-ID (`message_key`) and of what the message says
    (`fingerprint`: its sender and body, not the headers a server adds): the same message
    fetched again is never imported twice, while another message that reuses an earlier one's
    Message-ID is imported and points at it (`same_id_as`). The IMAP UID plays no part.

    A message that cannot be read is quarantined (`QUARANTINED`, with `failure`) at its first
    failure and the fetch moves past it; its raw bytes (`raw`, private) stay for download and
    for the editors' retry.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        ENTERED = "entered", _("已代录入")
        REJECTED = "rejected", _("已拒收")
        QUARANTINED = "quarantined", _("读取失败（已隔离）")

    class SenderCheck(models.TextChoices):
        PASSED = "passed", _("发件人已验证")
        UNVERIFIED = "unverified", _("发件人未验证")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="mailbox_messages", verbose_name=_("征集活动"))
    message_id = models.TextField(_("邮件标识（Message-ID）"), blank=True)
    message_key = models.CharField(_("邮件标识摘要"), max_length=64, db_index=True, default="")
    fingerprint = models.CharField(_("内容摘要"), max_length=64, default="")
    same_id_as = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Message-ID 相同的来稿")
    )
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
    raw = models.FileField(_("原始邮件"), upload_to="mailbox/", blank=True)
    failure = models.TextField(_("读取失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("读取次数"), default=0)
    sender_check = models.CharField(_("发件人验证"), max_length=20, choices=SenderCheck.choices, default=SenderCheck.UNVERIFIED)
    sender_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("核实发件人")
    )
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
        constraints = [
            models.UniqueConstraint(fields=["campaign", "message_key", "fingerprint"], name="mailbox_message_once"),
        ]

    def __str__(self):
        return self.subject or self.message_id[:100]
