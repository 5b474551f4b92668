"""The calendar files: one appointment's, and a staff member's feed behind a signed, revocable link;
parsed back with icalendar, their times in Asia/Shanghai."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from submissions.interview import calendar, services
from submissions.models import Interview
from submissions.workflow import roles
from tests.factories import make_user
from tests.interview.helpers import DATES, confirmed, next_year, people, planned

pytestmark = pytest.mark.django_db


def events(content):
    parsed = Calendar.from_ical(content)
    return parsed, list(parsed.walk("VEVENT"))


def test_one_appointments_file_has_its_time_in_beijing(client, django_assert_max_num_queries):
    interview = confirmed()
    url = reverse("interview:ics", args=[interview.pk, interview.token])
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    parsed, (event,) = events(response.content)
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert (start.year, start.month, start.day, start.hour, start.minute) == (DATES[0].year, 3, 10, 9, 30)
    assert event.decoded("dtend") - start == timedelta(minutes=120)
    assert start.utcoffset() == timedelta(hours=8)
    assert "采访" in str(event["summary"]) and str(event["location"]) == "济南市历下区某收费站党员活动室"
    assert "王晓" in str(event["description"]) and "13800138000" in str(event["description"])
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_an_unconfirmed_or_wrong_token_appointment_is_not_found(client):
    interview = planned()
    assert client.get(reverse("interview:ics", args=[interview.pk, interview.token])).status_code == 404
    confirmed_one = confirmed()
    assert client.get(reverse("interview:ics", args=[confirmed_one.pk, interview.token])).status_code == 404


def test_a_staff_members_feed_lists_their_confirmed_interviews_only(client, django_assert_max_num_queries):
    first = confirmed()
    second = confirmed()
    services.cancel(second, make_user(roles.EDITOR, username="e2"), "取消")
    planned()  # proposed: not on a calendar yet
    reporter, _photographer = people()
    third = confirmed()
    services.report(third, reporter, "笔记")  # done: still on the calendar
    url = reverse("interview:feed", args=[calendar.feed_token(reporter)])
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    _parsed, found = events(response.content)
    assert sorted(str(e["uid"]).split("@")[0] for e in found) == sorted(f"interview-{i.pk}" for i in (first, third))
    outsider = make_user(roles.EDITOR, username="not-sent")
    _parsed, none = events(client.get(reverse("interview:feed", args=[calendar.feed_token(outsider)])).content)
    assert none == []


def test_a_feed_link_is_refused_when_forged_revoked_or_its_person_left(client):
    confirmed()
    reporter, _photographer = people()
    token = calendar.feed_token(reporter)
    url = reverse("interview:feed", args=[token])
    assert client.get(url).status_code == 200
    pk, signature = token.split(".", 1)
    other = make_user(roles.EDITOR, username="other")
    calendar.feed_token(other)
    for forged in (f"{other.pk}.{signature}", f"{pk}.{signature[:-1]}x", "x", f"{pk}", "9" * 300):
        assert client.get(reverse("interview:feed", args=[forged])).status_code == 404
    calendar.reset_feed(reporter)
    assert client.get(url).status_code == 404
    new_url = reverse("interview:feed", args=[calendar.feed_token(reporter)])
    assert client.get(new_url).status_code == 200
    reporter.is_active = False
    reporter.save()
    assert client.get(new_url).status_code == 404


def test_the_feed_url_is_absolute():
    reporter, _photographer = people()
    assert calendar.feed_url(reporter).startswith("http") and calendar.feed_url(reporter).endswith(".ics")


def test_a_date_chosen_late_in_the_evening_keeps_its_beijing_day():
    interview = planned(dates=[next_year(7, 1, 23, 30), next_year(7, 2, 9)])
    services.pick(interview, interview.dates.order_by("starts_at").first().pk, interview.version)
    _parsed, (event,) = events(calendar.one(Interview.objects.get(pk=interview.pk)))
    start = event.decoded("dtstart")
    assert (start.month, start.day, start.hour, start.minute) == (7, 1, 23, 30)  # UTC would say 15:30
