"""Certificates of a campaign's results (荣誉证书, 感谢状, 聘书) and their history.

A certificate is made as a draft with its number, then issued and perhaps revoked, only through
the workflow (submissions.workflow.certificates: its machine; submissions.results: the services
that call it). Its number is public and permanent: it is printed on the PDF and is the key of
the public verification page, so a revoked certificate keeps it and says it is revoked.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from submissions.models.status import Step
from submissions.models.submission import YearCounter


class CertificateKind(models.TextChoices):
    AWARD = "award", _("荣誉证书")  # for a selected organization's entry
    THANKS = "thanks", _("感谢状")  # for a reviewer
    APPOINTMENT = "appointment", _("聘书")  # for an expert


class CertificateState(models.TextChoices):
    DRAFT = "draft", _("待颁发")
    ISSUED = "issued", _("有效")
    REVOKED = "revoked", _("已撤销")


class CertificateCounter(YearCounter):
    """The last certificate number handed out in a year; the row is locked while one is taken."""

    class Meta:
        app_label = "submissions"
        verbose_name = _("证书编号计数器")
        verbose_name_plural = _("证书编号计数器")


class Certificate(models.Model):
    Kind = CertificateKind
    State = CertificateState

    number = models.CharField(_("证书编号"), max_length=24, unique=True)
    kind = models.CharField(_("类别"), max_length=12, choices=CertificateKind.choices)
    campaign = models.ForeignKey("submissions.Campaign", on_delete=models.PROTECT, related_name="certificates")
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("作品"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("评审专家账号"),
    )
    recipient = models.CharField(_("授予对象"), max_length=100, help_text=_("单位全称或个人姓名，印在证书上。"))
    wording = models.TextField(_("证书正文"), max_length=600)
    state = models.CharField(_("状态"), max_length=10, choices=CertificateState.choices, default=CertificateState.DRAFT)
    version = models.PositiveIntegerField(default=0, editable=False)
    issued_at = models.DateTimeField(_("颁发时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    pdf = models.FileField(_("证书文件"), upload_to="certificates/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("制作人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        app_label = "submissions"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        permissions = [
            ("issue_certificate", _("可以颁发证书")),
            ("revoke_certificate", _("可以撤销证书")),
        ]
        constraints = [
            # An award is for an entry; a thank-you or an appointment letter is for a person.
            models.CheckConstraint(
                condition=Q(kind=CertificateKind.AWARD, submission__isnull=False) | ~Q(kind=CertificateKind.AWARD),
                name="certificate_award_has_entry",
            ),
            # One award per entry that is not revoked (a revoked one may be replaced).
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(kind=CertificateKind.AWARD) & ~Q(state=CertificateState.REVOKED),
                name="certificate_one_award_per_entry",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()} {self.recipient}"

    @property
    def heading(self):
        """The title printed at the top of the PDF."""
        return self.get_kind_display()


class CertificateStep(Step):
    """One move of a certificate (issued, revoked). Written only by transition()."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="history")

    class Meta:
        app_label = "submissions"
        ordering = ["certificate", "created_at", "pk"]
        verbose_name = _("证书记录")
        verbose_name_plural = _("证书记录")

    def labels(self):
        return CertificateState
