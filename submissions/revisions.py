"""Revisions of a showcase article: a JSON snapshot at every save, a diff between any two, a revert.

A snapshot holds the article's text fields and its sections, photos (with captions) and related
links, so a revert brings all of them back. A revert is itself stored as a new revision.
"""

import difflib

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.models import Photo, RelatedLink, ShowcasePhoto, ShowcaseRevision, ShowcaseSection

# Text fields kept in a snapshot, in reading order, with the label shown in a diff.
FIELDS = [
    ("title", gettext_lazy("标题")),
    ("short_name", gettext_lazy("单位简称")),
    ("brand_name", gettext_lazy("品牌名称")),
    ("byline", gettext_lazy("署名")),
    ("source", gettext_lazy("发布来源")),
    ("summary", gettext_lazy("摘要")),
    ("editor_note", gettext_lazy("编者按")),
    ("lead", gettext_lazy("导语")),
    ("closing", gettext_lazy("结尾段落")),
    ("standing_call", gettext_lazy("征集说明")),
    ("expert_commentary", gettext_lazy("专家点评")),
    ("expert_name", gettext_lazy("点评专家")),
    ("reporters", gettext_lazy("记者")),
    ("interns", gettext_lazy("实习生")),
    ("correspondents", gettext_lazy("通讯员")),
]


def snapshot(article):
    data = {name: getattr(article, name) for name, _label in FIELDS}
    data["sections"] = [{"heading": s.heading, "body": s.body} for s in article.sections.order_by("order", "pk")]
    data["photos"] = [{"photo": p.photo_id, "caption": p.caption} for p in article.photos.order_by("order", "pk")]
    data["links"] = [{"title": link.title, "url": link.url} for link in article.links.order_by("order", "pk")]
    return data


def store(article, author, *, note=""):
    """Store the article as it is now as its next revision."""
    data = snapshot(article)
    for _attempt in range(3):
        number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return ShowcaseRevision.objects.create(showcase=article, number=number, author=author, data=data, note=note)
        except IntegrityError:  # two saves at once took the same number: take the next
            continue
    raise IntegrityError("could not number the revision")


def as_lines(data):
    """A revision as lines of text, labelled, for reading and for diffs."""
    lines = []
    for name, label in FIELDS:
        lines.append(f"【{label}】")
        lines += (data.get(name) or "").splitlines() or [""]
    for index, section in enumerate(data.get("sections", []), start=1):
        lines.append(f"【{_('章节%(n)d') % {'n': index}}】{section['heading']}")
        lines += section["body"].splitlines() or [""]
    for index, photo in enumerate(data.get("photos", []), start=1):
        lines.append(f"【{_('图片%(n)d') % {'n': index}}】#{photo['photo']} {photo['caption']}")
    for index, link in enumerate(data.get("links", []), start=1):
        lines.append(f"【{_('相关链接%(n)d') % {'n': index}}】{link['title']} {link['url']}")
    return lines


def diff_table(old, new):
    """An HTML table (difflib, text escaped) of the changes from revision `old` to `new`."""
    differ = difflib.HtmlDiff(wrapcolumn=60)
    table = differ.make_table(
        as_lines(old.data),
        as_lines(new.data),
        fromdesc=_("第 %(n)s 版") % {"n": old.number},
        todesc=_("第 %(n)s 版") % {"n": new.number},
        context=True,
        numlines=2,
    )
    if old.data == new.data:
        return format_html('<p class="diff-none">{}</p>', _("两个版本内容相同。"))
    return mark_safe(table)  # noqa: S308 (HtmlDiff escapes every line it shows)


def restore(article, data):
    """Write a snapshot back into the article and its parts (publishing.revert stores the revision)."""
    with transaction.atomic():
        for name, _label in FIELDS:
            setattr(article, name, data.get(name, ""))
        article.save(update_fields=[name for name, _label in FIELDS] + ["updated_at"])
        article.sections.all().delete()
        ShowcaseSection.objects.bulk_create(
            ShowcaseSection(showcase=article, order=i, heading=s["heading"], body=s["body"])
            for i, s in enumerate(data.get("sections", []))
        )
        article.links.all().delete()
        RelatedLink.objects.bulk_create(
            RelatedLink(showcase=article, order=i, title=link["title"], url=link["url"])
            for i, link in enumerate(data.get("links", []))
        )
        article.photos.all().delete()
        existing = set(Photo.objects.filter(pk__in=[p["photo"] for p in data.get("photos", [])]).values_list("pk", flat=True))
        ShowcasePhoto.objects.bulk_create(
            ShowcasePhoto(showcase=article, photo_id=p["photo"], order=i, caption=p["caption"])
            for i, p in enumerate(data.get("photos", []))
            if p["photo"] in existing
        )
