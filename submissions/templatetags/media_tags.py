"""{{ photo.display|public_url }}: a rendition's address on a public page (submissions.public_media)."""

from django import template

from submissions import public_media

register = template.Library()


@register.filter
def public_url(field):
    return public_media.url(field)
