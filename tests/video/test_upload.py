"""Uploading a video in the admin (issue 29, item 2): bounded by the request's declared length
before a byte is read, judged by content (platform.video.probe) before anything is kept, kept and
converted in the worker (TASKS_EAGER runs the task once the upload commits), refused with a
Chinese message beside the field and nothing stored."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.urls import reverse

from submissions.models import Status, Video
from submissions.workflow import roles
from tests.factories import ShowcaseFactory, make_user, submission_in
from tests.platform.test_video import playlist
from tests.submit_data import image_bytes

pytestmark = pytest.mark.django_db
UPLOAD = reverse("admin:submissions_video_add")


def stored_files(settings):
    folder = Path(settings.MEDIA_ROOT) / "videos"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def editor_client(client):
    client.force_login(make_user(roles.EDITOR, username="video-editor"))
    return client


@pytest.fixture
def article():
    return ShowcaseFactory()


def post(client, entry, upload, caption="走进车间"):
    return client.post(UPLOAD, {"submission": entry.reference, "in_article": "on", "caption": caption, "file": upload})


def test_an_editor_uploads_a_clip_and_the_worker_converts_it_for_the_article(
    editor_client, article, clip, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    entry = article.submission
    with django_assert_max_num_queries(12):
        page = editor_client.get(UPLOAD, {"submission": entry.pk})
    assert page.status_code == 200 and f'value="{entry.reference}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(editor_client, entry, SimpleUploadedFile("IMG_0001.MP4", clip.read_bytes(), content_type="video/mp4"))
    assert response.status_code == 302, response.content.decode()[:2000]
    video = Video.objects.get()
    assert (video.submission, video.showcase, video.caption, video.state) == (entry, article, "走进车间", Video.State.READY)
    assert video.original.name == ""  # the upload is gone once converted
    assert sorted(stored_files(settings)) == sorted(n.removeprefix("videos/") for n in (video.mp4.name, video.poster.name))
    assert video.mp4.name.endswith(".mp4") and video.poster.name.endswith(".jpg")
    assert len(Path(video.mp4.name).stem) == 32  # a random name like a photo's, nothing of the upload's
    mp4 = (Path(settings.MEDIA_ROOT) / video.mp4.name).read_bytes()
    assert mp4[4:8] == b"ftyp" and mp4.find(b"moov") < mp4.find(b"mdat")  # fast start: the index first
    assert (Path(settings.MEDIA_ROOT) / video.poster.name).read_bytes()[:3] == b"\xff\xd8\xff"
    assert (video.width, video.height) == (320, 240) and 1.5 < video.duration < 2.5


def test_without_the_article_box_the_clip_stays_on_the_entry(editor_client, article, clip, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            UPLOAD,
            {"submission": article.submission.reference, "file": SimpleUploadedFile("a.mp4", clip.read_bytes())},
        )
    assert Video.objects.get().showcase is None


HOSTILE = {
    "playlist.mp4": playlist("playlist.mp4", "http://127.0.0.1:9/x.ts").encode(),
    "concat.mp4": playlist("concat.mp4", "http://127.0.0.1:9/x.ts").encode(),
    "text.mp4": playlist("text.mp4", "").encode(),
    "photo.mp4": image_bytes(),
    "empty.mp4": b"",
}


@pytest.mark.parametrize("name", [*HOSTILE, "truncated.mp4"])
def test_hostile_files_are_refused_beside_the_field_and_nothing_is_kept(editor_client, article, clip, settings, name):
    data = HOSTILE.get(name) or clip.read_bytes()[: clip.stat().st_size * 6 // 10]
    response = post(
        editor_client, article.submission, SimpleUploadedFile(name, data, content_type="video/mp4"), caption="保留的说明"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html and "视频" in html  # the Chinese message, beside the field
    assert 'value="保留的说明"' in html and f'value="{article.submission.reference}"' in html  # nothing typed is lost
    assert Video.objects.count() == 0 and stored_files(settings) == []


def test_an_oversize_upload_is_refused_by_its_declared_length_before_the_body_is_read(
    editor_client, article, settings, monkeypatch
):
    settings.VIDEO_MAX_BYTES = 100_000

    def read(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", read)
    response = post(editor_client, article.submission, SimpleUploadedFile("big.mp4", b"\0" * 200_000))
    assert response.status_code == 413
    assert "请剪短或压缩后再上传" in response.content.decode()
    assert Video.objects.count() == 0 and stored_files(settings) == []


def test_the_csrf_check_still_holds(client, article, clip, settings):
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(make_user(roles.EDITOR, username="video-editor-csrf"))
    response = post(guarded, article.submission, SimpleUploadedFile("a.mp4", clip.read_bytes()))
    assert response.status_code == 403
    assert Video.objects.count() == 0 and stored_files(settings) == []


@pytest.mark.parametrize("role", [None, roles.REVIEWER])
def test_only_the_newsroom_may_upload(client, article, clip, settings, role):
    if role:
        client.force_login(make_user(role, username="video-outsider", is_staff=True))
    response = post(client, article.submission, SimpleUploadedFile("a.mp4", clip.read_bytes()))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert Video.objects.count() == 0 and stored_files(settings) == []


def test_an_unknown_entry_is_refused_beside_its_field(editor_client, clip, settings):
    submission_in(Status.SUBMITTED)
    response = editor_client.post(UPLOAD, {"submission": "1999-9999", "file": SimpleUploadedFile("a.mp4", clip.read_bytes())})
    assert response.status_code == 400 and "找不到该作品" in response.content.decode()
    assert Video.objects.count() == 0 and stored_files(settings) == []


def test_the_list_and_a_video_s_page_and_only_its_own_entry_s_article(
    editor_client, article, clip, django_assert_max_num_queries
):
    from tests.video.clips import ready_video

    for n in range(3):
        ready_video(article.submission, clip, showcase=article, caption=f"第{n}段")
    video = Video.objects.first()
    with django_assert_max_num_queries(14):
        listing = editor_client.get(reverse("admin:submissions_video_changelist"))
    assert listing.status_code == 200 and listing.content.decode().count("第") >= 3
    change = reverse("admin:submissions_video_change", args=[video.pk])
    assert editor_client.get(change).status_code == 200
    other = ShowcaseFactory()
    response = editor_client.post(change, {"showcase": other.pk, "caption": "改", "order": 1})
    assert response.status_code == 200 and "视频只能放入其所属作品的文章" in response.content.decode()
    response = editor_client.post(change, {"showcase": "", "caption": "改", "order": 1})
    assert response.status_code == 302
    video.refresh_from_db()
    assert (video.showcase, video.caption) == (None, "改")
