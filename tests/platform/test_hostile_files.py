"""Hostile files are refused by the image checks with a clear Chinese message and leave nothing on disk."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from submissions.models import Photo
from submissions.platform import images
from tests.factories import SubmissionFactory
from tests.hostile_files import HOSTILE_IMAGES, POLYGLOT, SCRIPT

CHINESE = re.compile(r"[\u4e00-\u9fff]{4,}")


def files_under(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("kind", sorted(HOSTILE_IMAGES))
def test_hostile_image_is_refused_with_a_chinese_message(kind):
    with pytest.raises(ValidationError) as refused:
        images.make_renditions(HOSTILE_IMAGES[kind]())
    message = refused.value.messages[0]
    assert CHINESE.search(message), message
    assert "Traceback" not in message and "PIL" not in message


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(HOSTILE_IMAGES))
def test_hostile_image_leaves_no_file_and_no_row(kind, settings):
    photo = Photo(submission=SubmissionFactory(), caption="照片")
    with pytest.raises(ValidationError), images.store_photo(photo, HOSTILE_IMAGES[kind]()), transaction.atomic():
        photo.save()
    assert files_under(settings.MEDIA_ROOT) == []
    assert Photo.objects.count() == 0


@pytest.mark.django_db
def test_polyglot_is_stored_only_as_clean_pixels(settings):
    photo = Photo(submission=SubmissionFactory(), caption="照片")
    with images.store_photo(photo, POLYGLOT()), transaction.atomic():
        photo.save()
    stored = files_under(settings.MEDIA_ROOT)
    assert len(stored) == 3
    for path in stored:
        data = path.read_bytes()
        assert data.startswith(b"\xff\xd8\xff")
        assert b"<script" not in data and b"<html" not in data and SCRIPT not in data
