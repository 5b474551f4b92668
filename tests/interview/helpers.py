"""An interview planned through the interview area's services, with dates next year (Beijing time)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from submissions.interview import services
from submissions.models import Status
from submissions.workflow import roles
from tests.factories import make_user, submission_in

BEIJING = ZoneInfo("Asia/Shanghai")


def next_year(month, day, hour, minute=0):
    return datetime(timezone.now().year + 1, month, day, hour, minute, tzinfo=BEIJING)


DATES = (next_year(3, 10, 9, 30), next_year(3, 11, 14), next_year(3, 12, 10))


def people():
    reporter = make_user(roles.EDITOR, username="reporter", email="reporter@example.com", last_name="王", first_name="晓")
    photographer = make_user(roles.EDITOR, username="photographer", email="photo@example.com", last_name="刘", first_name="洋")
    return reporter, photographer


def planned(status=Status.SHORTLISTED, *, editor=None, dates=DATES, entry=None, **kwargs):
    editor = editor or make_user(roles.EDITOR, username="planner", email="planner@example.com")
    entry = entry or submission_in(status)
    reporter, photographer = people()
    kwargs.setdefault("place", "济南市历下区某收费站党员活动室")
    return services.plan(entry, editor=editor, reporters=[reporter], photographer=photographer, dates=list(dates), **kwargs)


def confirmed(**kwargs):
    interview = planned(**kwargs)
    first = interview.dates.order_by("starts_at").first()
    return services.pick(interview, first.pk, interview.version)
