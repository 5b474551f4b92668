"""The contact's side, on the entry's tracking page: the proposal shown, a date picked or another asked
for; hostile answers (a date not proposed, a stale form, another entry's link, bad input) refused with
a message next to the field, nothing typed lost, nothing changed."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from submissions.models import InterviewStatus, OutboxMessage
from tests.interview.helpers import DATES, next_year, planned

pytestmark = pytest.mark.django_db
S = InterviewStatus
SECTION = Template("{% load interview_tags %}{% interview_section submission %}")  # the line the tracking page includes


def urls(interview, token=None):
    token = token or interview.submission.tracking_token
    return (
        reverse("interview:pick", args=[token, interview.pk]),
        reverse("interview:counter", args=[token, interview.pk]),
    )


def section(interview):
    return SECTION.render(Context({"submission": interview.submission}))


def test_the_section_shows_the_proposed_dates_as_choices_and_the_other_date_form(django_assert_max_num_queries):
    interview = planned()
    with django_assert_max_num_queries(4):
        html = section(interview)
    assert html.count('type="radio"') == 3
    assert f"{DATES[0].year}年3月10日 09:30" in html and "收费站党员活动室" in html
    pick, counter = urls(interview)
    assert pick in html and counter in html
    assert f'value="{interview.version}"' in html


def test_the_section_is_empty_without_an_interview_and_hides_a_cancelled_one(editor):
    from submissions.interview import services

    interview = planned()
    services.cancel(interview, editor, "改为书面采访")
    assert "data-interviews" not in section(interview)


def test_the_contact_picks_a_date_and_sees_it_confirmed(client, django_capture_on_commit_callbacks):
    interview = planned()
    second = interview.dates.order_by("starts_at")[1]
    pick, _counter = urls(interview)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pick, {"date": second.pk, "version": interview.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("track:detail", args=[interview.submission.tracking_token])
    interview.refresh_from_db()
    assert interview.status == S.CONFIRMED and interview.chosen_at == DATES[1]
    assert OutboxMessage.objects.filter(event="interview_confirmed").count() == 2
    html = section(interview)
    assert "已确定" in html and f"{DATES[1].year}年3月11日 14:00" in html and 'type="radio"' not in html


def test_a_date_not_among_the_proposals_is_refused_next_to_the_choices(client):
    interview = planned()
    other = planned()  # another interview's date
    foreign_date = other.dates.first()
    pick, _counter = urls(interview)
    for value in (foreign_date.pk, "abc", ""):
        response = client.post(pick, {"date": value, "version": interview.version})
        assert response.status_code == 200
        page = response.content.decode()
        assert "所选时间不在建议时间之中" in page or "请选择一个采访时间" in page
    interview.refresh_from_db()
    assert interview.status == S.PROPOSED and interview.chosen_at is None


def test_a_stale_form_is_refused_and_the_new_proposal_shown(client, editor):
    from submissions.interview import services

    interview = planned(editor=editor)
    seen = interview.version
    old_date = interview.dates.first().pk
    services.counter(interview, next_year(5, 6, 15), "请改期", seen)  # from another tab
    services.repropose(interview, editor, [next_year(6, 1, 9), next_year(6, 2, 9)])
    new_date = interview.dates.first().pk
    pick, _counter = urls(interview)
    response = client.post(pick, {"date": old_date, "version": seen})
    assert response.status_code == 200 and "所选时间不在建议时间之中" in response.content.decode()
    response = client.post(pick, {"date": new_date, "version": seen})  # a date of now, but the form was older
    page = response.content.decode()
    assert response.status_code == 200 and "编辑部刚刚更新了采访安排" in page
    assert f"{next_year(6, 1, 9).year}年6月1日 09:00" in page  # the proposal as it is now
    interview.refresh_from_db()
    assert interview.status == S.PROPOSED and interview.chosen_at is None


def test_another_entrys_link_finds_nothing(client):
    interview = planned()
    other = planned()
    pick, counter = urls(interview, token=other.submission.tracking_token)
    assert client.post(pick, {"date": interview.dates.first().pk, "version": 0}).status_code == 404
    assert client.post(counter, {"when": "2030-01-01T10:00", "message": "x", "version": 0}).status_code == 404
    assert client.get(urls(interview)[0]).status_code == 405  # answers are posted only
    interview.refresh_from_db()
    assert interview.status == S.PROPOSED


def test_the_contact_asks_for_another_date(client, django_capture_on_commit_callbacks):
    interview = planned()
    _pick, counter = urls(interview)
    when = next_year(5, 6, 15).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(counter, {"when": when, "message": "下月初更方便。", "version": interview.version})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == S.RESCHEDULING and interview.counter_at == next_year(5, 6, 15)
    assert interview.history.get().message == "下月初更方便。"
    assert OutboxMessage.objects.filter(event="interview_rescheduling").count() == 1
    assert "请等待编辑部重新安排" in section(interview)


@pytest.mark.parametrize(
    "when, message, error",
    [
        ("2001-01-01T10:00", "请改期", "提议的时间不能早于现在"),
        ("not a date", "请改期", "时间格式不正确"),
        ("", "请改期", "请填写希望的采访时间"),
        (None, "", "请说明原因或方便的时间段"),
        (None, "长" * 501, "留言请不超过 500 字"),
    ],
)
def test_a_bad_counter_proposal_is_refused_next_to_its_field_and_what_was_typed_kept(client, when, message, error):
    interview = planned()
    _pick, counter = urls(interview)
    when = next_year(5, 6, 15).strftime("%Y-%m-%dT%H:%M") if when is None else when
    response = client.post(counter, {"when": when, "message": message, "version": interview.version})
    page = response.content.decode()
    assert response.status_code == 200 and error in page
    assert message[:50] in page and (when in page or not when)
    interview.refresh_from_db()
    assert interview.status == S.PROPOSED and interview.counter_at is None


def test_an_answer_to_a_confirmed_interview_is_not_taken_twice(client):
    interview = planned()
    pick, _counter = urls(interview)
    date = interview.dates.first().pk
    client.post(pick, {"date": date, "version": interview.version})
    response = client.post(pick, {"date": interview.dates.last().pk, "version": interview.version + 1})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.chosen_at == DATES[0] and interview.history.count() == 1


def test_answers_are_rate_limited(client, settings):
    interview = planned()
    pick, _counter = urls(interview)
    from submissions.interview import views

    statuses = [client.post(pick, {"date": "", "version": 0}).status_code for _ in range(views.POST_LIMIT + 1)]
    assert statuses[-1] == 429 and "提交过于频繁" in client.post(pick, {}).content.decode()
