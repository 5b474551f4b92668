"""Template filters of the article's house layout (showcase pages, the admin's preview, the call page)."""

from django import template
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeData, mark_safe

register = template.Library()
COLUMN_MOST = 40  # Campaign.column_name's length: a title's part before its first bar no longer is not a column
BARS = "|｜"


@register.filter
def headline(title, most=COLUMN_MOST):
    """A list card's title without the column's name, which the list's heading gives: "优秀党建品牌巡展|东站……"
    shows from after its first bar ("|" or "｜") when what precedes it is column-sized; any other title
    whole. A title with search marks (safe HTML) stays safe; the marks never hold the bar."""
    text = str(title or "")
    bar = next((index for index, char in enumerate(text) if char in BARS), None)
    if bar is None or not 0 < len(strip_tags(text[:bar])) <= most:
        return title
    rest = text[bar + 1 :]
    return mark_safe(rest) if isinstance(title, SafeData) else rest  # noqa: S308 (a tail of HTML already safe: cut at a bar, outside any tag)


def split_paragraphs(text):
    """The paragraphs of a text as the paper prints them: one per line, blank lines and the
    typed indentation (spaces, full-width spaces) dropped; the page indents each itself."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _linked(line, mailbox):
    """One paragraph's text, escaped, with the campaign mailbox as a `mailto:` link wherever it is written."""
    if not mailbox or mailbox not in line:
        return format_html("{}", line)
    link = format_html('<a href="mailto:{}">{}</a>', mailbox, mailbox)
    return format_html_join(link, "{}", ((piece,) for piece in line.split(mailbox)))


@register.filter
def paragraphs(text, mailbox=""):
    """Each line of a text as its own `<p>` (escaped), so that every paragraph is indented;
    with a mailbox address (`text|paragraphs:campaign.mailbox`) that address becomes a link."""
    return format_html_join("", "<p>{}</p>", ((_linked(line, mailbox),) for line in split_paragraphs(text)))


@register.filter
def lines(text):
    """The paragraphs of a text as a list (for a paragraph that carries a prefix, e.g. 编者按)."""
    return split_paragraphs(text)
