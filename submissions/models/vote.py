"""The public vote (网络投票) on a campaign's standing entries: its settings, the voters' codes,
every vote kept for audit, and the per-minute counter the public page reads.

One vote per voter per entry per Beijing day is the unique constraint on Vote, not a check in
code, so two requests at once cannot both get in. A voter is known only by a keyed hash of the
mobile number (submissions/vote/services.py), an address, device or browser only by theirs:
the audit keeps what a decision needs, not who voted.

A vote counts while COUNTED or once an editor ACCEPTED it; a HELD one waits for that decision
and a REJECTED one never counts. The reasons it was flagged stay on the vote.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VoteSettings(models.Model):
    """The vote of one campaign: on or off, its window, its weight in the final score, the daily cap.
    Kept apart from Campaign so that the campaign's table is not touched by the vote."""

    campaign = models.OneToOneField(
        "submissions.Campaign", on_delete=models.CASCADE, related_name="vote_settings", verbose_name=_("征集活动")
    )
    enabled = models.BooleanField(_("开启网络投票"), default=False)
    opens_at = models.DateTimeField(_("投票开始时间"))
    closes_at = models.DateTimeField(_("投票截止时间"))
    weight = models.PositiveSmallIntegerField(
        _("投票权重（%）"),
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_("网络投票在最终得分中所占的百分比，其余为专家评分。"),
    )
    daily_cap = models.PositiveSmallIntegerField(
        _("每人每日限投（票）"), default=10, validators=[MinValueValidator(1)], help_text=_("同一手机号每天最多可投的票数。")
    )

    class Meta:
        app_label = "submissions"
        verbose_name = _("网络投票设置")
        verbose_name_plural = _("网络投票设置")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="vote_window_order"),
            models.CheckConstraint(condition=models.Q(weight__lte=100), name="vote_weight_percent"),
        ]

    def __str__(self):
        return str(self.campaign)


class VoteCode(models.Model):
    """A confirmation code sent to a mobile number: only its keyed hash is kept, with its expiry and tries."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "submissions"
        verbose_name = _("投票验证码")
        verbose_name_plural = _("投票验证码")

    def __str__(self):
        return f"{self.phone_hash[:10]} @ {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    """One vote, kept whatever became of it (the audit log): who (hashes only), for what, when, and its fate."""

    class State(models.TextChoices):
        COUNTED = "counted", pgettext_lazy("vote", "有效")  # a certificate is 有效 too, in English "valid"
        HELD = "held", _("待审核")
        ACCEPTED = "accepted", _("审核通过")
        REJECTED = "rejected", _("审核不通过")

    campaign = models.ForeignKey(
        "submissions.Campaign", on_delete=models.CASCADE, related_name="votes", verbose_name=_("征集活动")
    )
    entry = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="votes", verbose_name=_("作品"))
    voter = models.CharField(_("投票人（手机号摘要）"), max_length=64)
    day = models.DateField(_("投票日（北京时间）"))
    created_at = models.DateTimeField(_("投票时间"), db_index=True)
    address = models.CharField(_("地址摘要"), max_length=64, blank=True)
    network = models.CharField(_("网段摘要"), max_length=64, blank=True, db_index=True)
    agent = models.CharField(_("浏览器摘要"), max_length=64, blank=True)
    device = models.CharField(_("设备摘要"), max_length=64, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.COUNTED, db_index=True)
    reasons = models.JSONField(_("标记原因"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("审核人")
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    COUNTING = (State.COUNTED, State.ACCEPTED)

    class Meta:
        app_label = "submissions"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        permissions = [("moderate_vote", _("可以审核网络投票"))]
        constraints = [models.UniqueConstraint(fields=["voter", "entry", "day"], name="vote_once_per_entry_per_day")]
        indexes = [
            models.Index(fields=["entry", "created_at"], name="vote_entry_time"),
            models.Index(fields=["campaign", "voter", "day"], name="vote_voter_day"),
            models.Index(fields=["campaign", "state"], name="vote_campaign_state"),
        ]

    def __str__(self):
        return f"{self.entry_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class VoteTally(models.Model):
    """The counted votes of one entry as of the last refresh (every minute): what the public page shows."""

    campaign = models.ForeignKey("submissions.Campaign", on_delete=models.CASCADE, related_name="+")
    entry = models.OneToOneField("submissions.Submission", on_delete=models.CASCADE, related_name="vote_tally")
    votes = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        app_label = "submissions"
        verbose_name = _("票数")
        verbose_name_plural = _("票数")

    def __str__(self):
        return f"{self.entry_id}: {self.votes}"
