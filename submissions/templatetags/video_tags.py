"""{% article_videos article %}: an article's converted videos (submissions.video), each a <video>
with its poster at full width and its caption below, on the public path once published."""

from django import template

from submissions.video import selectors

register = template.Library()


@register.inclusion_tag("showcase/_videos.html")
def article_videos(article):
    return {"videos": selectors.shown_in(article)}
