"""The article's draft offers the interview's material (issue 29, item 5): the notes to copy and the
photos, each added to the article's photos in one action; done interviews first; nothing without."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.interview import services
from submissions.models import InterviewStatus, ShowcasePhoto, Status
from submissions.newsroom import publishing
from submissions.workflow import roles
from tests.factories import add_photo, jpeg_upload, make_user, submission_in
from tests.interview.helpers import confirmed, people, planned

pytestmark = pytest.mark.django_db
NOTES = "书记介绍了“零距离”的三个做法：一是……二是……"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def interviewed(photos=2, notes=NOTES):
    """An accepted entry with one photo of its own and a done interview with `photos` photos and notes."""
    entry = submission_in(Status.ACCEPTED)
    own = add_photo(entry, caption="报送照片")
    interview = confirmed(entry=entry)
    reporter, _photographer = people()
    uploads = [jpeg_upload(f"{n}.jpg", size=(40, 30)) for n in range(photos)]
    services.report(interview, reporter, notes, uploads, via="admin")
    interview.refresh_from_db()
    return entry, own, interview


def draft(entry, editor):
    return publishing.draft_from_entry(entry, editor=editor)


def change_url(article):
    return reverse("admin:submissions_showcase_change", args=[article.pk])


def add_url(article):
    return reverse("admin:submissions_showcase_interview_photo", args=[article.pk])


def test_the_draft_takes_the_submitters_photos_and_offers_the_interviews(client, editor):
    entry, own, interview = interviewed()
    article = draft(entry, editor)
    assert list(article.photos.values_list("photo_id", flat=True)) == [own.pk]  # the interview's are offered
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert "采访素材" in html and NOTES in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    for photo in interview.photos.all():
        assert f'name="photo" value="{photo.pk}"' in html and photo.thumbnail.url in html
    assert f'name="photo" value="{own.pk}"' not in html


def test_adding_an_interview_photo_puts_it_at_the_end_once(client, editor):
    entry, own, interview = interviewed()
    article = draft(entry, editor)
    revisions = article.revisions.count()
    first, second = interview.photos.order_by("pk")
    client.force_login(editor)
    response = client.post(add_url(article), {"photo": first.pk})
    assert response.status_code == 302 and response["Location"].startswith(change_url(article))
    rows = list(article.photos.order_by("order", "pk").values_list("photo_id", "order"))
    assert rows == [(own.pk, 0), (first.pk, 1)]
    assert article.revisions.count() == revisions + 1  # an edit like any other
    client.post(add_url(article), {"photo": first.pk})  # twice: still once
    assert ShowcasePhoto.objects.filter(showcase=article, photo=first).count() == 1
    html = client.get(change_url(article)).content.decode()
    assert "已在文章中" in html and f'name="photo" value="{second.pk}"' in html
    assert f'name="photo" value="{first.pk}"' not in html


def test_only_a_photo_of_this_entrys_interview_is_added(client, editor):
    entry, own, _interview = interviewed(photos=1)
    article = draft(entry, editor)
    _other_entry, _other_own, other = interviewed(photos=1)
    client.force_login(editor)
    for bad in [own.pk, other.photos.get().pk, "x", "9" * 20, ""]:
        response = client.post(add_url(article), {"photo": bad}, follow=True)
        assert response.status_code == 200
        assert "采访照片" in response.content.decode()  # the refusal, in Chinese
    assert list(article.photos.values_list("photo_id", flat=True)) == [own.pk]
    assert client.get(add_url(article)).status_code == 404  # a POST only


def test_a_non_editor_cannot_add_or_see_the_article(client, reviewer):
    entry, own, interview = interviewed(photos=1)
    article = draft(entry, make_user(roles.EDITOR, username="writer"))
    client.force_login(reviewer)
    assert client.post(add_url(article), {"photo": interview.photos.get().pk}).status_code == 403
    assert client.get(change_url(article)).status_code in (302, 403)
    assert list(article.photos.values_list("photo_id", flat=True)) == [own.pk]


def test_a_reader_of_the_article_sees_the_material_without_the_button(client, editor):
    entry, _own, interview = interviewed(photos=1)
    article = draft(entry, editor)
    viewer = make_user(None, username="viewer", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_showcase"))
    client.force_login(viewer)
    html = client.get(change_url(article)).content.decode()
    assert "采访素材" in html and 'name="photo"' not in html
    assert client.post(add_url(article), {"photo": interview.photos.get().pk}).status_code == 403


def test_nothing_shown_without_an_interview_or_with_a_cancelled_one(client, editor):
    entry = submission_in(Status.ACCEPTED)
    article = draft(entry, editor)
    client.force_login(editor)
    assert "采访素材" not in client.get(change_url(article)).content.decode()
    interview = planned(entry=entry)
    services.cancel(interview, interview.created_by, "改为书面采访", via="admin")
    assert "采访素材" not in client.get(change_url(article)).content.decode()


def test_done_interviews_first():
    entry, _own, done = interviewed(photos=0, notes="第一次采访笔记")
    second = confirmed(entry=entry)
    from submissions.models import Interview

    Interview.objects.filter(pk=second.pk).update(report="进行中的补充笔记")
    article = draft(entry, make_user(roles.EDITOR, username="writer"))
    from submissions.newsroom import material

    found = [item["interview"].pk for item in material.for_article(article)]
    assert found == [done.pk, second.pk]
    assert Interview.objects.get(pk=done.pk).status == InterviewStatus.DONE


def test_the_page_reads_the_material_in_a_fixed_number_of_queries(client, editor):
    entry, _own, _interview = interviewed(photos=1)
    article = draft(entry, editor)
    client.force_login(editor)
    client.get(change_url(article))
    with CaptureQueriesContext(connection) as few:
        client.get(change_url(article))
    reporter, _photographer = people()
    extra = confirmed(entry=entry)
    services.report(extra, reporter, "补充", [jpeg_upload(f"m{n}.jpg", size=(40, 30)) for n in range(3)], via="admin")
    with CaptureQueriesContext(connection) as many:
        html = client.get(change_url(article)).content.decode()
    assert html.count('name="photo" value=') == 4
    assert len(many.captured_queries) == len(few.captured_queries)
