"""Media on S3-compatible object storage (MEDIA_STORAGE=s3), against moto's stand-in for S3."""

import runpy
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from submissions.models import Photo
from submissions.platform import images
from tests.factories import jpeg_upload

SETTINGS = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
S3_ENV = {
    "SECRET_KEY": "x",
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "portal-media",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_S3_REGION_NAME": "us-east-1",
}


def settings_from(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_s3_settings_are_read_from_the_environment(monkeypatch):
    loaded = settings_from(
        monkeypatch, **S3_ENV, AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000", AWS_S3_CUSTOM_DOMAIN="media.example.com"
    )
    storage = loaded["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "portal-media"
    assert storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert storage["OPTIONS"]["custom_domain"] == "media.example.com"
    assert storage["OPTIONS"]["querystring_auth"] is True  # private media: signed, expiring links
    assert loaded["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise")


def test_s3_without_a_bucket_refuses_to_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        settings_from(monkeypatch, SECRET_KEY="x", MEDIA_STORAGE="s3")


def test_sessions_use_the_cache_when_redis_is_set(monkeypatch):
    loaded = settings_from(monkeypatch, SECRET_KEY="x", REDIS_URL="redis://127.0.0.1:6379/15")
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert loaded["CACHES"]["default"]["BACKEND"].endswith("RedisCache")


@pytest.mark.django_db
def test_a_photo_saved_through_save_photo_lands_in_the_bucket(monkeypatch, settings):
    storages = settings_from(monkeypatch, **S3_ENV)["STORAGES"]
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="portal-media")
        settings.STORAGES = storages
        photo = images.save_photo(Photo(caption="活动照片"), jpeg_upload(size=(3000, 2000)))
        keys = {item["Key"] for item in client.list_objects_v2(Bucket="portal-media")["Contents"]}
        assert {photo.image.name, photo.display.name, photo.thumbnail.name} == keys
        stored = client.get_object(Bucket="portal-media", Key=photo.image.name)["Body"].read()
        assert stored[:2] == b"\xff\xd8" and photo.width == 2560
        url = photo.display.url
        assert "portal-media" in url and ("Signature=" in url or "X-Amz-Signature=" in url)


@pytest.mark.parametrize(
    "extra",
    [
        {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},  # MinIO or another S3-compatible store
        {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_S3_CUSTOM_DOMAIN": "media.example.com"},  # a CDN in front
        {},  # AWS itself
    ],
)
def test_the_csp_allows_the_addresses_the_store_gives_photos_and_videos(monkeypatch, extra):
    """Issue 25, item 1: with media on object storage, the pages embed the store's addresses; the policy
    must allow exactly what the storage writes into them, for pictures and for videos."""
    from urllib.parse import urlsplit

    from storages.backends.s3 import S3Storage

    loaded = settings_from(monkeypatch, **S3_ENV, **extra)
    with mock_aws():
        url = S3Storage(**loaded["STORAGES"]["default"]["OPTIONS"]).url("photos/ab/photo.jpg")
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    directives = loaded["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert origin in directives["img-src"] and origin in directives["media-src"], (url, directives["img-src"])
    assert "'self'" in directives["img-src"] and not any("*" in source for source in directives["img-src"])


def test_without_object_storage_the_csp_names_no_other_origin(monkeypatch):
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    directives = settings_from(monkeypatch, SECRET_KEY="x")["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"] and directives["media-src"] == ["'self'"]


@pytest.mark.django_db
def test_cleanup_media_sweeps_a_bucket(monkeypatch, settings):
    """Issue 25, item 3: on S3 the sweep failed every run (S3's exists("") raises); now an object no row
    refers to goes, and the photo's renditions stay."""
    from django.core.management import call_command

    storages = settings_from(monkeypatch, **S3_ENV)["STORAGES"]
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="portal-media")
        settings.STORAGES = storages
        photo = images.save_photo(Photo(caption="活动照片"), jpeg_upload(size=(800, 600)))
        photo.save()  # a row refers to its renditions
        client.put_object(Bucket="portal-media", Key="photos/zz/orphan.jpg", Body=b"\xff\xd8 not referenced")
        call_command("cleanup_media", min_age=0, staged_hours=10_000, verbosity=0)
        keys = {item["Key"] for item in client.list_objects_v2(Bucket="portal-media")["Contents"]}
    assert keys == {photo.image.name, photo.display.name, photo.thumbnail.name}
