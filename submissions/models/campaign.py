from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A city (or the provincial bodies) that entries come from; data, so another province can run a campaign."""

    province = models.CharField(_("省份"), max_length=20, default="山东省")
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["province", "order", "pk"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="region_unique_name")]

    def __str__(self):
        return self.name


def default_kinds():
    return ["practice", "experience", "pioneer"]


class Campaign(models.Model):
    """A call for submissions (征集活动 / 征集启事) with its dates, texts and scoring criteria."""

    title = models.CharField(_("活动名称"), max_length=120)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    province = models.CharField(_("省份"), max_length=20, default="山东省")
    call_text = models.TextField(_("征集启事正文"))
    kinds = models.JSONField(_("征集类别"), default=default_kinds)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    column_name = models.CharField(_("栏目名称"), max_length=40, default="优秀党建品牌巡展")
    editor_note_template = models.TextField(
        _("编者按模板"),
        blank=True,
        help_text=_("可使用 {organization}（单位全称）、{short_name}（单位简称）、{brand}（品牌名称）。"),
    )
    standing_call = models.TextField(_("征集说明（附于每篇文章末尾）"), blank=True)
    mailbox = models.EmailField(_("征集邮箱"))
    source = models.CharField(_("发布来源"), max_length=60, default="大众日报", help_text=_("文章“发布来源”一栏的默认值。"))
    # The campaign mailbox read over IMAP (TLS) by `manage.py fetch_mailbox` (submissions/intake/mailbox/).
    # The password is not shown in the admin: it comes from the environment
    # (PORTAL_IMAP_PASSWORD_<SLUG>, see mailbox.password_of) or is set from the shell.
    imap_host = models.CharField(_("收信服务器（IMAP）"), max_length=120, blank=True, help_text=_("留空则不自动收取邮箱来稿。"))
    imap_port = models.PositiveIntegerField(_("IMAP 端口（TLS）"), default=993)
    imap_user = models.CharField(_("邮箱用户名"), max_length=120, blank=True)
    imap_password = models.CharField(max_length=200, blank=True, editable=False)
    imap_folder = models.CharField(_("收信文件夹"), max_length=60, default="INBOX")
    overlap_threshold = models.PositiveSmallIntegerField(
        _("复制比警示线（%）"),
        default=30,
        help_text=_("作品的文字复制比达到此百分比时，在作品列表中标记提醒。"),
        validators=[MaxValueValidator(100)],
    )
    byline_medium = models.CharField(
        _("署名媒体"), max_length=60, default="大众日报记者", help_text=_("署名中记者姓名前的默认文字，如“大众日报记者”。")
    )
    # The credits line in brackets at the article's end (a template; each article may override
    # the medium and the closing word): （大众日报客户端记者 A B 实习生 C 通讯员 D 报道）.
    credits_medium = models.CharField(
        _("文末署名媒体"),
        max_length=60,
        blank=True,
        default="大众日报客户端",
        help_text=_("文末括号署名中“记者”前的文字，如“大众日报客户端”。"),
    )
    credits_closing = models.CharField(
        _("文末署名结尾"), max_length=20, blank=True, default="报道", help_text=_("文末括号署名最后的文字，如“报道”。")
    )
    # Reviewing
    blind_review = models.BooleanField(
        _("盲评"), default=False, help_text=_("评审专家在评分结束前看不到报送单位及其上级党组织的名称。")
    )
    conflict_same_city = models.BooleanField(
        _("回避同城作品"), default=False, help_text=_("自动分派时，不把作品分给所在市与之相同的评审专家。")
    )
    # Screening before review (submissions/recommend): the eligibility checklist (EligibilityItem
    # values; empty: no eligibility step), the organization types it admits (empty: all), and
    # whether each entry is recommended by its superior body (RecommendingBody) within a quota.
    eligibility_items = models.JSONField(
        _("资格审查项目"), default=list, blank=True, help_text=_("逐项审查，每个未通过的项目须写明原因；不选则不设资格审查。")
    )
    eligible_org_types = models.JSONField(
        _("可申报的党组织类型"), default=list, blank=True, help_text=_("资格审查“党组织类型”一项据此判断；不选则不限。")
    )
    uses_recommendation = models.BooleanField(
        _("逐级推荐"), default=False, help_text=_("作品须经其上级推荐单位在名额内推荐后，才进入初评。")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("征集活动")
        verbose_name_plural = _("征集活动")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="campaign_closes_after_opens")
        ]

    def __str__(self):
        return self.title

    @property
    def screens(self):
        """Entries pass eligibility (and, where asked, recommendation) before review."""
        return bool(self.eligibility_items) or self.uses_recommendation

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @classmethod
    def current(cls):
        """The open campaign that closes soonest, else the latest one."""
        now = timezone.now()
        open_now = cls.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
        return open_now or cls.objects.order_by("-opens_at").first()

    @classmethod
    def next_change(cls):
        """The next time (time.time()) a campaign opens or closes, or None: a cached page that
        shows whether a call is open is good until then (submissions/platform/pagecache.py)."""
        now = timezone.now()
        times = [
            cls.objects.filter(opens_at__gt=now).aggregate(first=models.Min("opens_at"))["first"],
            cls.objects.filter(closes_at__gt=now).aggregate(first=models.Min("closes_at"))["first"],
        ]
        times = [t for t in times if t is not None]
        return min(times).timestamp() if times else None


class Criterion(models.Model):
    """One scoring criterion of a campaign (e.g. 创新性) with its weight."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("征集活动"))
    name = models.CharField(_("评分项"), max_length=30)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=10)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.name}（{self.weight}）"
