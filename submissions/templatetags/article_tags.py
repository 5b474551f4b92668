"""Template filters of the article's house layout (showcase pages, the admin's preview, the print view)."""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def split_paragraphs(text):
    """The paragraphs of a text as the paper prints them: one per line, blank lines and the
    typed indentation (spaces, full-width spaces) dropped; the page indents each itself."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@register.filter(needs_autoescape=True)
def paragraphs(text, css_class="", autoescape=True):
    """Each line of a text as its own `<p>` (escaped), so that every paragraph is indented."""
    escape = conditional_escape if autoescape else (lambda value: value)
    attrs = format_html_join("", ' class="{}"', [(css_class,)]) if css_class else ""
    return mark_safe("".join(f"<p{attrs}>{escape(line)}</p>" for line in split_paragraphs(text)))


@register.filter
def lines(text):
    """The paragraphs of a text as a list (for a paragraph that carries a prefix, e.g. 编者按)."""
    return split_paragraphs(text)


@register.filter
def mailbox_links(html, mailbox):
    """Paragraphs (the output of `paragraphs`) with the campaign mailbox as a `mailto:` link
    wherever it is written; the address is escaped the same way as the text around it."""
    if not mailbox:
        return html
    address = conditional_escape(mailbox)
    link = format_html('<a href="mailto:{}">{}</a>', mailbox, mailbox)
    return mark_safe(str(html).replace(str(address), str(link)))
