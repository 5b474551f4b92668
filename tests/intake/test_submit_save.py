"""The one atomic save: an entry with its sections, photos and attachments is stored whole or not at all."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.intake import services as intake
from submissions.models import Attachment, Photo, Section, Status, Submission
from tests.factories import submission_in
from tests.submit_data import entry_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def post(client, campaign, data):
    return client.post(reverse("calls:submit", args=[campaign.slug]), data)


def with_attachment(region, **kwargs):
    return entry_data(region, attachment_files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")], **kwargs)


@pytest.mark.parametrize("failing_step", ["_save_attachments", "transition"])
def test_a_failure_halfway_leaves_no_row_and_no_file(client, campaign, region, settings, monkeypatch, failing_step):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    if failing_step == "transition":
        monkeypatch.setattr(intake.workflow, "transition", boom)
    else:
        monkeypatch.setattr(intake, failing_step, boom)
    with pytest.raises(RuntimeError):
        post(client, campaign, with_attachment(region, photos=3, sections=2))
    assert Submission.objects.count() == Section.objects.count() == Photo.objects.count() == Attachment.objects.count() == 0
    assert media_files(settings) == []


def test_a_failure_keeps_earlier_staged_photos_staged_and_writes_nothing_new(client, campaign, region, settings, monkeypatch):
    post(client, campaign, entry_data(region, photos=2, contact_phone="1"))
    staged = set(Photo.objects.values_list("pk", flat=True))
    before = media_files(settings)
    assert len(staged) == 2 and len(before) == 6  # three renditions each
    keys = list(Photo.objects.values_list("upload_key", flat=True).order_by("pk"))
    data = entry_data(
        region, photos=2, **{"photos-0-image": "", "photos-0-key": keys[0], "photos-1-image": "", "photos-1-key": keys[1]}
    )
    data["photos-2-image"] = SimpleUploadedFile("new.jpg", entry_data(region)["photos-0-image"].read())
    data["photos-2-caption"] = "新的一张"
    data["photos-TOTAL_FORMS"] = "3"

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake.workflow, "transition", boom)
    with pytest.raises(RuntimeError):
        post(client, campaign, data)
    assert Submission.objects.count() == Section.objects.count() == 0
    assert set(Photo.objects.filter(submission__isnull=True).values_list("pk", flat=True)) == staged
    assert Photo.objects.count() == 2
    assert media_files(settings) == before


def test_a_race_for_the_same_brand_is_told_as_a_duplicate(client, campaign, region, monkeypatch):
    first = submission_in(Status.SUBMITTED, campaign=campaign, org_name="甲单位党支部", brand_name="零距离")
    real = intake.find_duplicate
    calls = []

    def blind(*args, **kwargs):  # the other request commits between our checks and our write
        calls.append(args)
        return None if len(calls) <= 2 else real(*args, **kwargs)

    monkeypatch.setattr(intake, "find_duplicate", blind)
    response = post(client, campaign, entry_data(region, org_name="甲单位党支部", brand_name="零距离"))
    assert response.status_code == 200
    assert first.reference in " ".join(response.context["form"].errors["brand_name"])
    assert Submission.objects.count() == 1 and Section.objects.filter(submission__isnull=False).count() == 2
    assert Photo.objects.filter(submission__isnull=True).count() == 1, "the photo is staged for the next try"


def test_save_entry_replaces_sections_photos_and_attachments_of_a_revised_entry(django_capture_on_commit_callbacks):
    entry = submission_in(Status.SUBMITTED)
    from tests.factories import add_photo

    keep, drop = add_photo(entry, caption="留下"), add_photo(entry, caption="删掉")
    keep.upload_key = "keep-key"
    keep.save()
    dropped_files = [drop.image.name, drop.display.name, drop.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        intake.save_entry(entry, [("新一", "正文")], [intake.PhotoItem(caption="改了说明", key="keep-key")], [])
    assert list(entry.sections.values_list("heading", flat=True)) == ["新一"]
    assert list(entry.photos.values_list("pk", "caption")) == [(keep.pk, "改了说明")]
    assert not any(drop.image.storage.exists(name) for name in dropped_files)


def test_content_save_never_writes_the_status():
    entry = submission_in(Status.RETURNED)
    stale = Submission.objects.get(pk=entry.pk)  # the page loaded while returned; the workflow moves on meanwhile
    from submissions import workflow
    from tests.factories import make_user

    workflow.transition(entry, Status.RESUBMITTED, actor=make_user("editor", username="ed"))
    stale.org_name = "改过的单位名称"
    intake.save_entry(stale, [("a", "b")], [], [])
    entry.refresh_from_db()
    assert entry.status == Status.RESUBMITTED and entry.org_name == "改过的单位名称"


def test_purge_staged_drops_only_old_staged_uploads(settings):
    from datetime import timedelta

    from django.utils import timezone

    from submissions.platform import images
    from tests.submit_data import jpeg

    old = intake.stage_photo(images.make_renditions(jpeg()))
    fresh = intake.stage_photo(images.make_renditions(jpeg()))
    Photo.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    assert intake.purge_staged() == 1
    from django.core.management import call_command

    call_command("cleanup_media", staged_hours=72)
    assert list(Photo.objects.values_list("pk", flat=True)) == [fresh.pk]
