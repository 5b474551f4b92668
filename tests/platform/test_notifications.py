"""The submitter's e-mails: one per visible step, kept in the outbox, retried when the mail server fails."""

import importlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from submissions import workflow
from submissions.models import ArticleState, NotificationTemplate, OutboxMessage, Status
from submissions.newsroom import publishing
from submissions.platform import mailtemplates
from submissions.platform.mail import DEFAULTS  # where migrations 0003, 0007 and 0016 import it from
from tests.factories import SubmissionFactory, article_in, make_user, submission_in
from tests.submit_data import started

S = Status
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """The mail server is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = LOCMEM


@pytest.mark.django_db
def test_each_visible_step_mails_the_submitter(django_capture_on_commit_callbacks, editor):
    entry = SubmissionFactory()
    steps = [
        (S.SUBMITTED, workflow.SUBMITTER, ""),
        (S.FIRST_REVIEW, editor, ""),
        (S.RETURNED, editor, "请补充近三年的数据。"),
        (S.RESUBMITTED, workflow.SUBMITTER, ""),
        (S.SHORTLISTED, editor, ""),
        (S.ACCEPTED, editor, ""),
    ]
    for to, actor, message in steps:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(entry, to, actor=actor, message=message)
    to_submitter = [m for m in mail.outbox if m.to == [entry.contact_email]]
    events = list(OutboxMessage.objects.filter(to=entry.contact_email).order_by("pk").values_list("event", flat=True))
    assert events == ["received", "returned", "resubmitted", "shortlisted", "accepted"]
    assert len(to_submitter) == 5
    assert "请补充近三年的数据。" in to_submitter[1].body and entry.tracking_token in to_submitter[1].body
    assert OutboxMessage.objects.filter(event="mailbox_notice", to=entry.campaign.mailbox).count() == 1
    assert not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists()


@pytest.mark.django_db
def test_a_sign_off_request_tells_whoever_may_sign_off(django_capture_on_commit_callbacks):
    """The workflow's notices choose the chief editors by the permission, not by a group's name."""
    article = article_in(ArticleState.DRAFT)
    direct = make_user(username="direct")  # in no group: holds the permission itself
    direct.user_permissions.add(Permission.objects.get(codename="signoff_showcase"))
    make_user("chief", username="away", is_active=False)
    make_user("editor", username="plain")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.request_sign_off(article, article.responsible_editor, note="请签审")
    told = set(OutboxMessage.objects.filter(event="signoff_requested").values_list("to", flat=True))
    assert told == {"direct@example.com", "factory-chief@example.com"}


@pytest.mark.django_db
def test_editors_template_is_used(django_capture_on_commit_callbacks, editor):
    NotificationTemplate.objects.update_or_create(
        event="declined", defaults={"subject": "结果通知 {{ reference }}", "body": "很遗憾：{{ message }}"}
    )
    entry = submission_in(S.FIRST_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.DECLINED, actor=editor, message="主题不符")
    sent = mail.outbox[-1]
    assert sent.subject == f"结果通知 {entry.reference}" and sent.body == "很遗憾：主题不符"


@pytest.mark.django_db
def test_a_failed_send_is_kept_shown_and_retried(settings, django_capture_on_commit_callbacks, editor, client):
    settings.EMAIL_BACKEND = "tests.platform.test_notifications.FailingBackend"
    entry = submission_in(S.FIRST_REVIEW)
    OutboxMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.RETURNED, actor=editor, message="请补充照片。")
    entry.refresh_from_db()
    assert entry.status == S.RETURNED  # the step itself is not undone by the mail server
    message = OutboxMessage.objects.get(event="returned")
    assert message.state == OutboxMessage.State.FAILED and message.attempts == 1
    assert "mail server down" in message.last_error and message.next_attempt_at is not None

    client.force_login(editor)
    outbox = client.get(reverse("admin:submissions_outboxmessage_changelist"), {"state__exact": "failed"})
    assert outbox.status_code == 200
    html = outbox.content.decode()
    assert "发送失败" in html and "mail server down" in html and entry.contact_email in html

    call_command("send_outbox")  # still down, and not yet due: nothing is lost
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.FAILED

    settings.EMAIL_BACKEND = LOCMEM  # the server is back
    call_command("send_outbox", "--force")
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT and message.attempts == 2 and message.last_error == ""
    assert [m.subject for m in mail.outbox] == [message.subject]
    assert "请补充照片。" in mail.outbox[0].body


@pytest.mark.django_db
def test_send_outbox_retries_due_messages(settings, django_capture_on_commit_callbacks, editor):
    settings.EMAIL_BACKEND = "tests.platform.test_notifications.FailingBackend"
    entry = submission_in(S.SECOND_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.SHORTLISTED, actor=editor)
    failed = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED)
    assert failed.filter(event="shortlisted").exists()
    failed.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    settings.EMAIL_BACKEND = LOCMEM
    call_command("send_outbox")
    assert not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists()
    assert any(m.to == [entry.contact_email] and "入围" in m.subject for m in mail.outbox)


@pytest.mark.django_db
def test_resend_action_in_the_outbox_admin(settings, django_capture_on_commit_callbacks, editor, client):
    settings.EMAIL_BACKEND = "tests.platform.test_notifications.FailingBackend"
    entry = submission_in(S.SECOND_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.SHORTLISTED, actor=editor)
    settings.EMAIL_BACKEND = LOCMEM
    failed = list(OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).values_list("pk", flat=True))
    assert failed
    client.force_login(make_user("chief", username="chief2"))
    with django_capture_on_commit_callbacks(execute=True) as queued:  # queued for a worker, not sent in the request
        response = client.post(
            reverse("admin:submissions_outboxmessage_changelist"),
            {"action": "resend", "_selected_action": failed, "index": 0},
            follow=True,
        )
    assert response.status_code == 200
    assert len(queued) == len(failed)
    assert f"已将 {len(failed)} 封邮件加入发送队列" in response.content.decode()
    assert not OutboxMessage.objects.filter(pk__in=failed).exclude(state=OutboxMessage.State.SENT).exists()


# Issue 11, finding 2: the templates were full Django templates with the entry as context -----

ATTACK = "{% for h in submission.history.all %}{{ h.actor.password }}{% endfor %}{{ submission.contact_email }}"


@pytest.mark.django_db
def test_a_template_cannot_reach_a_password_hash_even_if_stored(django_capture_on_commit_callbacks, editor):
    """Written into the row behind the admin's back: the sandbox still gives nothing but placeholders."""
    NotificationTemplate.objects.filter(event="declined").update(subject="{{ reference }}{{ submission.pk }}", body=ATTACK)
    entry = submission_in(S.FIRST_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.DECLINED, actor=editor, message="主题不符")
    sent = OutboxMessage.objects.get(event="declined")
    assert sent.subject == entry.reference
    assert sent.body == ""  # no hash, no e-mail address, no loop: only placeholders are filled
    assert editor.password not in sent.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (ATTACK, "不是占位符"),
        ("{{ password }}", "未知的占位符“password”"),
        ("{{ message }}", "未知的占位符“message”"),  # not a placeholder of this event
        ("{{ reference|upper }}", "不是占位符"),
        ("{% load static %}", "不是占位符"),
        ("{{ reference", "不是占位符"),
    ],
)
def test_the_admin_refuses_anything_but_the_events_placeholders(client, editor, body, message):
    template = NotificationTemplate.objects.get(event="received")
    client.force_login(editor)
    url = reverse("admin:submissions_notificationtemplate_change", args=[template.pk])
    response = client.post(url, {"description": template.description, "subject": template.subject, "body": body})
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page and message in page
    template.refresh_from_db()
    assert template.body != body


@pytest.mark.django_db
def test_the_admin_lists_the_placeholders_beside_the_template_and_saves_a_good_one(client, editor):
    template = NotificationTemplate.objects.get(event="returned")
    client.force_login(editor)
    url = reverse("admin:submissions_notificationtemplate_change", args=[template.pk])
    page = client.get(url).content.decode()
    assert "可用占位符" in page
    for name in ("{{ reference }}", "{{ brand }}", "{{ organization }}", "{{ tracking_url }}", "{{ message }}"):
        assert name in page
    assert "{{ draft_url }}" not in page
    body = "{{ contact_name }}您好：{{ message }} {{tracking_url}}"
    response = client.post(url, {"description": "退回", "subject": "请修改 {{ reference }}", "body": body})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == body


OLD_RECEIVED = (
    "{{ submission.contact_name }}您好：\n\n我们已收到{{ submission.org_name }}报送的{{ submission.brand_display }}"
    "（报送编号 {{ submission.reference }}）。\n\n您可随时通过以下专属链接查询进度；编辑部如需您修改，也将通过此链接通知：\n"
    "{{ tracking_url }}\n\n请妥善保存此链接，不要转发给他人。\n\n{{ site.publisher }}"
)
OLD_LINK_RESEND = (
    "您好：\n\n以下是该邮箱报送作品的专属查询链接：\n{% for item in entries %}\n{{ item.reference }} "
    "{{ item.brand }}：{{ item.url }}{% endfor %}\n\n如非本人操作，请忽略本邮件。\n\n{{ site.publisher }}"
)


def test_the_data_migration_turns_the_old_seeded_templates_into_placeholders():
    migration = importlib.import_module("submissions.migrations.0008_security_data")
    assert migration.to_placeholders(OLD_RECEIVED) == DEFAULTS["received"][2]
    assert migration.to_placeholders(OLD_LINK_RESEND) == DEFAULTS["link_resend"][2]
    assert migration.to_placeholders("【{{site.site_name}}】{{ submission.reference }}") == "【{{ site_name }}】{{ reference }}"
    for event, (_description, subject, body) in DEFAULTS.items():
        assert mailtemplates.problems(subject, event) == [] and mailtemplates.problems(body, event) == [], event


@pytest.mark.django_db
def test_the_link_resend_mail_lists_every_entry(client, settings):
    settings.FORM_MIN_SECONDS = 0
    first = submission_in(S.SUBMITTED, contact_email="li@example.com")
    second = submission_in(S.SUBMITTED, contact_email="li@example.com")
    client.post("/track/", {"email": "li@example.com", "website": "", "started": started()})
    body = OutboxMessage.objects.get(event="link_resend").body
    for entry in (first, second):
        assert f"{entry.reference} {entry.brand_display}：http" in body and entry.tracking_token in body
    assert "{{" not in body and "{%" not in body
