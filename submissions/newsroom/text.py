"""The article as ordered blocks of text: the one place that knows which texts an article is made of
and in which order a reader meets them (the house layout).

The public page and the admin's preview (submissions.column.articles), the Word export
(article_docx), the search text (publishing.edited), the overlap check's text
(submissions.overlap.text) and the revisions' readable lines (revisions.as_lines) all take the
article from `blocks()`, so a part added to an article, or moved, is added or moved here once.
The page and the Word export lay out every block in reading order; the search text and the overlap
text take the kinds they need in the order declared below (SEARCHED, COMPARED): both are stored
and indexed, so their order is kept as it was.
"""

from types import SimpleNamespace
from typing import NamedTuple

from django.utils.translation import gettext as _

from submissions.experts import selectors as expert_selectors
from submissions.platform.people import display_name

# Kinds of block; blocks() gives them in reading order (the parts not laid out right after the title).
TITLE = "title"
BYLINE = "byline"
EDITOR_NOTE = "editor_note"
LEAD = "lead"
SECTION = "section"  # heading and text; item: the section
PHOTO = "photo"  # text: the caption; item: the article's photo (after the section it illustrates, else after the last)
EXPERT = "expert"  # 专家点评: heading its label, text the commentary, signature the expert (item: a panel request)
CLOSING = "closing"
STANDING_CALL = "standing_call"
LINK = "link"  # text: the link's title; item: the link (its url)
CREDITS = "credits"
EDITORS = "editors"  # text: the 责任编辑's name; signature: the name of who signed it off (签审)
# The article's own words that are not laid out on the page (lists, cards, the title's parts).
SUMMARY = "summary"
SHORT_NAME = "short_name"
BRAND_NAME = "brand_name"
# Kinds whose rows come from the article's inlines (loaded only when a reader of the text asks for them).
_FROM_ROWS = {SECTION: "sections", PHOTO: "photos", LINK: "links"}

# What a reader can search in (titles are searched separately), in the order of the stored search text.
SEARCHED = (BYLINE, SUMMARY, EDITOR_NOTE, LEAD, SHORT_NAME, BRAND_NAME, SECTION, EXPERT, CLOSING)
# The article's own text for the overlap check (not the editor's note nor the standing call: they are the campaign's).
COMPARED = (LEAD, SECTION, CLOSING, EXPERT)


class Block(NamedTuple):
    kind: str
    text: str
    heading: str = ""
    signature: str = ""
    item: object = None

    @property
    def parts(self):
        """The block's texts, the heading first (what the search text joins)."""
        return (self.heading, self.text) if self.kind == SECTION else (self.text,)


def person(user):
    """How a person is printed on the article (责任编辑 / 签审): their display name."""
    return display_name(user)


def credits_of(article):
    """The credits line in brackets, as the paper prints it: the campaign's template (medium and
    closing word), each overridable on the article, around the article's people, e.g.
    `（大众日报客户端记者 王晓 刘洋 实习生 陈晨 通讯员 赵磊 报道）`. Empty when nobody is named."""
    people = [
        (label, " ".join(names.split()))
        for label, names in (
            (_("记者"), article.reporters),
            (_("实习生"), article.interns),
            (_("通讯员"), article.correspondents),
        )
    ]
    parts = [f"{label} {names}" for label, names in people if names]
    if not parts:
        return ""
    medium = (article.credits_medium or article.campaign.credits_medium).strip()
    closing = (article.credits_closing or article.campaign.credits_closing).strip()
    if medium and article.reporters.strip():
        parts[0] = medium + parts[0]
    return "（" + " ".join(parts + ([closing] if closing else [])) + "）"


def _placed(sections, photos):
    """The sections in order, each followed by the photos it is illustrated with; then the other photos."""
    shown = {section.pk for section in sections}
    for section in sections:
        yield Block(SECTION, section.body, heading=section.heading, item=section)
        for photo in photos:
            if photo.section_id is not None and photo.section_id == section.pk:
                yield Block(PHOTO, photo.caption, item=photo)
    for photo in photos:
        if photo.section_id is None or photo.section_id not in shown:
            yield Block(PHOTO, photo.caption, item=photo)


def blocks(article, kinds=None, *, sections=None):
    """The article as blocks in reading order; with `kinds`, only those (and only their rows loaded).

    `sections`: the sections as the caller loaded them (default: article.sections.all()). Photos
    and links come from article.photos.all() and article.links.all() (prefetch them for a page).
    """

    def wanted(kind):
        return kinds is None or kind in kinds

    def rows(kind):
        if not wanted(kind):
            return []
        if kind == SECTION and sections is not None:
            return list(sections)
        return list(getattr(article, _FROM_ROWS[kind]).all())

    head = [
        (TITLE, article.title),
        (SUMMARY, article.summary),
        (SHORT_NAME, article.short_name),
        (BRAND_NAME, article.brand_name),
        (BYLINE, article.byline),
        (EDITOR_NOTE, article.editor_note),
    ]
    found = [Block(kind, text) for kind, text in head if text or kind == TITLE]
    found.append(Block(LEAD, article.lead))
    found += _placed(rows(SECTION), rows(PHOTO))
    if article.expert_commentary:
        found.append(Block(EXPERT, article.expert_commentary, heading=_("专家点评"), signature=article.expert_name))
    if wanted(EXPERT):  # the panel's accepted commentaries (submissions/experts), each credited; item: the request
        found += [
            Block(EXPERT, item.text, heading=_("专家点评"), signature=item.expert.credit, item=item)
            for item in expert_selectors.for_article(article)
        ]
    found += [Block(kind, text) for kind, text in ((CLOSING, article.closing), (STANDING_CALL, article.standing_call)) if text]
    found += [Block(LINK, link.title, item=link) for link in rows(LINK)]
    if wanted(CREDITS):
        credits = credits_of(article)
        if credits:
            found.append(Block(CREDITS, credits))
    if wanted(EDITORS):
        found.append(Block(EDITORS, person(article.responsible_editor), signature=person(article.signed_off_by)))
    return [block for block in found if wanted(block.kind)]


def taken(found, kinds):
    """The blocks of `kinds`, kind by kind in that order (each kind's blocks in reading order)."""
    return [block for kind in kinds for block in found if block.kind == kind]


def search_text(article):
    """Everything a reader can search in, as one text (titles are searched separately)."""
    return "\n".join(part for block in taken(blocks(article, SEARCHED), SEARCHED) for part in block.parts if part)


def compared_text(article, sections):
    """The article's own text as the overlap check reads it: its parts apart by a blank line."""
    parts = (
        f"{block.heading}\n{block.text}" if block.kind == SECTION else block.text
        for block in taken(blocks(article, COMPARED, sections=sections), COMPARED)
    )
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def snapshot_blocks(data):
    """The inline parts of a stored revision (newsroom.revisions.snapshot) as blocks: its sections,
    then its photos (a revision keeps no section's key, so all come after the last) and its links."""
    sections = [SimpleNamespace(pk=None, heading=s.get("heading", ""), body=s.get("body", "")) for s in data.get("sections", [])]
    photos = [
        SimpleNamespace(section_id=None, caption=p.get("caption", ""), photo_id=p.get("photo")) for p in data.get("photos", [])
    ]
    links = [SimpleNamespace(title=link.get("title", ""), url=link.get("url", "")) for link in data.get("links", [])]
    return [*_placed(sections, photos), *(Block(LINK, link.title, item=link) for link in links)]
