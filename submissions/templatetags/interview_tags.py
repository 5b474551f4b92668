"""The tracking page's interview section: `{% load interview_tags %}{% interview_section submission %}`."""

from django import template

from submissions.interview import selectors
from submissions.interview.services import PLANNABLE
from submissions.interview.views import forms_for
from submissions.models import InterviewStatus

register = template.Library()


@register.inclusion_tag("track/_interview.html", takes_context=True)
def interview_section(context, submission):
    """The entry's interviews; none asked for before it is shortlisted (no query: the page's count stays)."""
    items = []
    interviews = selectors.for_contact(submission) if submission.status in PLANNABLE else []
    for interview in interviews:
        pick, counter = forms_for(interview) if interview.status == InterviewStatus.PROPOSED else (None, None)
        items.append({"interview": interview, "pick": pick, "counter": counter, "error": ""})
    return {"items": items, "submission": submission, "csrf_token": context.get("csrf_token"), "request": context.get("request")}
