"""A video in real Chromium (issue 29, item 2): an editor uploads a phone clip on the admin's upload
page, the worker converts it (tasks run eagerly here, once the upload commits), the article is
published, and a reader on a phone plays it: the <video> reaches readyState ≥ 2 and its time
advances after play(); the poster loads; the MP4 is served as video/mp4 with byte ranges (Chromium here plays H.264: Debian's build has the codecs)."""

import pytest
from django.test import Client

from submissions.models import Showcase, Video
from submissions.workflow import roles
from tests.browser.admin import login
from tests.factories import ShowcaseFactory, make_user, take_article_to
from tests.video import clips

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
clip = clips.clip  # the fixture: a phone's H.264/AAC clip made with ffmpeg


def test_an_uploaded_clip_is_converted_and_plays_in_the_published_article(desktop_page, phone_page, live_server, clip):
    base = live_server.url
    editor = make_user(roles.EDITOR, username="editor", first_name="王编辑")
    chief = make_user(roles.CHIEF, username="chief", first_name="李签审")
    article = ShowcaseFactory(responsible_editor=editor)
    entry = article.submission

    admin = desktop_page
    login(admin, base, "editor")
    admin.goto(f"{base}/admin/submissions/video/add/?submission={entry.pk}")
    assert admin.input_value("#id_submission") == entry.reference
    admin.fill("#id_caption", "党员先锋岗的一天")
    admin.set_input_files("#id_file", str(clip))
    admin.get_by_role("button", name="上传").click()
    admin.wait_for_url(f"{base}/admin/submissions/video/?submission__id__exact={entry.pk}")
    assert "视频已上传，正在后台转码" in admin.content()
    video = Video.objects.get()
    assert video.state == Video.State.READY and video.showcase_id == article.pk
    assert admin.watch.errors == []

    take_article_to(article, Showcase.State.PUBLISHED, editor=editor, chief=chief)

    reader = phone_page
    reader.goto(f"{base}{article.get_absolute_url()}")
    player = reader.locator("figure.article-video video")
    assert player.get_attribute("poster") == f"/media/{video.poster.name}"
    assert reader.locator("figure.article-video figcaption").inner_text() == "党员先锋岗的一天"
    assert player.bounding_box()["width"] >= 300  # full width of a 375 px phone, less the margins
    poster_loaded = reader.evaluate(
        """src => new Promise(done => { const img = new Image(); img.onload = () => done(img.naturalWidth);
               img.onerror = () => done(0); img.src = src; })""",
        f"/media/{video.poster.name}",
    )
    assert poster_loaded == 320
    played = reader.evaluate(
        """async () => {
            const video = document.querySelector("figure.article-video video");
            video.muted = true;  // autoplay policy: a muted video may be played from script
            await video.play();
            const started = video.currentTime;
            await new Promise(done => setTimeout(done, 800));
            return {readyState: video.readyState, started, now: video.currentTime, error: video.error && video.error.code};
        }"""
    )
    assert played["error"] is None and played["readyState"] >= 2, played
    assert played["now"] > played["started"] + 0.2, played

    # The live server answers /media/ from MEDIA_ROOT itself (Django's LiveServerThread wraps the site in
    # its media handler, without ranges): the portal's media view is asked through the test client.
    served = reader.request.get(f"{base}/media/{video.mp4.name}")
    assert served.ok and served.headers["content-type"] == "video/mp4"
    ranged = Client().get(f"/media/{video.mp4.name}", HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206 and ranged["Content-Type"] == "video/mp4"
    assert ranged["Content-Range"].startswith("bytes 0-99/") and len(b"".join(ranged.streaming_content)) == 100
    assert reader.watch.errors == []
