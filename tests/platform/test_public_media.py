"""Published renditions on a public path (submissions/platform/public_media.py, issue 17 item 4): a hard
link per display and thumbnail rendition of a published article's photos under MEDIA_PUBLIC_ROOT,
nothing else, removed when the article is taken down; the public pages point there.
(The same with the real nginx in front: tests/project/test_deploy_nginx.py.)"""

import os

import pytest
from django.core.management import call_command

from submissions.models import Showcase
from submissions.newsroom import publishing
from submissions.platform import public_media
from submissions.workflow import roles
from tests.factories import add_photo, article_in, make_user, published_showcase

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_root(settings, tmp_path):
    settings.MEDIA_PUBLIC_ROOT = str(tmp_path / "public")
    settings.MEDIA_PUBLIC_URL = "/pub/"
    return tmp_path / "public"


def test_publishing_links_the_renditions_and_unpublishing_removes_them(public_root, settings, django_capture_on_commit_callbacks):
    article = article_in(Showcase.State.SIGNED_OFF)
    photo = add_photo(article.submission)
    article.photos.create(photo=photo, caption="图")
    assert not public_root.exists() or not any(public_root.rglob("*.jpg"))  # signed off, not published: nothing public
    chief = make_user(roles.CHIEF, username="chief-public")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(article, chief)
    display, thumbnail, original = (public_root / f.name for f in (photo.display, photo.thumbnail, photo.image))
    assert display.is_file() and thumbnail.is_file() and not original.exists()  # never the original upload
    assert os.stat(display).st_ino == os.stat(os.path.join(settings.MEDIA_ROOT, photo.display.name)).st_ino  # a hard link
    assert sorted(p.relative_to(public_root).as_posix() for p in public_root.rglob("*") if p.is_file()) == sorted(
        [photo.display.name, photo.thumbnail.name]
    )
    with django_capture_on_commit_callbacks(execute=True):
        publishing.unpublish(article, chief, "核实中")
    assert not display.exists() and not thumbnail.exists()


def test_a_photo_added_to_a_published_article_is_linked_and_one_taken_off_is_removed(
    public_root, django_capture_on_commit_callbacks
):
    article = published_showcase()
    photo = add_photo(article.submission)
    with django_capture_on_commit_callbacks(execute=True):
        shown = article.photos.create(photo=photo)
    assert (public_root / photo.display.name).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        shown.delete()
    assert not (public_root / photo.display.name).exists()


def test_the_page_points_at_the_public_path_only_when_configured(client, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_PUBLIC_ROOT = ""
    article = published_showcase()
    photo = add_photo(article.submission)
    article.photos.create(photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="/media/{photo.display.name}"' in html and "/pub/" not in html
    settings.MEDIA_PUBLIC_ROOT = "/srv/portal/media-public"
    settings.MEDIA_PUBLIC_URL = "/pub/"
    assert public_media.url(photo.display) == f"/pub/{photo.display.name}"
    assert public_media.url(None) == ""


def test_the_command_links_what_is_published_and_removes_anything_else(public_root, settings):
    settings.MEDIA_PUBLIC_ROOT = ""  # made before the setting was turned on: no links yet
    article = published_showcase()
    photo = add_photo(article.submission)
    article.photos.create(photo=photo)
    settings.MEDIA_PUBLIC_ROOT = str(public_root)
    stray = public_root / "photos" / "aa" / "left-over.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    call_command("public_media", stdout=open(os.devnull, "w"))
    assert (public_root / photo.display.name).is_file() and (public_root / photo.thumbnail.name).is_file()
    assert not stray.exists()


def test_names_that_are_not_plain_relative_names_are_never_written(public_root):
    for name in ("../x.jpg", "/etc/passwd", "a/../../b.jpg", "a\\b.jpg", "a\x00.jpg"):
        assert public_media._target(name) is None
