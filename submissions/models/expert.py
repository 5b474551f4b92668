"""专家智库: the expert panel, and the commentaries (专家点评) editors ask of them.

An Expert is a person with a name, a title and an affiliation, a public page (slug), and optionally
an account of their own (no admin access: they write on one focused page). A CommentaryRequest asks
one expert to comment on one entry (its article, when there is one, is `submission.showcase`) by a
due date; the expert writes the commentary and, if they wish, a short brand diagnosis (品牌诊断) the
organization reads on its tracking page. Its status moves only through workflow.transition()
(submissions.workflow.commentaries); its history is CommentaryStep. The signed link the expert is
mailed embeds `link_secret`: a new secret revokes every link sent before.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from submissions.models.status import Step
from submissions.models.submission import Submission

TEXT_MAX = 1500  # the commentary, as the paper prints it
DIAGNOSIS_MAX = 500  # the brand diagnosis: short


def _secret():
    return uuid.uuid4().hex


class Expert(models.Model):
    name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(_("职称/职务"), max_length=60, blank=True)
    affiliation = models.CharField(_("单位"), max_length=100, blank=True)
    bio = models.TextField(_("简介"), max_length=600, blank=True)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True, help_text=_("专家公开页面的网址，如 chen-ming。"))
    email = models.EmailField(_("电子邮箱"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
        verbose_name=_("登录账号"),
        help_text=_("可选：专家用此账号登录后撰写点评（不能进入编辑部后台）。"),
    )
    active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("智库专家")
        verbose_name_plural = _("智库专家")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("experts:detail", args=[self.slug])

    @property
    def credit(self):
        """How the article credits them: name, title, affiliation."""
        return "，".join(part for part in (self.name, self.title, self.affiliation) if part)


class CommentaryStatus(models.TextChoices):
    REQUESTED = "requested", _("待撰写")
    WRITTEN = "written", _("已提交")
    ACCEPTED = "accepted", _("已采用")
    DECLINED = "declined", _("专家婉拒")
    WITHDRAWN = "withdrawn", _("已撤回约稿")


class CommentaryRequest(models.Model):
    """专家点评约稿: one expert asked for one entry's commentary by a due date."""

    Status = CommentaryStatus

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="requests", verbose_name=_("专家"))
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="commentary_requests", verbose_name=_("报送作品")
    )
    due_at = models.DateTimeField(_("截稿时间"))
    brief = models.TextField(_("约稿说明"), max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("约稿编辑")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CommentaryStatus.choices, default=CommentaryStatus.REQUESTED, editable=False
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    text = models.TextField(_("点评"), max_length=TEXT_MAX, blank=True, editable=False)
    diagnosis = models.TextField(_("品牌诊断"), max_length=DIAGNOSIS_MAX, blank=True, editable=False)
    link_secret = models.CharField(max_length=32, default=_secret, editable=False)
    reminders_sent = models.PositiveSmallIntegerField(_("已提醒次数"), default=0, editable=False)
    reminded_at = models.DateTimeField(_("最近提醒"), null=True, blank=True, editable=False)
    written_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("采用时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("约稿时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("专家点评")
        verbose_name_plural = _("专家点评")
        permissions = [
            ("request_commentary", _("Can request an expert's commentary")),
            ("write_commentary", _("Can write the commentary one is asked for")),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="commentary_status_due"),
            models.Index(fields=["submission", "status"], name="commentary_entry_status"),
        ]

    def __str__(self):
        return f"{self.expert} · {self.submission.brand_display}"


class CommentaryStep(Step):
    """One step of a commentary request's history. Written only by transition()."""

    request = models.ForeignKey(CommentaryRequest, on_delete=models.CASCADE, related_name="history")

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("点评记录")
        verbose_name_plural = _("点评记录")

    def labels(self):
        return CommentaryStatus
