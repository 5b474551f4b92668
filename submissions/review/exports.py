"""Entries to Excel (.xlsx) and CSV: every field, the sections, and the scores.

Every text cell is made safe: control characters (which Excel cannot hold, and which a
spreadsheet skips before it looks for a formula) are removed first, then a value that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return, after
leading spaces too) gets a leading '. The same cells go to Excel and to CSV.
"""

import csv
import io
from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from portal.text import strip_controls
from submissions.models import Criterion, Review, Section
from submissions.platform.people import display_name

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def safe(value):
    """A cell value that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = strip_controls(value)
        if value.lstrip(" ").startswith(FORMULA_START):
            return "'" + value
    return value


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M:%S") if dt else ""


FIELDS = [
    (lambda s: s.reference, gettext_lazy("报送编号")),
    (lambda s: s.campaign.title, gettext_lazy("征集活动")),
    (lambda s: s.get_status_display(), gettext_lazy("状态")),
    (lambda s: s.get_kind_display(), gettext_lazy("报送类别")),
    (lambda s: s.org_name, gettext_lazy("党组织全称")),
    (lambda s: s.org_parent, gettext_lazy("上级党组织")),
    (lambda s: s.get_org_type_display(), gettext_lazy("党组织类型")),
    (lambda s: s.get_sector_display(), gettext_lazy("所属领域")),
    (lambda s: s.region.name, gettext_lazy("所在市")),
    (lambda s: s.contact_name, gettext_lazy("联系人")),
    (lambda s: s.contact_phone, gettext_lazy("手机号码")),
    (lambda s: s.contact_email, gettext_lazy("电子邮箱")),
    (lambda s: s.brand_name, gettext_lazy("品牌名称")),
    (lambda s: s.brand_slogan, gettext_lazy("品牌口号")),
    (lambda s: s.brand_idea, gettext_lazy("品牌内涵")),
    (lambda s: s.introduction, gettext_lazy("概述")),
    (lambda s: "\n\n".join(f"{x.heading}\n{x.body}" for x in s.sections.all()), gettext_lazy("做法章节")),
    (lambda s: s.results, gettext_lazy("工作成效与荣誉")),
    (lambda s: s.model_story, gettext_lazy("典型人物事迹")),
    (lambda s: _("是") if s.consent else _("否"), gettext_lazy("同意公开发表")),
    (lambda s: _("是") if s.via_email else _("否"), gettext_lazy("经邮箱报送")),
    (lambda s: _local(s.submitted_at), gettext_lazy("报送时间")),
    (lambda s: _local(s.status_changed_at), gettext_lazy("状态更新时间")),
    (lambda s: float(s.score) if s.score is not None else "", gettext_lazy("加权平均分")),
    (lambda s: s.review_count, gettext_lazy("评审数")),
]


def _criteria(queryset):
    campaign_ids = set(queryset.order_by().values_list("campaign_id", flat=True).distinct())
    return list(Criterion.objects.filter(campaign_id__in=campaign_ids).order_by("campaign_id", "order", "pk"))


def rows(queryset):
    """The header, then one row per entry. Criterion columns hold the average over the entry's reviews."""
    criteria = _criteria(queryset)
    names = list(dict.fromkeys(c.name for c in criteria))
    yield [safe(str(label)) for _f, label in FIELDS] + [safe(f"{_('平均分')}·{name}") for name in names] + [_("评审意见")]
    queryset = queryset.select_related("campaign", "region").prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("order")),
        Prefetch(
            "reviews",
            queryset=Review.objects.select_related("reviewer").prefetch_related("scores__criterion").order_by("stage", "pk"),
        ),
    )
    for entry in queryset.iterator(chunk_size=BATCH):
        per_name = defaultdict(list)
        comments = []
        for review in entry.reviews.all():
            for score in review.scores.all():
                per_name[score.criterion.name].append(score.score)
            who = display_name(review.reviewer)
            comments.append(f"[{review.get_stage_display()}] {who} {review.total}: {review.comment}")
        averages = [round(sum(v) / len(v), 2) if (v := per_name.get(name)) else "" for name in names]
        yield [safe(get(entry)) for get, _label in FIELDS] + averages + [safe("\n".join(comments))]


def to_csv(queryset):
    """CSV text with a BOM, so that Excel opens the Chinese correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in rows(queryset):
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def to_xlsx(queryset):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("报送作品"))
    for row in rows(queryset):
        sheet.append(row)  # every cell went through safe(): no illegal character is left
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(ext):
    return f"entries-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


__all__ = ["filename", "rows", "safe", "to_csv", "to_xlsx"]
