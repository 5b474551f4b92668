"""The entry form on a phone on a slow network (issue 27 items 1 and 2), in real Chromium at 375 px:
nine 12-megapixel photos shrunk in the browser before they travel, progress on the button within a
second of the press, a second press doing nothing, one receipt; a dropped post retried onto one
entry (also when the dropped one was stored); the form without JavaScript posting as before."""

import functools
import io
import time

import pytest
from PIL import Image

from submissions.models import Photo, Status, Submission
from submissions.platform import images
from tests.browser.receipt import wait_for_receipt
from tests.browser.test_submit import fill_entry
from tests.factories import CampaignFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZE = (4000, 3000)
UPLOAD_BPS = 3_000_000  # 3 Mbit/s up: milder than the benchmark's 400 kbit/s, to stay well under a minute


@functools.cache
def sensor_noise():
    return Image.effect_noise(SIZE, 30).convert("RGB")


def phone_photo(index):
    """A 4000×3000 JPEG with EXIF (orientation, a camera, GPS), ~4 MB: shapes and sensor noise, like
    a phone's photo (as bench/photos.make_photo)."""
    noise = Image.effect_noise((500, 375), 60 + index).resize(SIZE, Image.Resampling.BILINEAR)
    base = Image.merge("RGB", [noise, Image.linear_gradient("L").resize(SIZE), Image.new("L", SIZE, 40 + 20 * index)])
    base = Image.blend(base, sensor_noise(), 0.18)
    exif = Image.Exif()
    exif[0x0112] = 6 if index == 1 else 1  # one taken sideways
    exif[0x010F] = "PhoneCam"
    exif[0x8825] = {1: "N", 2: (36.0, 40.0, 0.0)}
    buffer = io.BytesIO()
    base.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def nine_photos():
    return [phone_photo(index) for index in range(9)]


def open_form(page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    RegionFactory()
    campaign = CampaignFactory()
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")
    return campaign


def fill_form(page):
    fill_entry(page, phone="13812345678")
    page.fill("#id_sections-0-heading", "做法一")
    page.fill("#id_sections-0-body", "一是……二是……")


ADD_PHOTO = "[data-formset=photos] [data-add]"


def note_the_add_button_at_each_choice(page):
    """Where the add button is at the moment a photo is chosen (its preview made, the picture not
    yet decoded: a blob's load is never synchronous)."""
    page.evaluate(
        """(selector) => {
        window.__addTops = [];
        document.addEventListener("change", (event) => {
          if (event.target.type === "file") window.__addTops.push(document.querySelector(selector).getBoundingClientRect().top + window.scrollY);
        });
      }""",
        ADD_PHOTO,
    )


def add_button_top_once_the_preview_shows(page, index):
    page.wait_for_function(
        "(id) => { const img = document.getElementById(id).closest('[data-item]').querySelector('[data-preview]');"
        " return img && img.complete && img.naturalWidth > 0; }",
        arg=f"id_photos-{index}-image",
    )
    return page.eval_on_selector(ADD_PHOTO, "b => b.getBoundingClientRect().top + window.scrollY")


def choose_photos(page, photos):
    note_the_add_button_at_each_choice(page)
    for index, data in enumerate(photos):
        if index >= 3:  # three blank slots on the page; more are added with the button
            page.click(ADD_PHOTO)
        page.set_input_files(
            f"#id_photos-{index}-image", files=[{"name": f"IMG_{index}.jpg", "mimeType": "image/jpeg", "buffer": data}]
        )
        # The decoded preview moves nothing: a tap on "add" lands where the button was seen.
        at_choice = page.evaluate("window.__addTops.at(-1)")
        assert add_button_top_once_the_preview_shows(page, index) == at_choice, index
        page.fill(f"#id_photos-{index}-caption", f"活动照片{index + 1}")
    page.check("#id_consent")
    page.wait_for_function("() => !window.portalPhotoShrink.busy()", timeout=30000)


def count_bodies(page):
    """Notes the size of every body the page sends by XMLHttpRequest (its upload's total), kept
    in the window, which outlives the document the answer replaces."""
    page.evaluate(
        """() => {
        const send = XMLHttpRequest.prototype.send;
        window.__bodies = [];
        XMLHttpRequest.prototype.send = function (body) {
          const at = window.__bodies.push(0) - 1;
          this.upload.addEventListener("progress", (event) => { window.__bodies[at] = event.total; });
          return send.call(this, body);
        };
      }"""
    )


def test_nine_phone_photos_on_a_slow_network_are_shrunk_show_progress_and_land_on_one_receipt(
    phone_page, live_server, settings, nine_photos
):
    page = phone_page
    open_form(page, live_server, settings)
    fill_form(page)
    choose_photos(page, nine_photos)
    shrunk = page.eval_on_selector_all(
        "[data-photo-input]",
        "els => els.filter(e => e.files.length).map(e => [e.dataset.shrink, e.files[0].size, e.files[0].type])",
    )
    assert len(shrunk) == 9 and all(state == "done" and kind == "image/jpeg" for state, _size, kind in shrunk), shrunk
    sent = sum(size for _state, size, _kind in shrunk)
    originals = sum(len(data) for data in nine_photos)
    assert sent * 4 < originals, (sent, originals)

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 4_000_000 / 8, "uploadThroughput": UPLOAD_BPS / 8},
    )
    count_bodies(page)
    button = page.locator("button[value=submit]")
    pressed = time.monotonic()
    button.click()
    page.wait_for_function(
        "() => /^正在上传 \\d+%$/.test(document.querySelector('button[value=submit]').textContent.trim())", timeout=1000
    )
    assert time.monotonic() - pressed < 1.0
    assert button.is_disabled() and page.locator("button[value=draft]").is_disabled()
    # A second press does nothing: the button is disabled, and a submit forced past it is ignored.
    page.evaluate(
        "() => { document.querySelector('button[value=submit]').click(); document.querySelector('form[data-entry-form]').requestSubmit(); }"
    )
    page.wait_for_function(
        "() => { const m = /(\\d+)%/.exec(document.querySelector('button[value=submit]').textContent); return m && +m[1] > 0 && +m[1] < 100; }",
        timeout=20000,
    )  # progress moves while the photos travel
    wait_for_receipt(page, timeout=55000)
    page.wait_for_selector("[data-reference]")

    entry = Submission.objects.get()
    assert entry.status == Status.SUBMITTED
    assert page.locator("[data-reference]").inner_text() == entry.reference
    bodies = page.evaluate("window.__bodies")
    assert len(bodies) == 1, bodies
    assert sent < bodies[0] < originals / 4, (bodies[0], sent, originals)
    photos = list(Photo.objects.filter(submission=entry).order_by("order"))
    assert [p.caption for p in photos] == [f"活动照片{i}" for i in range(1, 10)]
    for photo in photos:
        with photo.image.open("rb") as handle:
            master = Image.open(handle)
            assert max(master.size) <= images.MASTER_EDGE and not master.getexif()
    assert (photos[1].width, photos[1].height) == (1920, 2560)  # the sideways one, upright
    assert (photos[0].width, photos[0].height) == (2560, 1920)
    assert page.watch.errors == [], page.watch.errors


def test_a_dropped_post_is_retried_onto_one_receipt(phone_page, live_server, settings, nine_photos):
    page = phone_page
    open_form(page, live_server, settings)
    fill_form(page)
    choose_photos(page, nine_photos[:2])
    seen = []

    def drop_first(route):
        seen.append(route.request.method)
        if route.request.method == "POST" and seen.count("POST") == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/submit/", drop_first)
    page.watch.errors.clear()
    page.click("button[value=submit]")
    page.wait_for_function("() => /重试/.test(document.querySelector('button[value=submit]').textContent)", timeout=5000)
    wait_for_receipt(page, timeout=30000)
    assert seen.count("POST") == 2
    assert Submission.objects.count() == 1 and Photo.objects.filter(submission__isnull=False).count() == 2


def test_a_post_stored_but_unanswered_is_retried_onto_its_receipt(phone_page, live_server, settings, nine_photos):
    """The node answered nothing (a 502, a dropped line) after the entry was stored: the retry of
    the same page finds it, no second entry, no duplicate message."""
    page = phone_page
    open_form(page, live_server, settings)
    fill_form(page)
    choose_photos(page, nine_photos[:1])
    answers = []

    def store_then_drop(route):
        if route.request.method == "POST" and not answers:
            answers.append(route.fetch(max_redirects=0).status)  # the server stores it...
            route.fulfill(status=502, body="Bad Gateway")  # ...and the submitter sees a 502
        else:
            route.continue_()

    page.route("**/submit/", store_then_drop)
    page.click("button[value=submit]")
    wait_for_receipt(page, timeout=30000)
    assert answers == [302]
    entry = Submission.objects.get()
    assert entry.tracking_token in page.url and entry.photos.count() == 1


def test_the_retries_give_up_with_a_message_and_nothing_lost(phone_page, live_server, settings, nine_photos):
    page = phone_page
    page.clock.install()  # the waits between retries (1 s, 3 s, 8 s) are fast-forwarded
    open_form(page, live_server, settings)
    fill_form(page)
    choose_photos(page, nine_photos[:1])
    tries = []

    def refuse(route):
        if route.request.method == "POST":
            tries.append(1)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/submit/", refuse)
    page.click("button[value=submit]")
    for _wait in range(4):
        page.wait_for_timeout(300)
        page.clock.fast_forward(10_000)
    page.wait_for_selector("[data-upload-failed]", timeout=5000)
    assert len(tries) == 4  # the first post and three retries
    assert "网络连接中断" in page.inner_text("[data-upload-failed]")
    button = page.locator("button[value=submit]")
    assert button.is_enabled() and button.inner_text() == "提交报送"
    assert page.input_value("#id_brand_name") == "零距离"
    assert page.eval_on_selector("#id_photos-0-image", "e => e.files.length") == 1
    assert Submission.objects.count() == 0


def test_without_javascript_the_form_posts_as_before(phone_page_without_script, live_server, settings):
    page = phone_page_without_script
    open_form(page, live_server, settings)
    fill_form(page)
    page.set_input_files("#id_photos-0-image", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": phone_photo(0)}])
    page.fill("#id_photos-0-caption", "活动照片")
    page.check("#id_consent")
    page.click("button[value=submit]")
    wait_for_receipt(page)
    assert Submission.objects.get().photos.count() == 1
