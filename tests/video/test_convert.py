"""The conversion task (issue 29, item 2): claimed in the database (safe to run twice, and taken
over from a worker that died), bounded (a conversion past its time fails and leaves nothing), the
original deleted either way; the state is written by the area only."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from submissions.models import Video
from submissions.platform import tasks as platform_tasks
from submissions.video import services, tasks
from tests.factories import ShowcaseFactory

pytestmark = pytest.mark.django_db


def files(settings):
    folder = Path(settings.MEDIA_ROOT) / "videos"
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def uploaded(clip):
    article = ShowcaseFactory()
    return services.accept(SimpleUploadedFile("a.mp4", clip.read_bytes()), submission=article.submission, showcase=article)


def test_an_upload_waits_for_the_worker_and_is_queued_after_the_commit(
    uploaded, settings, monkeypatch, django_capture_on_commit_callbacks
):
    assert uploaded.state == Video.State.UPLOADED and files(settings) == [Path(uploaded.original.name).name]
    queued = []
    monkeypatch.setattr(platform_tasks, "enqueue", lambda func, *args: queued.append((func, args)))
    with django_capture_on_commit_callbacks(execute=True):
        video = services.accept(SimpleUploadedFile("b.mp4", b"x"), submission=uploaded.submission)
        assert queued == []  # nothing before the commit
    assert queued == [("submissions.video.tasks.convert", (video.pk,))]


def test_a_second_run_finds_it_done(uploaded):
    assert tasks.convert(uploaded.pk) == uploaded.pk
    converted = Video.objects.get()
    assert tasks.convert(uploaded.pk) is None
    assert Video.objects.get().mp4.name == converted.mp4.name  # not converted twice


def test_a_conversion_left_by_a_dead_worker_is_taken_over_and_one_in_progress_is_not(uploaded):
    Video.objects.filter(pk=uploaded.pk).update(state=Video.State.PROCESSING, claimed_at=timezone.now())
    assert tasks.convert(uploaded.pk) is None  # another worker has it
    Video.objects.filter(pk=uploaded.pk).update(claimed_at=timezone.now() - timedelta(hours=2))
    assert tasks.convert(uploaded.pk) == uploaded.pk
    assert Video.objects.get().state == Video.State.READY


def test_a_conversion_past_its_time_fails_and_leaves_nothing(uploaded, settings):
    settings.VIDEO_TRANSCODE_SECONDS = 0.05
    assert tasks.convert(uploaded.pk) is None
    video = Video.objects.get()
    assert video.state == Video.State.FAILED and not video.mp4 and not video.poster and not video.original
    assert any("\u4e00" <= char <= "\u9fff" for char in video.error)  # said in Chinese, for the editor
    assert files(settings) == []  # the original went too


def test_a_stored_file_that_is_not_a_video_fails_in_the_worker_too(clip, settings):
    article = ShowcaseFactory()
    video = services.accept(SimpleUploadedFile("a.mp4", b"#EXTM3U\nhttp://127.0.0.1:9/x.ts\n"), submission=article.submission)
    tasks.convert(video.pk)  # what was stored is probed again before it is converted
    video.refresh_from_db()
    assert video.state == Video.State.FAILED and files(settings) == []


def test_deleting_a_video_in_the_admin_deletes_its_files(uploaded, settings, admin_client, django_capture_on_commit_callbacks):
    tasks.convert(uploaded.pk)
    assert len(files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/submissions/video/{uploaded.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and Video.objects.count() == 0 and files(settings) == []
