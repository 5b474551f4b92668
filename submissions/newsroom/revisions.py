"""Revisions of a showcase article: a JSON snapshot at every save, a diff between any two, a revert.

A snapshot holds the article's fields (derived from the model, see BOOKKEEPING) and its sections,
photos (with captions) and related links, so a revert brings them back. A revert is itself stored
as a new revision. `changed_by_since()` tells the workflow who changed the article after its last
sign-off (the four-eyes rule).
"""

import difflib

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from submissions.models import Photo, RelatedLink, Showcase, ShowcasePhoto, ShowcaseRevision, ShowcaseSection
from submissions.newsroom import text

# What a snapshot holds is derived from the models: every concrete field of the article (what a
# reader sees and what routes it: text, title, slug, credits, campaign, source entry, responsible
# editor, …) except the workflow's own bookkeeping below, and every field of its inlines
# (sections, photos, related links) but their keys. A field added to a model is compared, diffed
# and reverted without anyone remembering to list it here.
BOOKKEEPING = frozenset(
    {
        "id",
        "state",
        "version",
        "signed_off_by",
        "signed_off_at",
        "signed_revision",
        "publish_at",
        "published_at",
        "unpublished_reason",
        "search_text",
        "created_at",
        "updated_at",
    }
)
# Routing fields are compared (a change voids a sign-off) but a revert leaves them as they are:
# bringing back an old source entry or responsible editor is a decision, not an undo.
NOT_RESTORED = frozenset({"campaign", "submission", "responsible_editor"})
INLINE_KEYS = frozenset({"id", "showcase"})
# (related name, which is also the key in the snapshot; model)
INLINES = [("sections", ShowcaseSection), ("photos", ShowcasePhoto), ("links", RelatedLink)]


def article_fields():
    """The article's compared fields, in the model's order."""
    return [f for f in Showcase._meta.concrete_fields if f.name not in BOOKKEEPING]


def inline_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in INLINE_KEYS]


def _labels():
    return [(f.name, f.verbose_name) for f in article_fields()]


def snapshot(article):
    data = {f.name: f.value_from_object(article) for f in article_fields()}
    for name, model in INLINES:
        fields = inline_fields(model)
        data[name] = [
            {f.name: f.value_from_object(row) for f in fields} for row in getattr(article, name).order_by("order", "pk")
        ]
    return data


def changed_by_since(article, number):
    """The users (ids) who changed the article after revision `number`: the model's answer, which the workflow reads too."""
    return article.changed_by_since(number)


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
    for name, label in _labels():
        if name not in data:
            continue  # a revision stored before the field existed
        lines.append(f"【{label}】")
        value = data.get(name)
        lines += ("" if value is None else str(value)).splitlines() or [""]
    found = text.snapshot_blocks(data)  # the article's parts, as newsroom.text assembles them
    for index, section in enumerate(text.taken(found, [text.SECTION]), start=1):
        lines.append(f"【{_('章节%(n)d') % {'n': index}}】{section.heading}")
        lines += section.text.splitlines() or [""]
    for index, photo in enumerate(text.taken(found, [text.PHOTO]), start=1):
        lines.append(f"【{_('图片%(n)d') % {'n': index}}】#{photo.item.photo_id} {photo.text}")
    for index, link in enumerate(text.taken(found, [text.LINK]), start=1):
        lines.append(f"【{_('相关链接%(n)d') % {'n': index}}】{link.text} {link.item.url}")
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
    fields = [f for f in article_fields() if f.name in data and f.name not in NOT_RESTORED]
    with transaction.atomic():
        for field in fields:
            setattr(article, field.attname, data[field.name])
        article.save(update_fields=[f.name for f in fields] + ["updated_at"])
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
