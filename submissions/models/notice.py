"""公示 (a public notice of a campaign's selected entries) and the objections (异议) raised against it.

A notice lists the entries an editor chose, runs for a number of Chinese working days from its
start (the last day is worked out by submissions.notice.workdays and kept here, so the page and
the periodic close agree on it), then closes by itself; once closed with no objection still open
its result is final. Those phases are its status (NoticeStatus), moved only through
workflow.transition() (submissions.workflow.public_notice), which also writes the moment of each
(published_at, closed_at, final_at); its history is NoticeStep. An entry leaves the list only when an objection against it is upheld, and
keeps its row with the reason, so the record says why it left.

An objection moves only through workflow.transition() (submissions.workflow.objections); its
history is ObjectionStep, with StatusChange's columns. Evidence files are kept outside the public
media paths: the media view serves none of them, only the admin's download does.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.status import Step


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    PUBLISHED = "published", _("公示中")
    CLOSED = "closed", _("公示期满")
    FINAL = "final", _("结果已确定")


class PublicNotice(models.Model):
    campaign = models.OneToOneField(
        "submissions.Campaign", on_delete=models.CASCADE, related_name="notice", verbose_name=_("征集活动")
    )
    title = models.CharField(_("公示标题"), max_length=120)
    intro = models.TextField(_("公示说明"), blank=True, help_text=_("显示在名单之前，例如评选经过。"))
    contact = models.TextField(
        _("异议受理方式"), blank=True, help_text=_("除网上提交外的受理方式，例如联系电话、通讯地址。显示在“如何提出异议”一节。")
    )
    starts_on = models.DateField(_("公示开始日期"))
    workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    ends_on = models.DateField(_("公示截止日期"), editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True, editable=False)
    final_at = models.DateTimeField(_("结果确定时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        permissions = [("publish_notice", _("Can publish a public notice and declare its result final"))]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        """On its public page: published, closed or final."""
        return self.status != NoticeStatus.DRAFT

    @property
    def is_closed(self):
        return self.status in (NoticeStatus.CLOSED, NoticeStatus.FINAL)

    @property
    def is_final(self):
        return self.status == NoticeStatus.FINAL


class NoticeItem(models.Model):
    """One entry on a notice's list; `removed_at` set when an upheld objection took it off."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="items")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.PROTECT, related_name="notice_items", verbose_name=_("作品")
    )
    position = models.PositiveIntegerField(_("序号"), default=0)
    removed_at = models.DateTimeField(_("撤出时间"), null=True, blank=True)
    removed_reason = models.TextField(_("撤出原因"), blank=True)

    class Meta:
        ordering = ["notice", "position", "pk"]
        verbose_name = _("公示名单条目")
        verbose_name_plural = _("公示名单条目")
        constraints = [models.UniqueConstraint(fields=["notice", "submission"], name="notice_item_once")]

    def __str__(self):
        return str(self.submission)


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    INVESTIGATING = "investigating", _("核查中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


def _receipt_token():
    return uuid.uuid4().hex


class Objection(models.Model):
    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections", verbose_name=_("公示"))
    item = models.ForeignKey(NoticeItem, on_delete=models.PROTECT, related_name="objections", verbose_name=_("所涉作品"))
    name = models.CharField(_("真实姓名"), max_length=40)
    unit = models.CharField(_("工作单位"), max_length=120)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"))
    facts = models.TextField(_("异议事实"))
    status = models.CharField(_("状态"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED)
    version = models.PositiveIntegerField(default=0, editable=False)
    token = models.CharField(max_length=32, unique=True, default=_receipt_token, editable=False)
    received_at = models.DateTimeField(_("受理时间"), auto_now_add=True)
    due_on = models.DateField(_("答复期限"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("承办人")
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)

    class Meta:
        ordering = ["-received_at", "pk"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        permissions = [("handle_objection", _("Can handle objections to a public notice"))]

    def __str__(self):
        return f"{self.name} · {self.item}"

    @property
    def is_open(self):
        return self.status in (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)


def evidence_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"objections/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


class ObjectionEvidence(models.Model):
    """A PDF or an image sent with an objection, checked by content before it was stored."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("证明材料"), upload_to=evidence_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    warning = models.CharField(_("安全提示"), max_length=300, blank=True)

    class Meta:
        ordering = ["objection", "pk"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self):
        return self.original_name


class ObjectionStep(Step):
    """One step of an objection's history. Written only by transition()."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="history")
    message = models.TextField(_("给异议人的说明"), blank=True)

    class Meta:
        ordering = ["objection", "created_at", "pk"]
        verbose_name = _("异议处理记录")
        verbose_name_plural = _("异议处理记录")

    def labels(self):
        return ObjectionStatus


class NoticeStep(Step):
    """One step of a notice's history (published, closed, final). Written only by transition()."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="history")

    class Meta:
        ordering = ["notice", "created_at", "pk"]
        verbose_name = _("公示记录")
        verbose_name_plural = _("公示记录")

    def labels(self):
        return NoticeStatus
