"""{{ photo.display|public_url }}: a rendition's address on a public page (submissions.platform.public_media)."""

from django import template

from submissions.platform import public_media

register = template.Library()


@register.filter
def public_url(field):
    return public_media.url(field)
