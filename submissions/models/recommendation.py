"""Eligibility (资格审查) and recommendation by the superior Party body (推荐单位).

A campaign may screen its entries: its checklist (Campaign.eligibility_items) is checked item by
item, each failed item with its reason (EligibilityCheck, one row per check, the latest counts);
and it may ask each entry to be recommended (Campaign.uses_recommendation) by the body whose area
it comes from (RecommendingBody: a region or a list of organizations, a quota of recommendations
and the accounts that act for it). The body's decision and opinion (推荐意见) and its stamped
recommendation form are kept in Recommendation. The entry's status moves only through the
workflow (submitted → eligible → recommended → first review); these rows are what its rules read.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from submissions.models.campaign import Campaign, Region
from submissions.models.submission import Submission, fold


class EligibilityItem(models.TextChoices):
    """The items a campaign's eligibility checklist may hold (Campaign.eligibility_items)."""

    KIND = "kind", _("报送类别属于本次征集范围")
    ORG_TYPE = "org_type", _("党组织类型符合申报要求")
    COMPLETE = "complete", _("申报材料齐全")
    CONSENT = "consent", _("同意公开发表")
    NOT_DUPLICATE = "not_duplicate", _("不是往年已发表的品牌")


class RecommendingBody(models.Model):
    """A body that recommends entries from its area (a city's organization department, a provincial body)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("征集活动"))
    name = models.CharField(_("推荐单位名称"), max_length=100)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("负责地区"), help_text=_("来自这些市的作品由本单位推荐。")
    )
    organizations = models.TextField(
        _("负责的党组织"),
        blank=True,
        help_text=_("每行一个党组织全称或上级党组织名称；与之相符的作品由本单位推荐（优先于地区）。"),
    )
    quota = models.PositiveSmallIntegerField(_("推荐名额"), default=5)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="recommending_bodies", verbose_name=_("账号")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("推荐单位")
        verbose_name_plural = _("推荐单位")
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="body_unique_name")]

    def __str__(self):
        return self.name

    def organization_keys(self):
        return {fold(line) for line in self.organizations.splitlines() if line.strip()}

    @classmethod
    def covering(cls, entry):
        """The body whose area the entry comes from: one that lists its organization (or its parent)
        first, else one whose regions hold its city; None when no body of its campaign covers it."""
        bodies = list(cls.objects.filter(campaign_id=entry.campaign_id).prefetch_related("regions"))
        names = {fold(entry.org_name), fold(entry.org_parent)} - {""}
        for body in bodies:
            if names & body.organization_keys():
                return body
        for body in bodies:
            if any(region.pk == entry.region_id for region in body.regions.all()):
                return body
        return None


class EligibilityCheck(models.Model):
    """One eligibility check of an entry: each item of its campaign's checklist, passed or failed with a reason."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="eligibility_checks", verbose_name=_("报送作品")
    )
    body = models.ForeignKey(
        RecommendingBody, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("推荐单位")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("审查人")
    )
    # [{"item": EligibilityItem value, "passed": bool, "reason": str}], in the checklist's order.
    results = models.JSONField(_("审查结果"), default=list)
    passed = models.BooleanField(_("审查通过"))
    created_at = models.DateTimeField(_("审查时间"), auto_now_add=True)

    class Meta:
        ordering = ["submission", "-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        verbose_name = _("资格审查")
        verbose_name_plural = _("资格审查")

    def __str__(self):
        return str(pgettext_lazy("eligibility", "通过") if self.passed else pgettext_lazy("eligibility", "未通过"))

    def failures(self):
        """The failed items as (label, reason) pairs, for the submitter's message and the pages."""
        labels = dict(EligibilityItem.choices)
        return [(labels.get(row["item"], row["item"]), row.get("reason", "")) for row in self.results if not row["passed"]]


def scan_path(instance, filename):
    return f"recommendations/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class Recommendation(models.Model):
    """A body's recommendation of an entry: its opinion (推荐意见), who recommended it, and the stamped form."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="recommendation", verbose_name=_("报送作品")
    )
    body = models.ForeignKey(
        RecommendingBody, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("推荐单位")
    )
    opinion = models.TextField(_("推荐意见"), max_length=1000)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("推荐人")
    )
    recommended_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)
    # The recommendation form (推荐表) printed, stamped and scanned: a PDF, private (never public media).
    scan = models.FileField(_("盖章推荐表"), upload_to=scan_path, blank=True)
    scan_uploaded_at = models.DateTimeField(_("上传时间"), null=True, blank=True)

    class Meta:
        ordering = ["body", "-recommended_at"]
        verbose_name = _("推荐记录")
        verbose_name_plural = _("推荐记录")

    def __str__(self):
        return f"{self.body}：{self.submission}"
