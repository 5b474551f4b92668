"""The interview in the admin: planned from an entry, proposed again, cancelled, and the reporters'
material (notes, photos through the image pipeline, hostile ones refused with nothing stored); per role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.interview import services
from submissions.models import Interview, InterviewStatus, OutboxMessage, Photo, Status
from submissions.workflow import roles
from tests.factories import jpeg_upload, make_user, submission_in
from tests.interview.helpers import DATES, confirmed, next_year, people, planned

pytestmark = pytest.mark.django_db
S = InterviewStatus


def local(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def logged_in(client, user):
    client.force_login(user)
    return client


def stored(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def plan_data(entry, reporter, photographer, **extra):
    return {
        "submission": entry.pk,
        "reporters": [reporter.pk],
        "photographer": photographer.pk,
        "date_1": local(DATES[0]),
        "date_2": local(DATES[1]),
        "date_3": "",
        "place": "党员活动室",
        "notes": "请准备品牌创建的有关材料。",
        "duration_minutes": 90,
        "_save": "1",
        **extra,
    }


def test_an_editor_plans_an_interview_from_an_entry(client, editor, django_capture_on_commit_callbacks):
    entry = submission_in(Status.ACCEPTED)
    reporter, photographer = people()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, editor).post(
            reverse("admin:submissions_interview_add"), plan_data(entry, reporter, photographer)
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    # Back to the entry it was planned from, where a commentary or a video is one click away.
    assert response["Location"] == reverse("admin:submissions_submission_change", args=[entry.pk])
    interview = Interview.objects.get()
    assert (interview.submission, interview.created_by, interview.duration_minutes) == (entry, editor, 90)
    assert list(interview.reporters.all()) == [reporter] and interview.photographer == photographer
    assert sorted(interview.dates.values_list("starts_at", flat=True)) == list(DATES[:2])
    assert OutboxMessage.objects.filter(event="interview_proposed", to=entry.contact_email).count() == 1


@pytest.mark.parametrize(
    "change, error",
    [
        ({"date_2": ""}, "这个字段是必填项"),
        ({"date_2": local(DATES[0])}, "2 至 3 个不同"),
        ({"date_1": "2001-01-01 10:00:00"}, "早于现在"),
    ],
)
def test_a_plan_with_bad_dates_is_refused_on_the_form(client, editor, change, error):
    entry = submission_in(Status.SHORTLISTED)
    reporter, photographer = people()
    response = logged_in(client, editor).post(
        reverse("admin:submissions_interview_add"), plan_data(entry, reporter, photographer, **change)
    )
    assert response.status_code == 200 and error in response.content.decode()
    assert Interview.objects.count() == 0


def test_an_entry_under_review_is_refused_next_to_its_field(client, editor):
    entry = submission_in(Status.FIRST_REVIEW)
    reporter, photographer = people()
    response = logged_in(client, editor).post(
        reverse("admin:submissions_interview_add"), plan_data(entry, reporter, photographer)
    )
    assert response.status_code == 200 and "只有已入围或已采用的作品才能安排采访" in response.content.decode()
    assert Interview.objects.count() == 0


def test_the_editor_proposes_again_and_cancels_in_the_act_page(client, editor):
    interview = planned(editor=editor)
    services.counter(interview, next_year(5, 6, 15), "请改期", interview.version)
    url = reverse("admin:submissions_interview_act", args=[interview.pk])
    page = logged_in(client, editor).get(url).content.decode()
    assert "data-repropose" in page and "data-cancel" in page and "data-report" not in page
    response = client.post(url, {"action": "repropose", "dates-date_1": local(next_year(5, 6, 15)), "dates-date_2": ""})
    assert "这个字段是必填项" in response.content.decode()
    data = {"action": "repropose", "dates-date_1": local(next_year(5, 6, 15)), "dates-date_2": local(next_year(5, 7, 9))}
    assert client.post(url, data).status_code == 302
    interview.refresh_from_db()
    assert interview.status == S.PROPOSED
    assert client.post(url, {"action": "cancel", "cancel-reason": "改为书面采访"}).status_code == 302
    interview.refresh_from_db()
    assert interview.status == S.CANCELLED and interview.cancel_reason == "改为书面采访"


def test_a_reporter_brings_back_notes_and_photos_which_join_the_entry(client, settings):
    interview = confirmed()
    reporter, _photographer = people()
    url = reverse("admin:submissions_interview_act", args=[interview.pk])
    logged_in(client, reporter)
    assert "data-report" in client.get(url).content.decode()
    photos = [jpeg_upload("a.jpg"), jpeg_upload("b.png", fmt="PNG")]
    response = client.post(url, {"action": "report", "report-notes": "书记介绍了三个做法。", "report-photos": photos})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == S.DONE and interview.report == "书记介绍了三个做法。"
    assert interview.photos.count() == 2
    assert set(Photo.objects.filter(submission=interview.submission).values_list("pk", flat=True)) >= set(
        interview.photos.values_list("pk", flat=True)
    )
    assert len(stored(settings)) == 6  # three renditions each


def test_a_hostile_photo_is_refused_and_nothing_is_stored(client, settings):
    interview = confirmed()
    reporter, _photographer = people()
    url = reverse("admin:submissions_interview_act", args=[interview.pk])
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>" * 50, content_type="image/jpeg")
    response = logged_in(client, reporter).post(
        url, {"action": "report", "report-notes": "笔记不丢", "report-photos": [jpeg_upload(), fake]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "data-error" in page and "笔记不丢" in page
    interview.refresh_from_db()
    assert interview.status == S.CONFIRMED and interview.photos.count() == 0 and stored(settings) == []


def test_too_many_photos_are_refused_before_any_is_read(client, settings, monkeypatch):
    from submissions.platform import images

    interview = confirmed()
    reporter, _photographer = people()
    monkeypatch.setattr(images, "make_renditions", lambda upload: pytest.fail("a photo was read"))
    photos = [jpeg_upload(f"{n}.jpg", size=(8, 8)) for n in range(services.MAX_PHOTOS + 1)]
    url = reverse("admin:submissions_interview_act", args=[interview.pk])
    response = logged_in(client, reporter).post(url, {"action": "report", "report-notes": "x", "report-photos": photos})
    assert "每次最多上传 12 张照片" in response.content.decode()
    assert stored(settings) == []


@pytest.mark.parametrize("role", [roles.REVIEWER, None])
def test_staff_not_sent_and_without_the_permission_are_refused(client, role):
    interview = confirmed()
    outsider = make_user(role, username="outsider", is_staff=True)
    logged_in(client, outsider)
    response = client.get(reverse("admin:submissions_interview_act", args=[interview.pk]))
    assert response.status_code in (302, 403)
    assert client.get(reverse("admin:submissions_interview_changelist")).status_code in (302, 403)


def test_a_reporter_who_is_not_an_editor_may_report_but_not_cancel(client):
    interview = confirmed()
    reporter, _photographer = people()
    reporter.groups.clear()
    roles.grant(reporter, roles.REVIEWER)
    url = reverse("admin:submissions_interview_act", args=[interview.pk])
    page = logged_in(client, reporter).get(url).content.decode()
    assert "data-report" in page and "data-cancel" not in page
    client.post(url, {"action": "cancel", "cancel-reason": "不去了"})
    interview.refresh_from_db()
    assert interview.status == S.CONFIRMED


def test_the_admin_pages_cost_a_bounded_number_of_queries(client, editor, django_assert_max_num_queries):
    for _ in range(3):
        confirmed()
    interview = Interview.objects.first()
    logged_in(client, editor)
    client.get(reverse("admin:index"))  # the site settings cached, as on every later page
    for url, limit in (
        (reverse("admin:submissions_interview_changelist"), 12),
        (reverse("admin:submissions_interview_change", args=[interview.pk]), 25),
        (reverse("admin:submissions_interview_act", args=[interview.pk]), 14),
        (reverse("admin:submissions_interview_add"), 14),
        (reverse("admin:submissions_interview_calendar"), 12),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_my_calendar_page_shows_my_feed_link_and_makes_a_new_one(client, editor):
    from submissions.interview import calendar

    logged_in(client, editor)
    url = reverse("admin:submissions_interview_calendar")
    old = calendar.feed_url(editor)
    assert old in client.get(url).content.decode()
    assert client.post(url, {"action": "reset"}).status_code == 302
    assert calendar.feed_url(editor) != old
    assert client.get(old.split("127.0.0.1:8000")[-1]).status_code == 404
