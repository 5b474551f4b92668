"""A video is served like a published photo (issue 29, item 2): its MP4 and poster are public only
while its article is live (then on the public path too), private to the newsroom before, with byte
ranges; the original upload is never served; the article shows a <video> with its poster."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from submissions.models import Showcase, Video
from submissions.newsroom import publishing
from submissions.video import services
from submissions.workflow import roles
from tests.factories import ShowcaseFactory, article_in, make_user, published_showcase
from tests.video.clips import ready_video

pytestmark = pytest.mark.django_db


def media_url(field):
    return f"/media/{field.name}"


def test_before_publication_only_the_newsroom_and_the_entry_sees_it(client, clip, settings):
    article = ShowcaseFactory()
    video = ready_video(article.submission, clip, showcase=article)
    for url in (media_url(video.mp4), media_url(video.poster)):
        assert client.get(url).status_code == 404
        assert client.get(url, {"t": article.submission.tracking_token}).status_code == 200
    client.force_login(make_user(roles.EDITOR, username="video-viewer"))
    response = client.get(media_url(video.mp4))
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == (Path(settings.MEDIA_ROOT) / video.mp4.name).read_bytes()


def test_a_live_article_s_video_is_public_with_byte_ranges(client, clip, settings):
    article = published_showcase()
    video = ready_video(article.submission, clip, showcase=article)
    data = (Path(settings.MEDIA_ROOT) / video.mp4.name).read_bytes()
    whole = client.get(media_url(video.mp4))
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert whole["Cache-Control"] == "public, max-age=31536000, immutable"
    assert whole["X-Content-Type-Options"] == "nosniff"
    part = client.get(media_url(video.mp4), HTTP_RANGE="bytes=100-1099")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-1099/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:1100]
    tail = client.get(media_url(video.mp4), HTTP_RANGE="bytes=-500")
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == data[-500:]
    open_ended = client.get(media_url(video.mp4), HTTP_RANGE=f"bytes={len(data) - 10}-")
    assert b"".join(open_ended.streaming_content) == data[-10:]
    beyond = client.get(media_url(video.mp4), HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    poster = client.get(media_url(video.poster))
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"


def test_a_video_not_in_the_article_or_not_converted_stays_private(client, clip):
    article = published_showcase()
    elsewhere = ready_video(article.submission, clip, showcase=None)
    assert client.get(media_url(elsewhere.mp4)).status_code == 404


def test_the_original_upload_is_never_served(client, clip):
    article = published_showcase()
    from django.core.files.uploadedfile import SimpleUploadedFile

    video = services.accept(SimpleUploadedFile("a.mp4", clip.read_bytes()), submission=article.submission, showcase=article)
    assert video.original.name.startswith("videos/")
    client.force_login(make_user(roles.EDITOR, username="video-original"))
    assert client.get(media_url(video.original)).status_code == 404


def own_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def test_the_article_shows_the_video_with_its_poster_and_caption(client, clip, django_assert_max_num_queries):
    from django.core.cache import cache

    article = published_showcase()
    ready_video(article.submission, clip, showcase=article, caption="车间里的党员先锋岗")
    video = Video.objects.get()
    cache.clear()  # cold, as the second: the publication's mails have read the site's settings into the cache
    with django_assert_max_num_queries(40) as one:  # cold: the database cache's own reads and writes included
        html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<video controls playsinline webkit-playsinline preload="none" poster="{media_url(video.poster)}" '
        f'width="320" height="240" aria-label="车间里的党员先锋岗">'
    ) in html
    assert f'<source src="{media_url(video.mp4)}" type="video/mp4">' in html
    assert "<figcaption>车间里的党员先锋岗</figcaption>" in html
    ready_video(article.submission, clip, showcase=article, caption="第二段")
    cache.clear()
    with django_assert_max_num_queries(40) as two:
        html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<video ") == 2
    assert len(own_queries(one)) == len(own_queries(two)) <= 8, own_queries(two)  # one query for the videos, however many


def test_a_video_converted_after_publication_shows_at_once(client, clip, django_capture_on_commit_callbacks):
    article = published_showcase()
    assert "<video" not in client.get(article.get_absolute_url()).content.decode()  # the page is cached now
    ready_video(article.submission, clip, showcase=article)
    assert "<video" in client.get(article.get_absolute_url()).content.decode()


@pytest.fixture
def public_root(settings, tmp_path):
    settings.MEDIA_PUBLIC_ROOT = str(tmp_path / "public")
    settings.MEDIA_PUBLIC_URL = "/pub/"
    return tmp_path / "public"


def test_publishing_links_the_mp4_and_poster_on_the_public_path_and_unpublishing_removes_them(
    public_root, clip, settings, django_capture_on_commit_callbacks
):
    article = article_in(Showcase.State.SIGNED_OFF)
    with django_capture_on_commit_callbacks(execute=True):
        video = ready_video(article.submission, clip, showcase=article)
    assert not public_root.exists() or not any(p.is_file() for p in public_root.rglob("*"))
    chief = make_user(roles.CHIEF, username="chief-video")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(article, chief)
    mp4, poster = (public_root / f.name for f in (video.mp4, video.poster))
    assert mp4.is_file() and poster.is_file()
    assert os.stat(mp4).st_ino == os.stat(Path(settings.MEDIA_ROOT) / video.mp4.name).st_ino  # a hard link
    assert f'src="/pub/{video.mp4.name}"' in publishing_page(article)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.unpublish(article, chief, "核实中")
    assert not mp4.exists() and not poster.exists()


def publishing_page(article):
    from submissions.column import articles

    return articles.article_page(articles.load_article(Showcase.objects.all(), pk=article.pk))["body"]


def test_a_video_converted_for_a_live_article_is_linked_and_one_taken_off_is_removed(
    public_root, clip, django_capture_on_commit_callbacks
):
    article = published_showcase()
    with django_capture_on_commit_callbacks(execute=True):
        video = ready_video(article.submission, clip, showcase=article)
    assert (public_root / video.mp4.name).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        video.showcase = None
        video.save()
    assert not (public_root / video.mp4.name).exists() and not (public_root / video.poster.name).exists()


def test_the_command_links_published_videos(public_root, clip, settings):
    settings.MEDIA_PUBLIC_ROOT = ""
    article = published_showcase()
    video = ready_video(article.submission, clip, showcase=article)
    settings.MEDIA_PUBLIC_ROOT = str(public_root)
    call_command("public_media", verbosity=0)
    assert (public_root / video.mp4.name).is_file() and (public_root / video.poster.name).is_file()
