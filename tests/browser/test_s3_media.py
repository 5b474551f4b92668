"""Photos from S3-compatible object storage, in real Chromium under the portal's CSP (issue 25, item 1).

moto's server mode (ThreadedMotoServer, in this process, on a free loopback port) stands in for
the store; the portal's settings (portal/settings.py with MEDIA_STORAGE=s3 and
AWS_S3_ENDPOINT_URL pointing at it) are applied to the live server, which runs in this process:
the default storage is built again when STORAGES changes (Django's setting_changed signal), and
django-csp reads CONTENT_SECURITY_POLICY for every response, so nothing is cached from start-up.
An article with photos is published through the newsroom's own steps (the photos go to the
bucket over HTTP), then its page, the column and the home page are opened; every <img> must have
loaded from the store's origin, with no CSP violation and no console error."""

import runpy
import uuid
from pathlib import Path

import boto3
import pytest

from submissions.models import Showcase
from submissions.workflow import roles
from tests.factories import add_photo, article_in, make_user, take_article_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETTINGS = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
# Its own name: moto keeps its buckets in this process, where other tests' mock_aws may have made "portal-media".
BUCKET = f"portal-media-{uuid.uuid4().hex[:12]}"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_S3_REGION_NAME": "us-east-1"}


@pytest.fixture
def s3_server():
    """moto's S3 over HTTP on 127.0.0.1 and a port the system picked; stopped afterwards."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(Bucket=BUCKET)
        yield endpoint, client
    finally:
        server.stop()


@pytest.fixture
def media_on_s3(s3_server, monkeypatch, settings):
    """The portal's own settings for MEDIA_STORAGE=s3 at the moto server, in force for the live server."""
    endpoint, client = s3_server
    env = {"SECRET_KEY": "x", "MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint}
    for name, value in {**env, **CREDENTIALS}.items():
        monkeypatch.setenv(name, value)
    loaded = runpy.run_path(str(SETTINGS))
    settings.STORAGES = {**settings.STORAGES, "default": loaded["STORAGES"]["default"]}
    settings.CONTENT_SECURITY_POLICY = loaded["CONTENT_SECURITY_POLICY"]
    settings.MEDIA_ORIGINS = loaded["MEDIA_ORIGINS"]
    settings.MEDIA_PUBLIC_ROOT = loaded["MEDIA_PUBLIC_ROOT"]
    settings.MEDIA_ACCEL_REDIRECT = loaded["MEDIA_ACCEL_REDIRECT"]
    return endpoint, client


def article_with_photos():
    """A draft article given three photos, then signed off and published through the newsroom's steps."""
    article = article_in(Showcase.State.DRAFT)
    for order in range(3):
        photo = add_photo(article.submission, caption=f"活动照片{order}", order=order)
        article.photos.create(photo=photo, caption=f"活动照片{order}")
    chief = make_user(roles.CHIEF, username="s3-chief")
    return take_article_to(article, Showcase.State.PUBLISHED, editor=article.responsible_editor, chief=chief)


# Registered before any page script runs: every CSP violation is kept for the test to read.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""

# Every image of the page brought into view (they load lazily), then its state.
IMAGES = """
async () => {
  for (let y = 0; y <= document.body.scrollHeight; y += 300) { window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }
  const images = Array.from(document.images);
  await Promise.all(images.map(img => img.complete ? null : new Promise(r => { img.onload = img.onerror = r; })));
  return images.map(img => ({src: img.currentSrc, complete: img.complete, width: img.naturalWidth}));
}
"""


def test_an_article_s_photos_load_from_the_bucket_under_the_csp(desktop_page, live_server, media_on_s3):
    endpoint, client = media_on_s3
    article = article_with_photos()
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert {p.photo.display.name for p in article.photos.all()} <= keys  # in the bucket, not on disk

    page = desktop_page
    page.add_init_script(CSP_LISTENER)
    from_store = []
    page.on("response", lambda res: res.url.startswith(endpoint) and from_store.append((res.status, res.url)))
    seen = {}
    for path in (f"/showcase/{article.slug}/", "/showcase/", "/"):
        page.watch.errors.clear()
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        images = page.evaluate(IMAGES)
        page.wait_for_load_state("networkidle")
        seen[path] = images
        if path.startswith("/showcase/") and path != "/showcase/":  # the share card's picture: the store's own address
            share = page.locator('meta[property="og:image"]').get_attribute("content")
            assert share.startswith(f"{endpoint}/{BUCKET}/"), share
        assert page.evaluate("window.__csp") == [], path
        assert page.watch.errors == [], (path, page.watch.errors)
        for image in images:
            assert image["complete"] and image["width"] > 0, (path, image)
            assert image["src"].startswith(f"{endpoint}/{BUCKET}/"), (path, image)

    assert len(seen[f"/showcase/{article.slug}/"]) >= 3  # the article's three photos
    assert seen["/showcase/"] and seen["/"]  # the column's and the home page's cover thumbnails
    # 200, or 304 when Chromium revalidates a photo it fetched on the page before: never an error
    assert from_store and all(status in (200, 304) for status, _ in from_store), sorted({status for status, _ in from_store})
