"""Interviews in the newsroom's queues (待办, issue 29 item 5): waiting for the contact, the contact
asked for another date (the editor acts), confirmed and ahead, confirmed and passed with the
material still due. Seen by who plans interviews, never by a reviewer; counted like the others."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.admin import queues as admin_queues
from submissions.interview import services
from submissions.models import Interview, InterviewStatus, Status
from submissions.review import queues
from tests.factories import submission_in
from tests.interview.helpers import BEIJING, confirmed, planned

S = InterviewStatus
pytestmark = pytest.mark.django_db
NAMES = ("interview_proposed", "interview_rescheduling", "interview_upcoming", "interview_report")


def ids(name, user):
    return [obj.pk for obj in queues.BY_NAME[name].items(user)]


def rescheduled(**kwargs):
    interview = planned(**kwargs)
    when = datetime(timezone.now().year + 1, 4, 1, 10, tzinfo=BEIJING)
    return services.counter(interview, when, "那几天书记出差", interview.version)


def passed(interview):
    """The confirmed interview's date moved into the past (the visit happened)."""
    Interview.objects.filter(pk=interview.pk).update(chosen_at=timezone.now() - timedelta(days=2))
    return interview


def four():
    proposed = planned()
    asked = rescheduled()
    ahead = confirmed()
    behind = passed(confirmed())
    return proposed, asked, ahead, behind


def test_each_queue_holds_its_interviews(editor):
    proposed, asked, ahead, behind = four()
    assert asked.status == S.RESCHEDULING
    assert ids("interview_proposed", editor) == [proposed.pk]
    assert ids("interview_rescheduling", editor) == [asked.pk]
    assert ids("interview_upcoming", editor) == [ahead.pk]
    assert ids("interview_report", editor) == [behind.pk]


def test_done_and_cancelled_leave_the_queues(editor):
    proposed, asked, ahead, behind = four()
    services.report(behind, editor, "采访笔记", via="admin")
    services.cancel(proposed, editor, "改为书面采访", via="admin")
    assert ids("interview_report", editor) == [] and ids("interview_proposed", editor) == []
    assert ids("interview_rescheduling", editor) == [asked.pk] and ids("interview_upcoming", editor) == [ahead.pk]


def test_upcoming_soonest_first(editor):
    later, sooner = confirmed(), confirmed()
    Interview.objects.filter(pk=later.pk).update(chosen_at=timezone.now() + timedelta(days=9))
    Interview.objects.filter(pk=sooner.pk).update(chosen_at=timezone.now() + timedelta(days=1))
    assert ids("interview_upcoming", editor) == [sooner.pk, later.pk]


def test_editors_and_chiefs_see_them_a_reviewer_does_not(editor, chief, reviewer):
    four()
    assert set(NAMES) <= {q.name for q in queues.queues_for(editor)}
    assert set(NAMES) <= {q.name for q in queues.queues_for(chief)}
    assert not set(NAMES) & {q.name for q in queues.queues_for(reviewer)}
    for name in NAMES:
        assert queues.get(reviewer, name) is None
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("admin:queue", args=["interview_rescheduling"])).status_code == 404


def test_first_page_counts_and_links_them(editor):
    _proposed, asked, _ahead, _behind = four()
    rows = {row["queue"].name: row for row in admin_queues.summary(editor)}
    assert [rows[name]["count"] for name in NAMES] == [1, 1, 1, 1]
    url = rows["interview_rescheduling"]["items"][0]["url"]
    assert url == f"{reverse('admin:submissions_interview_act', args=[asked.pk])}?queue=interview_rescheduling"
    assert asked.submission.org_name in rows["interview_rescheduling"]["items"][0]["label"]
    client = Client()
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    for name in NAMES:
        assert f'id="queue-{name}"' in html
    assert client.get(url).status_code == 200


def test_counts_are_capped(editor, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    for _ in range(3):
        planned()
    row = next(r for r in admin_queues.summary(editor) if r["queue"].name == "interview_proposed")
    assert row["count"] == "2+" and row["capped"]


def test_first_page_queries_do_not_grow_with_the_interviews(editor):
    four()
    client = Client()
    client.force_login(editor)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin:index"))
    for _ in range(3):
        four()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin:index"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_shortlisted_and_accepted_entries_without_an_interview_wait_in_their_own_queue(editor, reviewer):
    waiting = submission_in(Status.SHORTLISTED)
    accepted = submission_in(Status.ACCEPTED)
    submission_in(Status.FIRST_REVIEW)  # not yet shortlisted
    planned_entry = planned().submission  # shortlisted, an interview proposed
    cancelled = planned(entry=submission_in(Status.SHORTLISTED))
    services.cancel(cancelled, editor, "改为书面采访")  # a cancelled one leaves the entry waiting again
    queue = queues.BY_NAME["to_interview"]
    assert {entry.pk for entry in queue.items(editor)} == {waiting.pk, accepted.pk, cancelled.submission_id}
    assert planned_entry.pk not in {entry.pk for entry in queue.items(editor)}
    assert queue.seen_by(editor) and not queue.seen_by(reviewer)
