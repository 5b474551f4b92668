"""When parts fail: the database, the disk, the mail server. A clear page, nothing half-saved."""

import errno
import smtplib
from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, transaction
from django.template import loader
from django.test import Client

from portal.storage import AtomicFileSystemStorage
from submissions.models import Attachment, OutboxMessage, Photo, Submission
from submissions.platform import images
from submissions.platform import mail as notifications
from tests.factories import CampaignFactory, RegionFactory, SubmissionFactory, jpeg_upload
from tests.submit_data import entry_data

pytestmark = pytest.mark.django_db


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


@contextmanager
def database_gone():
    """Every statement fails as if the server had gone away (undone before the test's teardown)."""
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    cache.clear()  # nothing served from the cache: every page must reach the database
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", refuse)
        patch.setattr(CursorWrapper, "executemany", refuse)
        yield


@pytest.mark.parametrize("url", ["/", "/showcase/", "/call/", "/track/some-token/"])
def test_database_gone_during_a_request_gives_a_clear_503(url):
    with database_gone():
        response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 503
    page = response.content.decode()
    assert "服务暂时不可用" in page and "Traceback" not in page and "OperationalError" not in page
    assert response["Retry-After"] == "120"


def test_an_unexpected_error_gives_the_chinese_500_page(monkeypatch):
    from django.core.paginator import Paginator

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(Paginator, "page", boom)
    response = Client(raise_request_exception=False).get("/showcase/")
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode() and "a bug" not in response.content.decode()


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_error_pages_render_without_the_database(template, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template(template).render({})
    assert 'lang="zh-CN"' in html and "<script" not in html and "style=" not in html


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def disk_full_after(monkeypatch, writes):
    """The disk fills up half-way through file number `writes` + 1 (after writing some of its bytes)."""
    real_write = AtomicFileSystemStorage._write
    calls = {"n": 0}

    def write(self, out, content):
        calls["n"] += 1
        if calls["n"] > writes:
            out.write(b"\xff\xd8\xff half a file")
            out.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, out, content)

    monkeypatch.setattr(AtomicFileSystemStorage, "_write", write)
    return calls


@pytest.fixture
def disk_full_on_second_write(monkeypatch):
    """The disk fills up while the second rendition is half written."""
    return disk_full_after(monkeypatch, 1)


def test_a_failing_disk_write_leaves_no_file_and_no_row(settings, disk_full_on_second_write):
    entry = SubmissionFactory()
    photo = Photo(submission=entry, caption="照片")
    with pytest.raises(OSError), images.store_photo(photo, jpeg_upload()), transaction.atomic():
        photo.save()
    assert disk_full_on_second_write["n"] == 2
    assert files_under(settings.MEDIA_ROOT) == []
    assert Photo.objects.count() == 0


def test_disk_full_on_the_entry_form_gives_the_form_back_with_everything_typed(client, settings, monkeypatch):
    """Finding 8 of issue 11: a generic 500, the post's photos lost, a truncated attachment left."""
    settings.FORM_MIN_SECONDS = 0
    campaign = CampaignFactory()
    data = entry_data(RegionFactory(), photos=2, brand_name="满盘测试", contact_phone="12345")  # refused: staged
    data["attachment_files"] = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n" + b"x" * 5000, content_type="application/pdf")
    calls = disk_full_after(monkeypatch, 4)  # the first photo's three renditions, the second photo's first: then full
    response = Client(raise_request_exception=False).post(f"/call/{campaign.slug}/submit/", data)
    assert calls["n"] >= 5
    assert response.status_code == 200
    page = response.content.decode()
    assert "存储空间已满，请稍后再试" in page
    for typed in ("山东高速股份有限公司济南收费站党支部", "满盘测试", "服务零距离，温暖在身边", "做法2", "活动照片2"):
        assert typed in page, typed
    assert Submission.objects.count() == 0
    # The photo staged before the disk filled is kept for the next try; nothing partial is left.
    staged = Photo.objects.get(submission__isnull=True)
    assert staged.upload_key in page
    stored = set(files_under(settings.MEDIA_ROOT))
    assert stored == {staged.image.name, staged.display.name, staged.thumbnail.name}
    assert not any(name.endswith(".part") for name in stored)


def test_disk_full_during_the_save_of_a_valid_entry_stores_nothing(client, settings, monkeypatch):
    settings.FORM_MIN_SECONDS = 0
    campaign = CampaignFactory()
    data = entry_data(RegionFactory(), photos=1)
    data["attachment_files"] = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n" + b"x" * 5000, content_type="application/pdf")
    disk_full_after(monkeypatch, 3)  # the photo is written, the attachment is not
    response = Client(raise_request_exception=False).post(f"/call/{campaign.slug}/submit/", data)
    assert response.status_code == 200
    assert "存储空间已满，请稍后再试" in response.content.decode()
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0
    staged = list(Photo.objects.all())  # the photo comes back staged (written again after the save was undone)
    assert all(photo.submission_id is None for photo in staged)
    names = {name for photo in staged for name in (photo.image.name, photo.display.name, photo.thumbnail.name)}
    assert set(files_under(settings.MEDIA_ROOT)) == names


def test_a_failing_row_save_removes_the_files_already_written(settings, monkeypatch):
    entry = SubmissionFactory()
    photo = Photo(submission=entry, caption="照片")

    def refuse(*args, **kwargs):
        raise IntegrityError("row refused")

    monkeypatch.setattr(Photo, "save", refuse)
    with pytest.raises(IntegrityError), images.store_photo(photo, jpeg_upload()), transaction.atomic():
        photo.save()
    assert files_under(settings.MEDIA_ROOT) == []
    assert Photo.objects.count() == 0


def test_store_photo_keeps_everything_when_all_goes_well(settings):
    photo = Photo(submission=SubmissionFactory(), caption="照片")
    with images.store_photo(photo, jpeg_upload()), transaction.atomic():
        photo.save()
    assert len(files_under(settings.MEDIA_ROOT)) == 3
    assert Photo.objects.get().display.name == photo.display.name


class MailServerDown:
    """An e-mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "mail server down")


def test_mail_server_down_keeps_the_message_and_send_outbox_delivers_it_later(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.platform.test_faults.MailServerDown"
    entry = SubmissionFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notifications.queue("received", entry.contact_email, {"tracking_url": "http://x/track/t/"}, entry)
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.FAILED and message.attempts == 1
    assert "mail server down" in message.last_error
    assert message.body and entry.contact_email == message.to  # the whole message is kept

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_outbox", "--force", stdout=open("/dev/null", "w"))
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT and message.attempts == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == message.subject


@pytest.mark.parametrize(("status", "text"), [(400, "请求无法处理"), (403, "没有权限")])
def test_refusals_are_explained_in_chinese(client, reviewer, settings, status, text):
    if status == 400:
        fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
        response = client.post("/i18n/setlang/", fields)
    else:
        client.force_login(reviewer)
        response = client.get("/admin/dashboard/")  # the editors' page
    assert response.status_code == status
    assert text in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_is_explained_in_chinese():
    response = Client(enforce_csrf_checks=True).post("/track/", {"email": "a@example.com"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_storage_never_overwrites_and_leaves_no_temporary_file(settings, tmp_path):
    from django.core.files.base import ContentFile

    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("photos/a.jpg", ContentFile(b"first"))
    second = storage.save("photos/a.jpg", ContentFile(b"second"))
    assert first == "photos/a.jpg" and second != first and second.startswith("photos/a_")
    assert (tmp_path / first).read_bytes() == b"first" and (tmp_path / second).read_bytes() == b"second"
    assert oct((tmp_path / first).stat().st_mode & 0o777) == oct(settings.FILE_UPLOAD_PERMISSIONS)
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == sorted([first.split("/")[1], second.split("/")[1]])
