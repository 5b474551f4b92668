"""manage.py cleanup_media: unreferenced files and forgotten staged uploads go; nothing in use does."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from submissions.models import Attachment, Photo
from submissions.platform import images
from tests.factories import SubmissionFactory, add_attachment, add_photo, jpeg_upload

# Cron runs the command outside any transaction: deleted rows' files go once the deletion commits.
pytestmark = pytest.mark.django_db(transaction=True)


def make_old(path, minutes):
    stamp = time.time() - minutes * 60
    os.utime(path, (stamp, stamp))


def staged_photo(age):
    photo = Photo(upload_key="k" * 32, caption="暂存")
    images.save_photo(photo, jpeg_upload())
    photo.save()
    Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - age)
    return photo


@pytest.fixture
def media(settings):
    """In use: an entry's photo and attachment. Leftovers: old and fresh orphans, old and fresh staged uploads."""
    root = settings.MEDIA_ROOT
    entry = SubmissionFactory()
    kept = {
        "photo": add_photo(entry),
        "attachment": add_attachment(entry),
        "fresh_staged": staged_photo(timedelta(hours=2)),
    }
    old_staged = staged_photo(timedelta(days=4))
    staged_file = Attachment(upload_key="a" * 32, original_name="旧.pdf", content_type="application/pdf")
    staged_file.file.save("old.pdf", io.BytesIO(b"%PDF-1.4"), save=True)
    Attachment.objects.filter(pk=staged_file.pk).update(created_at=timezone.now() - timedelta(days=5))
    orphan = root / "photos" / "ab" / "orphan.jpg"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"\xff\xd8\xff left over")
    fresh_orphan = root / "photos" / "cd" / "in-flight.jpg"
    fresh_orphan.parent.mkdir(parents=True, exist_ok=True)
    fresh_orphan.write_bytes(b"\xff\xd8\xff being uploaded")
    for path in root.rglob("*"):
        if path.is_file() and path != fresh_orphan:
            make_old(path, 120)
    return {
        "root": root,
        "kept": kept,
        "old_staged": old_staged,
        "staged_file": staged_file,
        "orphan": orphan,
        "fresh_orphan": fresh_orphan,
    }


def kept_paths(media):
    photos = [media["kept"]["photo"], media["kept"]["fresh_staged"]]
    paths = [media["root"] / f.name for p in photos for f in (p.image, p.display, p.thumbnail)]
    return [*paths, media["root"] / media["kept"]["attachment"].file.name, media["fresh_orphan"]]


def run(*args):
    out = io.StringIO()
    call_command("cleanup_media", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_and_removes_nothing(media):
    before = sorted(media["root"].rglob("*"))
    output = run("--dry-run")
    assert "photos/ab/orphan.jpg" in output
    assert f"staged photo #{media['old_staged'].pk}" in output
    assert f"staged attachment #{media['staged_file'].pk}" in output
    assert "in-flight" not in output
    assert "would remove 2 staged upload(s) and 1 unreferenced file(s)" in output
    assert sorted(media["root"].rglob("*")) == before
    assert Photo.objects.count() == 3 and Attachment.objects.count() == 2


def test_cleanup_removes_only_what_nothing_uses(media):
    old = media["old_staged"]
    old_files = [media["root"] / f.name for f in (old.image, old.display, old.thumbnail)]
    staged_file = media["root"] / media["staged_file"].file.name
    output = run()
    assert "removed 2 staged upload(s) and 1 unreferenced file(s)" in output
    assert not media["orphan"].exists()
    assert not any(path.exists() for path in [*old_files, staged_file])
    assert not Photo.objects.filter(pk=old.pk).exists()
    assert not Attachment.objects.filter(pk=media["staged_file"].pk).exists()
    for path in kept_paths(media):
        assert path.exists(), path
    assert Photo.objects.count() == 2 and Attachment.objects.count() == 1
    # A second run finds nothing more.
    assert "removed 0 staged upload(s) and 0 unreferenced file(s)" in run()


def test_min_age_zero_also_takes_fresh_orphans(media):
    run("--min-age", "0")
    assert not media["fresh_orphan"].exists()
    for path in kept_paths(media)[:-1]:
        assert path.exists(), path


def test_empty_media_root_is_fine(settings):
    assert "removed 0 staged upload(s) and 0 unreferenced file(s)" in run()
