"""When parts fail: the database, the disk, the mail server. A clear page, nothing half-saved."""

import errno
import os
import smtplib
from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, transaction
from django.template import loader
from django.test import Client

from submissions import images, notifications
from submissions.models import OutboxMessage, Photo
from tests.factories import SubmissionFactory, jpeg_upload

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


@pytest.fixture
def disk_full_on_second_write(monkeypatch):
    """The disk fills up while the second rendition is half written."""
    real_save = FileSystemStorage._save
    calls = {"n": 0}

    def save(self, name, content):
        calls["n"] += 1
        if calls["n"] == 2:
            path = self.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as partial:
                partial.write(b"\xff\xd8\xff half a jpeg")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return calls


def test_a_failing_disk_write_leaves_no_file_and_no_row(settings, disk_full_on_second_write):
    entry = SubmissionFactory()
    photo = Photo(submission=entry, caption="照片")
    with pytest.raises(OSError), images.store_photo(photo, jpeg_upload()), transaction.atomic():
        photo.save()
    assert disk_full_on_second_write["n"] == 2
    assert files_under(settings.MEDIA_ROOT) == []
    assert Photo.objects.count() == 0


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
    settings.EMAIL_BACKEND = "tests.test_faults.MailServerDown"
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
