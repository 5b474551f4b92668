"""Backup and restore of media in an S3 bucket (issue 25, item 2), against moto's stand-in for S3.

The portal's own settings (portal/settings.py with MEDIA_STORAGE=s3) make the storage; every
expected checksum is computed here from the bytes the test put, not by the code under test."""

import hashlib
import io
import json
import runpy
import tarfile
import tracemalloc
from pathlib import Path

import boto3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from moto import mock_aws

from submissions.platform import backups, backups_s3
from tests.factories import SubmissionFactory, add_photo

SETTINGS = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
BUCKET = "portal-media"
S3_ENV = {
    "SECRET_KEY": "x",
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_S3_REGION_NAME": "us-east-1",
}
OBJECTS = {  # key: (body, content type)
    "photos/ab/one.jpg": (b"\xff\xd8\xff one" * 1000, "image/jpeg"),
    "photos/ab/two.jpg": (b"\xff\xd8\xff two", "image/jpeg"),
    "attachments/申报材料 (1).pdf": (b"%PDF-1.4 report", "application/pdf"),
    "videos/empty.mp4": (b"", "video/mp4"),
    "a" * 200 + "/long-name.txt": (b"long key", "text/plain"),
}


@pytest.fixture
def s3(monkeypatch, settings):
    """The portal on moto's S3, with the bucket made; yields the boto3 client."""
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    storages = runpy.run_path(str(SETTINGS))["STORAGES"]
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = storages
        yield client


def put_objects(client, bucket=BUCKET):
    for key, (body, content_type) in OBJECTS.items():
        client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


def bucket_contents(client, bucket):
    got = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", ()):
            obj = client.get_object(Bucket=bucket, Key=item["Key"])
            got[item["Key"]] = (obj["Body"].read(), obj["ContentType"])
    return got


def manifest_entries(folder):
    lines = [json.loads(line) for line in (folder / "media-s3.manifest.jsonl").read_text("utf-8").splitlines()]
    return lines[0], lines[1:-1], lines[-1]


def test_backup_lists_the_bucket_page_by_page_and_writes_a_member_and_a_checksum_per_object(s3, tmp_path, monkeypatch):
    put_objects(s3)
    monkeypatch.setattr(backups_s3, "PAGE_SIZE", 2)
    listings = []
    s3.meta.events.register("provide-client-params.s3.ListObjectsV2", lambda params, **kw: listings.append(params.get("MaxKeys")))

    count, size = backups_s3.backup(s3, BUCKET, tmp_path)

    assert listings == [2, 2, 2]  # 5 keys, 2 a page
    assert (count, size) == (len(OBJECTS), sum(len(body) for body, _ in OBJECTS.values()))
    with tarfile.open(tmp_path / "media-s3.tar") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
    assert members == {key: body for key, (body, _) in OBJECTS.items()}
    header, entries, footer = manifest_entries(tmp_path)
    assert header == {"format": "portal-media-s3/1", "bucket": BUCKET}
    assert {e["name"]: (e["size"], e["sha256"], e["content_type"]) for e in entries} == {
        key: (len(body), hashlib.sha256(body).hexdigest(), content_type) for key, (body, content_type) in OBJECTS.items()
    }
    assert footer == {"objects": 5, "bytes": size}


@pytest.mark.django_db(transaction=True)
def test_backup_command_then_restore_command_into_another_bucket(s3, tmp_path, monkeypatch):
    entry = SubmissionFactory()
    photos = [add_photo(entry, order=n) for n in range(2)]
    put_objects(s3)
    before = bucket_contents(s3, BUCKET)
    assert {p.image.name for p in photos} <= set(before)  # the photos went to the bucket, not MEDIA_ROOT

    out = io.StringIO()
    folder = Path(call_command("backup", "--dest", str(tmp_path / "backups"), stdout=out))
    assert f"{len(before)} objects" in out.getvalue()
    assert not (folder / "media.tar.gz").exists()

    restored_db = []  # the database restore is the existing, separately tested path; here it is stood in for
    monkeypatch.setattr(backups, "sqlite_restore", lambda *a: restored_db.append(a))
    monkeypatch.setattr(backups, "pg_restore", lambda *a, **k: restored_db.append(a))
    s3.create_bucket(Bucket="portal-media-restored")
    out = io.StringIO()
    call_command("restore", str(folder), "--yes", "--bucket", "portal-media-restored", stdout=out)

    assert len(restored_db) == 1
    assert bucket_contents(s3, "portal-media-restored") == before
    assert f"{len(before)} objects" in out.getvalue() and "portal-media-restored" in out.getvalue()


def test_an_object_larger_than_one_upload_part_round_trips(s3, tmp_path):
    """A video of 9 MiB: streamed into the archive in pieces, and uploaded again in 8 MiB parts."""
    body = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(9 * 1024 * 1024 // 32))
    s3.put_object(Bucket=BUCKET, Key="videos/ab/long.mp4", Body=body, ContentType="video/mp4")
    backups_s3.backup(s3, BUCKET, tmp_path)
    assert backups_s3.verify(tmp_path) == (1, len(body))
    s3.create_bucket(Bucket="portal-media-restored")
    parts = []
    s3.meta.events.register("provide-client-params.s3.UploadPart", lambda params, **kw: parts.append(params["PartNumber"]))
    assert backups_s3.restore(s3, "portal-media-restored", tmp_path) == 1
    assert parts == [1, 2]
    restored = s3.get_object(Bucket="portal-media-restored", Key="videos/ab/long.mp4")
    assert restored["Body"].read() == body and restored["ContentType"] == "video/mp4"


def flip_a_byte_of(archive_path, key):
    with tarfile.open(archive_path) as archive:
        offset = archive.getmember(key).offset_data
    with open(archive_path, "r+b") as raw:
        raw.seek(offset + 3)
        byte = raw.read(1)
        raw.seek(offset + 3)
        raw.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_that_differs_from_its_manifest_and_writes_nothing(s3, tmp_path, monkeypatch):
    put_objects(s3)
    folder = Path(call_command("backup", "--dest", str(tmp_path / "backups"), stdout=io.StringIO()))
    flip_a_byte_of(folder / "media-s3.tar", "photos/ab/one.jpg")
    touched = []
    monkeypatch.setattr(backups, "sqlite_restore", lambda *a: touched.append(a))
    monkeypatch.setattr(backups, "pg_restore", lambda *a, **k: touched.append(a))
    s3.create_bucket(Bucket="portal-media-restored")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(folder), "--yes", "--bucket", "portal-media-restored", stdout=io.StringIO())

    message = str(refused.value)
    assert "photos/ab/one.jpg: sha256 differs" in message and "nothing restored" in message
    assert "two.jpg" not in message  # only the object that differs is named
    assert touched == [], "the database is not touched either"
    assert bucket_contents(s3, "portal-media-restored") == {}


def rewrite_manifest(folder, change):
    header, entries, footer = manifest_entries(folder)
    header, entries, footer = change(header, entries, footer)
    lines = [json.dumps(item, ensure_ascii=False) for item in (header, *entries, footer) if item is not None]
    (folder / "media-s3.manifest.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


def drop_entry(header, entries, footer):
    return header, [e for e in entries if e["name"] != "photos/ab/two.jpg"], footer


def add_entry(header, entries, footer):
    ghost = {"name": "photos/zz/ghost.jpg", "size": 3, "sha256": hashlib.sha256(b"abc").hexdigest(), "content_type": "image/jpeg"}
    return header, [*entries, ghost], footer


def wrong_size(header, entries, footer):
    return header, [{**e, "size": 9} if e["name"] == "photos/ab/two.jpg" else e for e in entries], footer


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (drop_entry, "photos/ab/two.jpg"),  # an object in the archive the manifest does not list
        (add_entry, "photos/zz/ghost.jpg: missing from the archive"),
        (wrong_size, "photos/ab/two.jpg: 7 bytes, the manifest says 9"),
        (lambda h, e, f: (h, e, None), "ends without its closing line"),  # a manifest cut short
        (lambda h, e, f: ({"format": "other"}, e, f), "not a manifest of format"),
    ],
)
def test_verify_names_what_differs(s3, tmp_path, change, expected):
    put_objects(s3)
    backups_s3.backup(s3, BUCKET, tmp_path)
    rewrite_manifest(tmp_path, change)
    with pytest.raises(backups.BackupError, match=expected.replace("(", r"\(")):
        backups_s3.verify(tmp_path)


def test_a_truncated_archive_is_refused(s3, tmp_path):
    put_objects(s3)
    backups_s3.backup(s3, BUCKET, tmp_path)
    archive = tmp_path / "media-s3.tar"
    archive.write_bytes(archive.read_bytes()[:3000])
    with pytest.raises(backups.BackupError):
        backups_s3.verify(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_restore_of_a_bucket_backup_without_object_storage_is_refused(s3, tmp_path, settings):
    put_objects(s3)
    folder = Path(call_command("backup", "--dest", str(tmp_path / "backups"), stdout=io.StringIO()))
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "portal.storage.AtomicFileSystemStorage"}}
    with pytest.raises(CommandError, match="MEDIA_STORAGE=s3"):
        call_command("restore", str(folder), "--yes", stdout=io.StringIO())


class _Body(io.BytesIO):
    pass


class ManyObjects:
    """A stand-in for a boto3 client over a bucket of `n` small objects, made as they are asked for
    (moto would hold them all, which is what this test must not measure)."""

    class exceptions:
        class NoSuchKey(Exception):
            pass

    def __init__(self, n):
        self.n = n

    def get_paginator(self, name):
        outer = self

        class Paginator:
            def paginate(self, Bucket, PaginationConfig):
                size = PaginationConfig["PageSize"]
                for start in range(0, outer.n, size):
                    yield {
                        "Contents": [
                            {"Key": f"photos/{i % 97:02x}/{i:08d}.jpg"} for i in range(start, min(start + size, outer.n))
                        ]
                    }

        return Paginator()

    def get_object(self, Bucket, Key):
        body = Key.encode() * 4
        return {"ContentLength": len(body), "Body": _Body(body), "ContentType": "image/jpeg"}


def test_memory_stays_flat_however_many_objects(tmp_path, monkeypatch):
    """100,000 objects must not mean 100,000 of anything in memory: the peak while backing up and
    verifying 4,000 objects is no higher than for 400 (plus a small margin). Pages of 100 keys
    here, so that both runs hold the same page."""
    monkeypatch.setattr(backups_s3, "PAGE_SIZE", 100)

    def peak(n, folder):
        folder.mkdir()
        tracemalloc.start()
        try:
            backups_s3.backup(ManyObjects(n), BUCKET, folder)
            backups_s3.verify(folder)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(400, tmp_path / "small"), peak(4_000, tmp_path / "large")
    assert large < small + 512 * 1024, (small, large)
