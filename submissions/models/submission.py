import re
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from submissions.models.campaign import Campaign, Region
from submissions.models.status import AFTER_SHORTLIST, AWAITING_TRIAGE, NOT_LIVE, Status


class Kind(models.TextChoices):
    PRACTICE = "practice", _("党建优秀做法")
    EXPERIENCE = "experience", _("党建典型经验")
    PIONEER = "pioneer", _("党员先锋事迹")


class OrgType(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("机关")
    INSTITUTION = "institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("非公有制企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    RURAL = "rural", _("农村")
    COMMUNITY = "community", _("城市社区")
    EDUCATION = "education", _("学校")
    HEALTH = "health", _("医疗卫生")
    OTHER = "other", _("其他")


def new_tracking_token():
    return secrets.token_urlsafe(24)


_FOLD = re.compile(r"[\s\u3000“”\"'‘’「」『』《》()（）·.,，。、-]+")


def fold(text):
    """Fold a name for duplicate detection: no spaces, quotes or punctuation, lower case."""
    return _FOLD.sub("", text or "").lower()


class Submission(models.Model):
    """An entry (报送作品): an organization's brand, written up, with photos and contacts."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("征集活动"))
    reference = models.CharField(_("报送编号"), max_length=20, unique=True, null=True, blank=True, editable=False)
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    kind = models.CharField(_("报送类别"), max_length=20, choices=Kind.choices, default=Kind.PRACTICE)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    status_changed_at = models.DateTimeField(_("状态更新时间"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    # Organization
    org_name = models.CharField(_("党组织全称"), max_length=100)
    org_parent = models.CharField(_("上级党组织"), max_length=100, blank=True)
    org_type = models.CharField(_("党组织类型"), max_length=20, choices=OrgType.choices)
    sector = models.CharField(_("所属领域"), max_length=30, choices=Sector.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("所在市"))
    # The superior body that recommends it, where its campaign asks (set when it is submitted: RecommendingBody.covering).
    body = models.ForeignKey(
        "submissions.RecommendingBody",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        verbose_name=_("推荐单位"),
    )
    # Contact
    contact_name = models.CharField(_("联系人"), max_length=30)
    contact_phone = models.CharField(_("手机号码"), max_length=11)
    contact_email = models.EmailField(_("电子邮箱"))
    # Brand
    brand_name = models.CharField(_("品牌名称"), max_length=20)
    brand_slogan = models.CharField(_("品牌口号"), max_length=60, blank=True)
    brand_idea = models.TextField(_("品牌内涵"), max_length=1000)
    # The write-up
    introduction = models.TextField(_("概述"), max_length=2000)
    results = models.TextField(_("工作成效与荣誉"), max_length=3000)
    model_story = models.TextField(_("典型人物事迹"), max_length=3000, blank=True)
    consent = models.BooleanField(_("同意公开发表"), default=False)

    # Where it came from and when
    via_email = models.BooleanField(_("经邮箱报送"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("代录入编辑"),
    )
    dedupe_key = models.CharField(max_length=250, editable=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True, editable=False)

    # Scores, kept up to date by submissions.review.scoring so that lists sort without aggregating.
    score = models.DecimalField(_("加权平均分"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    review_count = models.PositiveIntegerField(_("评审数"), default=0, editable=False)

    # The audit trail of plain edits (status changes are recorded in StatusChange by the workflow).
    # (`history` is taken by StatusChange's reverse relation, hence `edits`.)
    edits = HistoricalRecords(
        excluded_fields=["tracking_token", "dedupe_key", "updated_at", "score", "review_count"],
        verbose_name=_("修改记录"),
    )

    class Meta:
        # Newest submitted first, drafts (never submitted) after them, on every database: a
        # descending order puts NULLs first on PostgreSQL and last on SQLite. With drafts first,
        # a filtered admin list walked past every draft before its first match.
        ordering = [IsNull(F("submitted_at"), True), "-submitted_at", "-pk"]
        verbose_name = _("报送作品")
        verbose_name_plural = _("报送作品")
        indexes = [
            # The list's order, whole and within a status (the admin's status filter).
            models.Index(IsNull(F("submitted_at"), True), F("submitted_at").desc(), F("id").desc(), name="sub_newest"),
            models.Index(
                "status", IsNull(F("submitted_at"), True), F("submitted_at").desc(), F("id").desc(), name="sub_status_newest"
            ),
            models.Index(fields=["campaign", "status"], name="sub_campaign_status"),
            models.Index(fields=["region", "status"], name="sub_region_status"),
            models.Index(fields=["kind", "status"], name="sub_kind_status"),
            # Sorted by score: the admin breaks ties on the id in the sort's direction (admin/listing.py),
            # so this index serves both directions (read backwards for ascending); on score alone
            # PostgreSQL sorted all 100 000 rows of equal score (535 ms).
            models.Index(F("score").desc(), F("id").desc(), name="sub_score_id"),
            # The admin's city + kind filter, in the list's order (count and page from one index).
            models.Index(
                "region",
                "kind",
                IsNull(F("submitted_at"), True),
                F("submitted_at").desc(),
                F("id").desc(),
                name="sub_region_kind_newest",
            ),
            models.Index(fields=["contact_email"], name="sub_contact_email"),
            # The admin's first page (review/queues.py): the first items of a queue in its order, at any size.
            models.Index("status", "status_changed_at", "id", name="sub_status_changed"),
            models.Index("submitted_at", "id", condition=models.Q(status__in=AWAITING_TRIAGE), name="sub_triage"),
            # The queue of entries past the shortlist not yet interviewed (interview/selectors.not_yet_planned),
            # in its order: one status alone is served by sub_status_changed, two are not (a sort of them all).
            models.Index("status_changed_at", "id", condition=models.Q(status__in=AFTER_SHORTLIST), name="sub_after_shortlist"),
        ]
        constraints = [
            # One live entry per organization and brand in a campaign (drafts and withdrawn ones aside).
            models.UniqueConstraint(
                fields=["campaign", "dedupe_key"],
                condition=~models.Q(status__in=[str(status) for status in NOT_LIVE]),
                name="sub_unique_brand_per_campaign",
            ),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="sub_status_valid"),
        ]
        permissions = [
            ("run_workflow", _("可以办理报送流程（分派、入围、退回、采用）")),
            ("score_submission", _("可以为报送作品评分")),
            ("export_submission", _("可以导出报送作品")),
            ("check_eligibility", _("可以进行资格审查")),
            ("recommend_submission", _("可以推荐作品（推荐单位）")),
        ]

    def __str__(self):
        return f"{self.reference or _('草稿')} {self.org_name}“{self.brand_name}”"

    def save(self, *args, **kwargs):
        self.dedupe_key = f"{fold(self.org_name)}|{fold(self.brand_name)}"
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("org_name" in update_fields or "brand_name" in update_fields):
            kwargs["update_fields"] = {*update_fields, "dedupe_key"}
        super().save(*args, **kwargs)

    @property
    def brand_display(self):
        """The brand in Chinese quotes, as articles write it: “零距离”."""
        name = self.brand_name.strip("“”\"'")
        return f"“{name}”"


class YearCounter(models.Model):
    """The last number handed out in a year (entries' references, certificates' numbers)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.year}: {self.value}"

    @classmethod
    def take(cls, year):
        """The next number of `year`. Call inside a transaction: the year's row stays locked until it
        ends, so two people taking one at once get two numbers and a rolled-back take leaves no gap."""
        cls.objects.get_or_create(year=year)
        cls.objects.filter(pk=year).update(value=F("value") + 1)
        return cls.objects.select_for_update().get(pk=year).value


class ReferenceCounter(YearCounter):
    """The last reference number handed out in a year; rows are locked while one is taken."""

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")


class Section(models.Model):
    """One titled section of the practice (做法章节)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("序号"))
    heading = models.CharField(_("小标题"), max_length=40)
    body = models.TextField(_("正文"), max_length=5000)

    class Meta:
        ordering = ["submission", "order"]
        verbose_name = _("做法章节")
        verbose_name_plural = _("做法章节")
        constraints = [models.UniqueConstraint(fields=["submission", "order"], name="section_unique_order")]

    def __str__(self):
        return self.heading


def photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


def attachment_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


class Photo(models.Model):
    """A captioned photo, stored only as clean re-encoded renditions (the upload itself is never kept).

    A photo may be staged (submission empty, upload_key set) while its form is still being
    corrected, so that the submitter never uploads it twice.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos", null=True, blank=True)
    upload_key = models.CharField(max_length=64, blank=True, db_index=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    caption = models.CharField(_("图片说明"), max_length=100, blank=True)
    section = models.ForeignKey(
        "Section",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
        verbose_name=_("所配章节"),
        help_text=_("图片放在哪个做法章节之后；留空则放在文末。"),
    )
    # Indexed: the media view finds a photo by the stored name asked for (submissions/views/media.py).
    image = models.ImageField(_("图片"), upload_to=photo_path, width_field="width", height_field="height", db_index=True)
    display = models.ImageField(_("展示图"), upload_to=photo_path, db_index=True)
    thumbnail = models.ImageField(_("缩略图"), upload_to=photo_path, db_index=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "order", "pk"]
        verbose_name = _("图片")
        verbose_name_plural = _("图片")

    def __str__(self):
        return self.caption or f"#{self.pk}"


class Attachment(models.Model):
    """A PDF or Word document sent with the entry; always downloaded, never shown inline."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments", null=True, blank=True)
    upload_key = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(_("附件"), upload_to=attachment_path, db_index=True)  # found by name (media view)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    # What the content check found that editors should know before opening it (a PDF with
    # JavaScript or a launch action, say); empty when nothing.
    warning = models.CharField(_("安全提示"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name
