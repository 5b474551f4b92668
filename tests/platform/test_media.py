"""Uploaded files: who may fetch them, and the headers that keep a browser from running them."""

import pytest

from submissions.models import Status
from submissions.views.media import MEDIA_CSP
from tests.factories import add_attachment, add_photo, published_showcase, submission_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return submission_in(Status.FIRST_REVIEW)


@pytest.fixture
def public_photo():
    article = published_showcase()
    photo = add_photo(article.submission)
    article.photos.create(photo=photo, caption="活动照片")
    return photo


def assert_safe(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == MEDIA_CSP


def test_published_photo_is_public_and_cached(client, public_photo):
    for field in (public_photo.image, public_photo.display, public_photo.thumbnail):
        response = client.get(f"/media/{field.name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
        assert "immutable" in response["Cache-Control"]
        assert_safe(response)


def test_photo_of_an_unpublished_entry_needs_its_link_or_a_newsroom_role(client, entry, editor):
    photo = add_photo(entry)
    other = submission_in(Status.FIRST_REVIEW)
    url = f"/media/{photo.display.name}"
    assert client.get(url).status_code == 404
    assert client.get(url, {"t": other.tracking_token}).status_code == 404
    assert client.get(url, {"t": entry.tracking_token[:-1]}).status_code == 404
    own = client.get(url, {"t": entry.tracking_token})
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    assert_safe(own)
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_attachment_is_always_a_download(client, entry):
    attachment = add_attachment(entry)
    response = client.get(f"/media/{attachment.file.name}", {"t": entry.tracking_token})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Chinese name, encoded
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert_safe(response)
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_an_attachment_claiming_to_be_html_is_sent_as_bytes_to_download(client, entry, editor):
    attachment = add_attachment(entry, name="x.html", content=b"<script>alert(1)</script>", content_type="text/html")
    client.force_login(editor)
    response = client.get(f"/media/{attachment.file.name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert_safe(response)


@pytest.mark.parametrize(
    "path",
    [
        "../portal/settings.py",
        "photos/../../portal/settings.py",
        "photos/%2e%2e/%2e%2e/portal/settings.py",
        "/etc/passwd",
        "photos/..%5c..%5cportal/settings.py",
        "photos/a%00.jpg",
        "photos/./x.jpg",
        "no-such-file.jpg",
    ],
)
def test_path_tricks_and_unknown_names_are_404(client, editor, path):
    client.force_login(editor)
    assert client.get(f"/media/{path}").status_code == 404


def test_a_file_gone_from_disk_is_404_not_500(client, public_photo):
    public_photo.display.storage.delete(public_photo.display.name)
    assert client.get(f"/media/{public_photo.display.name}").status_code == 404


def test_only_reading_is_allowed(client, public_photo):
    assert client.post(f"/media/{public_photo.display.name}").status_code == 405
    assert client.head(f"/media/{public_photo.display.name}").status_code == 200


def test_behind_nginx_a_photo_is_sent_by_x_accel_redirect_after_the_access_check(client, settings, public_photo, entry, editor):
    """MEDIA_ACCEL_REDIRECT (deploy/nginx.conf): Django decides, nginx sends the bytes."""
    settings.MEDIA_ACCEL_REDIRECT = "/_media/"
    response = client.get(f"/media/{public_photo.display.name}")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_media/{public_photo.display.name}"
    assert "immutable" in response["Cache-Control"]
    assert_safe(response)
    private = add_photo(entry)
    assert client.get(f"/media/{private.display.name}").status_code == 404  # no access: no redirect either
    client.force_login(editor)
    response = client.get(f"/media/{private.display.name}")
    assert response["X-Accel-Redirect"] == f"/_media/{private.display.name}" and response["Cache-Control"] == "private, no-store"
    attachment = add_attachment(entry)
    assert "X-Accel-Redirect" not in client.get(f"/media/{attachment.file.name}")  # attachments: Django, as downloads


def test_behind_nginx_a_published_photo_is_decided_from_the_page_cache(
    client, settings, public_photo, chief, django_assert_max_num_queries
):
    from submissions import workflow
    from submissions.models import Showcase

    settings.MEDIA_ACCEL_REDIRECT = "/_media/"
    url = f"/media/{public_photo.thumbnail.name}"
    assert client.get(url)["X-Accel-Redirect"]
    with django_assert_max_num_queries(1):  # the shared cache's one read, no query of the photo
        assert client.get(url)["X-Accel-Redirect"] == f"/_media/{public_photo.thumbnail.name}"
    article = Showcase.objects.get(photos__photo=public_photo)
    workflow.transition(article, Showcase.State.UNPUBLISHED, actor=chief, message="撤稿")
    assert client.get(url).status_code == 404  # taken down: private again at once
    assert client.get("/media/photos/no/such.jpg").status_code == 404
