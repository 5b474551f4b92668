from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from submissions.models.campaign import Campaign
from submissions.models.status import LIVE, SOURCE_CHANGEABLE, ArticleState, Status
from submissions.models.submission import Photo, Submission


class ShowcaseQuerySet(models.QuerySet):
    def live(self):
        """The articles readers may see (the LIVE states): the one place that says which are public.
        The platform (search suggestions, public media) asks here, below the areas; the column's
        read side (submissions.column.articles.published_articles) too."""
        return self.filter(state__in=LIVE)


class ShowcasePhotoQuerySet(models.QuerySet):
    def live(self):
        """The photos of the articles readers may see (Showcase.objects.live())."""
        return self.filter(showcase__state__in=LIVE)


class Showcase(models.Model):
    """A published showcase article (巡展文章) in the newspaper's house style."""

    State = ArticleState

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="showcases", verbose_name=_("征集活动"))
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="showcase", verbose_name=_("来源作品")
    )
    slug = models.SlugField(_("网址标识"), max_length=80, unique=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    title = models.CharField(_("标题"), max_length=120)
    short_name = models.CharField(_("单位简称"), max_length=60)
    brand_name = models.CharField(_("品牌名称"), max_length=20, blank=True)
    byline = models.CharField(_("署名"), max_length=120, blank=True, help_text=_("如：大众日报记者 张三 李四"))
    source = models.CharField(_("发布来源"), max_length=60, default="大众日报")
    summary = models.CharField(_("摘要"), max_length=200, blank=True, help_text=_("用于分享卡片和列表；留空则取导语开头。"))
    editor_note = models.TextField(_("编者按"), blank=True)
    lead = models.TextField(_("导语"))
    closing = models.TextField(_("结尾段落"), blank=True)
    standing_call = models.TextField(_("征集说明"), blank=True)
    expert_commentary = models.TextField(_("专家点评"), blank=True)
    expert_name = models.CharField(_("点评专家"), max_length=60, blank=True)
    reporters = models.CharField(_("记者"), max_length=120, blank=True)
    interns = models.CharField(_("实习生"), max_length=120, blank=True)
    correspondents = models.CharField(_("通讯员"), max_length=120, blank=True)
    credits_medium = models.CharField(_("文末署名媒体"), max_length=60, blank=True, help_text=_("留空则用征集活动的设置。"))
    credits_closing = models.CharField(_("文末署名结尾"), max_length=20, blank=True, help_text=_("留空则用征集活动的设置。"))

    responsible_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="edited_showcases", verbose_name=_("责任编辑")
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_showcases",
        verbose_name=_("签审"),
        editable=False,
    )
    signed_off_at = models.DateTimeField(_("签审时间"), null=True, blank=True, editable=False)
    # The revision number that the last sign-off approved (kept when the sign-off is voided:
    # whoever changed the article after it may not sign the next one off).
    signed_revision = models.PositiveIntegerField(_("签审版本"), null=True, blank=True, editable=False)
    publish_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    unpublished_reason = models.TextField(_("撤稿原因"), blank=True, editable=False)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShowcaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("巡展文章")
        verbose_name_plural = _("巡展文章")
        indexes = [
            models.Index(fields=["state", "-published_at"], name="showcase_state_published"),
            models.Index(fields=["state", "publish_at"], name="showcase_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(signed_off_by=models.F("responsible_editor")),
                name="showcase_signoff_by_other",
            ),
        ]
        permissions = [
            ("signoff_showcase", _("可以签审并发布巡展文章")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("showcase:detail", kwargs={"slug": self.slug})

    def clean(self):
        """An article comes only from an accepted entry, and a live article keeps its entry."""
        super().clean()
        source_problem = self.source_problem()
        if source_problem:
            raise ValidationError({"submission": source_problem})

    def source_problem(self):
        """Why this article's source entry is not acceptable (a message), or "" when it is."""
        if self.submission_id is None:
            return _("请选择来源作品：巡展文章须来自一篇已采用的作品。")
        entry = Submission.objects.filter(pk=self.submission_id).values_list("status", flat=True).first()
        if entry is None:
            return _("请选择来源作品：巡展文章须来自一篇已采用的作品。")
        saved = Showcase.objects.filter(pk=self.pk).values_list("submission_id", "state").first() if self.pk else None
        if saved is not None and saved[0] != self.submission_id and saved[1] not in SOURCE_CHANGEABLE:
            return _("已发布的文章不能更换来源作品，请先撤稿。")
        if entry == Status.ACCEPTED:
            return ""
        if entry == Status.PUBLISHED and saved is not None and saved[0] == self.submission_id:
            return ""  # this article's own entry, published with it
        return _("来源作品须为“已采用”状态（该作品当前为“%(status)s”）。") % {"status": Status(entry).label}

    @property
    def is_public(self):
        """Shown to readers (what Showcase.objects.live() selects)."""
        return self.state in LIVE

    def changed_by_since(self, number):
        """The users (ids) who changed the article in the revisions after revision `number` (None: all).

        Here, beside the revisions, so that the workflow's four-eyes rule and the newsroom read
        the same answer. A save that changed nothing is not a change; a revision is compared with
        the one before it.
        """
        base = number or 0
        rows = self.revisions.filter(number__gte=max(base, 1)).order_by("number").values_list("number", "author_id", "data")
        authors = set()
        previous = None
        for rev_number, author_id, data in rows:
            if rev_number > base and data != previous and author_id is not None:
                authors.add(author_id)
            previous = data
        return authors


class ShowcaseSection(models.Model):
    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    heading = models.CharField(_("小标题"), max_length=40)
    body = models.TextField(_("正文"))

    class Meta:
        ordering = ["showcase", "order", "pk"]
        verbose_name = _("文章章节")
        verbose_name_plural = _("文章章节")

    def __str__(self):
        return self.heading


class ShowcasePhoto(models.Model):
    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="photos")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="+", verbose_name=_("图片"))
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    caption = models.CharField(_("图片说明"), max_length=100, blank=True)
    section = models.ForeignKey(
        ShowcaseSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
        verbose_name=_("所配章节"),
        help_text=_("图片放在哪个章节之后；留空则放在文末。"),
    )

    objects = ShowcasePhotoQuerySet.as_manager()

    class Meta:
        ordering = ["showcase", "order", "pk"]
        verbose_name = _("文章图片")
        verbose_name_plural = _("文章图片")

    def __str__(self):
        return self.caption


class RelatedLink(models.Model):
    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="links")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("链接标题"), max_length=120)
    url = models.URLField(_("网址"))

    class Meta:
        ordering = ["showcase", "order", "pk"]
        verbose_name = _("相关链接")
        verbose_name_plural = _("相关链接")

    def __str__(self):
        return self.title


class ShowcaseRevision(models.Model):
    """A snapshot of an article at one save, with who and when; the basis of diff and revert."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("修改人")
    )
    data = models.JSONField()
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["showcase", "-number"]
        verbose_name = _("文章版本")
        verbose_name_plural = _("文章版本")
        constraints = [models.UniqueConstraint(fields=["showcase", "number"], name="revision_unique_number")]

    def __str__(self):
        return f"{self.showcase} v{self.number}"


class Comment(models.Model):
    """A reader's comment; shown only after an editor approves it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="comments", verbose_name=_("文章"))
    name = models.CharField(_("昵称"), max_length=30)
    body = models.TextField(_("评论内容"), max_length=1000)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("读者评论")
        verbose_name_plural = _("读者评论")
        indexes = [models.Index(fields=["showcase", "state", "created_at"], name="comment_showcase_state")]

    def __str__(self):
        return f"{self.name}: {self.body[:20]}"
