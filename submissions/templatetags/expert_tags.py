"""The tracking page's brand diagnoses (品牌诊断): `{% load expert_tags %}{% expert_diagnoses submission %}`."""

from django import template

from submissions.experts import selectors
from submissions.experts.services import COMMENTABLE

register = template.Library()


@register.inclusion_tag("track/_diagnosis.html")
def expert_diagnoses(submission):
    """The accepted diagnoses, each credited; none asked for before the entry could be commented on (no query)."""
    return {"diagnoses": selectors.diagnoses_for(submission) if submission.status in COMMENTABLE else []}
