"""Hostile input to every public form: the entry form (submit and draft), the revision form of a
returned entry, withdrawing, the lost-link re-send and the comment form.

Never a 500; a refused post shows its error and stores nothing: no entry, section, photo or
attachment of an entry, comment, status change or e-mail, and no file on disk that no row refers
to. (A refused entry form keeps the photos and attachments that passed their checks as *staged*
uploads, so that nothing is uploaded twice; those have their row and are not counted here.)
"""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import workflow
from submissions.management.commands.cleanup_media import referenced_names, stored_files
from submissions.models import Attachment, Comment, OutboxMessage, Photo, Section, Status, StatusChange, Submission
from submissions.workflow import roles
from tests.factories import RegionFactory, make_user, published_showcase, submission_in
from tests.hostile import assert_form_survives
from tests.submit_data import entry_data, started

pytestmark = pytest.mark.django_db

EXAMPLES = 30


def entry_photos():
    return Photo.objects.filter(submission__isnull=False).count()


def entry_attachments():
    return Attachment.objects.filter(submission__isnull=False).count()


def unreferenced_files():
    """Files under MEDIA_ROOT that no row refers to (what cleanup_media would remove)."""
    if not default_storage.exists(""):
        return 0
    return len(set(stored_files(default_storage)) - referenced_names())


STORED = [Submission, Section, entry_photos, entry_attachments, Comment, OutboxMessage, StatusChange, unreferenced_files]


@pytest.fixture
def fast_forms(settings):
    settings.FORM_MIN_SECONDS = 0


def split_files(data):
    """The form data and its uploads apart (hostile.py renames the uploads and mutates the rest)."""
    files = {key: value for key, value in data.items() if isinstance(value, SimpleUploadedFile)}
    return {key: value for key, value in data.items() if key not in files}, files


def with_attachment(data):
    pdf = SimpleUploadedFile("申报材料.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf")
    return {**data, "attachment_files": pdf}


def assert_valid(client, url, data, files=None):
    """The unmutated data is accepted (else every hostile post would be refused for nothing)."""
    cache.clear()
    response = client.post(
        url, {**data, **{key: SimpleUploadedFile(f.name, f.read(), f.content_type) for key, f in (files or {}).items()}}
    )
    for upload in (files or {}).values():
        upload.seek(0)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("action", ["submit", "draft"])
def test_entry_form_survives_hostile_posts(client, fast_forms, action):
    region = RegionFactory()
    campaign = submission_in(Status.SUBMITTED).campaign  # an open call, and an entry to collide with
    url = f"/call/{campaign.slug}/submit/"
    data, files = split_files(with_attachment(entry_data(region, sections=2, photos=2, action=action)))
    assert_valid(client, url, data, files)
    assert_form_survives(client, url, data, files, STORED, max_examples=EXAMPLES, before_each=cache.clear)


def test_entry_form_refuses_huge_and_broken_formsets_at_once(client, fast_forms):
    region = RegionFactory()
    campaign = submission_in(Status.SUBMITTED).campaign
    url = f"/call/{campaign.slug}/submit/"
    for total in ("1000000", "9" * 30, "-5", "x"):
        data, files = split_files(entry_data(region))
        data["sections-TOTAL_FORMS"] = data["photos-TOTAL_FORMS"] = total
        before = [Submission.objects.count(), Section.objects.count()]
        response = client.post(url, {**data, **files})
        assert response.status_code == 200, total
        assert len(response.content) < 400_000, total  # not a page of a million blank forms
        assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
        assert [Submission.objects.count(), Section.objects.count()] == before
    data, files = split_files(entry_data(region))
    data.pop("sections-TOTAL_FORMS")
    data.pop("photos-INITIAL_FORMS")
    response = client.post(url, {**data, **files})
    assert response.status_code == 200 and Submission.objects.count() == 1


def test_entry_form_refuses_more_photos_than_allowed(client, fast_forms):
    region = RegionFactory()
    campaign = submission_in(Status.SUBMITTED).campaign
    data, files = split_files(entry_data(region, photos=12))
    response = client.post(f"/call/{campaign.slug}/submit/", {**data, **files})
    assert response.status_code == 200
    assert "最多只能有 9 项" in response.content.decode()
    assert Submission.objects.count() == 1 and entry_photos() == 0


def test_revision_form_survives_hostile_posts(client, fast_forms):
    returned = submission_in(Status.RETURNED)
    url = f"/track/{returned.tracking_token}/edit/"
    data, files = split_files(entry_data(returned.region, sections=2, photos=1, brand_name=returned.brand_name))
    editor = make_user(roles.EDITOR, username="hostile-returner")

    def returned_again():
        """A valid post resubmits the entry: send it back, so that every post meets the form."""
        cache.clear()
        returned.refresh_from_db()
        if returned.status != Status.RETURNED:
            workflow.transition(returned, Status.RETURNED, actor=editor, message="请再修改。")

    assert_form_survives(client, url, data, files, STORED, max_examples=EXAMPLES, before_each=returned_again)


def test_withdraw_survives_hostile_posts(client):
    entry = submission_in(Status.SUBMITTED)
    url = f"/track/{entry.tracking_token}/withdraw/"
    assert_form_survives(client, url, {"confirm": "on"}, model_counts=STORED, max_examples=EXAMPLES)
    assert_valid(client, url, {"confirm": "on"})


def test_lost_link_resend_survives_hostile_posts(client, fast_forms):
    submission_in(Status.SUBMITTED, contact_email="zhangsan@example.com")
    valid = {"email": "zhangsan@example.com", "website": "", "started": started()}
    assert_form_survives(client, "/track/", valid, model_counts=STORED, max_examples=EXAMPLES, before_each=cache.clear)
    assert_valid(client, "/track/", valid)


def test_comment_form_survives_hostile_posts(client, fast_forms):
    article = published_showcase()
    valid = {"name": "读者", "body": "很受启发。", "website": "", "started": started()}
    url = f"/showcase/{article.slug}/comment/"
    assert_form_survives(client, url, valid, model_counts=STORED, max_examples=EXAMPLES, before_each=cache.clear)
    assert_valid(client, url, valid)
    assert Comment.objects.filter(body="很受启发。").exists()


def test_entry_form_refuses_more_attachments_than_allowed(client, fast_forms):
    region = RegionFactory()
    campaign = submission_in(Status.SUBMITTED).campaign
    data, files = split_files(entry_data(region))
    pdfs = [SimpleUploadedFile(f"材料{i}.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf") for i in range(4)]
    response = client.post(f"/call/{campaign.slug}/submit/", {**data, **files, "attachment_files": pdfs})
    assert response.status_code == 200
    assert "附件最多 3 个" in response.content.decode()
    assert Submission.objects.count() == 1 and entry_attachments() == 0 and unreferenced_files() == 0


def staged_rows():
    return Photo.objects.filter(submission__isnull=True).count() + Attachment.objects.filter(submission__isnull=True).count()


def many_pdfs(n):
    return [SimpleUploadedFile(f"材料{i}.pdf", b"%PDF-1.4\n" + b"x" * 1000, content_type="application/pdf") for i in range(n)]


BOT_POSTS = {"honeypot": lambda: {"website": "http://spam.example/"}, "forged": lambda: {"started": "forged"}}
BOT_POSTS["too-fast"] = lambda: {"started": started(seconds_ago=0)}


@pytest.mark.parametrize("bot", sorted(BOT_POSTS))
def test_a_post_refused_as_a_bot_stages_nothing(client, settings, bot):
    """Finding 1 of issue 11: honeypot, too fast, forged stamp: every photo and attachment was kept."""
    settings.FORM_MIN_SECONDS = 3
    campaign = submission_in(Status.SUBMITTED).campaign
    data, files = split_files(entry_data(RegionFactory(), photos=3, **BOT_POSTS[bot]()))
    response = client.post(f"/call/{campaign.slug}/submit/", {**data, **files, "attachment_files": many_pdfs(2)})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode() or "errorlist" in response.content.decode()
    assert staged_rows() == 0 and unreferenced_files() == 0


def test_an_invalid_post_stages_no_more_than_a_valid_one_may_carry(client, fast_forms):
    """20 PDFs and 9 photos from one invalid post were all staged; now 3 attachments and 9 photos."""
    campaign = submission_in(Status.SUBMITTED).campaign
    data, files = split_files(entry_data(RegionFactory(), photos=9, contact_phone="123"))  # refused: the phone
    response = client.post(f"/call/{campaign.slug}/submit/", {**data, **files, "attachment_files": many_pdfs(20)})
    assert response.status_code == 200
    assert "附件最多 3 个" in response.content.decode()
    assert Attachment.objects.filter(submission__isnull=True).count() == 3
    assert Photo.objects.filter(submission__isnull=True).count() == 9
    # The page carries the three keys back; posting them again with more files stages no more.
    keys = " ".join(Attachment.objects.values_list("upload_key", flat=True))
    assert keys.split()[0] in response.content.decode()
    data["attachment_keys"] = keys
    response = client.post(f"/call/{campaign.slug}/submit/", {**data, "attachment_files": many_pdfs(5)})
    assert Attachment.objects.filter(submission__isnull=True).count() == 3


def test_one_address_may_stage_only_its_daily_quota(client, fast_forms, settings):
    settings.STAGED_BYTES_PER_ADDRESS = 5000  # two 1 KB attachments, not three
    cache.clear()
    campaign = submission_in(Status.SUBMITTED).campaign
    data, _files = split_files(entry_data(RegionFactory(), photos=0, contact_phone="123"))
    response = client.post(
        f"/call/{campaign.slug}/submit/", {**data, "attachment_files": many_pdfs(2)}, REMOTE_ADDR="203.0.113.9"
    )
    assert Attachment.objects.filter(submission__isnull=True).count() == 2
    response = client.post(
        f"/call/{campaign.slug}/submit/", {**data, "attachment_files": many_pdfs(3)}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200
    assert "今天从本网络上传的文件已达上限" in response.content.decode()
    assert Attachment.objects.filter(submission__isnull=True).count() == 4  # 2 + 2 more fit, not the third
    # Another address has its own allowance.
    client.post(f"/call/{campaign.slug}/submit/", {**data, "attachment_files": many_pdfs(1)}, REMOTE_ADDR="198.51.100.4")
    assert Attachment.objects.filter(submission__isnull=True).count() == 5


def test_staged_uploads_expire_within_a_day(client, fast_forms):
    from datetime import timedelta

    from django.utils import timezone

    from submissions.intake import services as intake

    assert intake.STAGED_MAX_AGE <= timedelta(hours=24)
    campaign = submission_in(Status.SUBMITTED).campaign
    data, files = split_files(entry_data(RegionFactory(), photos=1, contact_phone="123"))
    client.post(f"/call/{campaign.slug}/submit/", {**data, **files})
    photo = Photo.objects.get(submission__isnull=True)
    assert intake.photos_by_key([photo.upload_key]) != {}
    Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - timedelta(hours=23))
    assert intake.photos_by_key([photo.upload_key]) == {}  # unreachable once expired, before the purge
    assert intake.purge_staged() == 1
    assert not Photo.objects.exists()
