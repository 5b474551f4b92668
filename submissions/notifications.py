"""Every e-mail the portal sends goes through here and is kept in the outbox.

A message is rendered from its editable template (NotificationTemplate), stored as an
OutboxMessage, and sent after the transaction commits. A send that fails stays in the
outbox as failed and is retried by `manage.py send_outbox` (run by cron) with backoff.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from submissions.models import NotificationTemplate, OutboxMessage, SiteSettings, StatusChange
from submissions.models import Status as S

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8

# event -> (what it is for, subject, body). Seeded into NotificationTemplate by a migration;
# also the fallback when an editor deleted a template.
DEFAULTS = {
    "received": (
        "报送成功回执（发给报送单位）",
        "【{{ site.site_name }}】已收到您的报送：{{ submission.reference }}",
        "{{ submission.contact_name }}您好：\n\n我们已收到{{ submission.org_name }}报送的{{ submission.brand_display }}"
        "（报送编号 {{ submission.reference }}）。\n\n您可随时通过以下专属链接查询进度；编辑部如需您修改，也将通过此链接通知：\n"
        "{{ tracking_url }}\n\n请妥善保存此链接，不要转发给他人。\n\n{{ site.publisher }}",
    ),
    "mailbox_notice": (
        "新报送提醒（发给征集邮箱）",
        "新报送 {{ submission.reference }}：{{ submission.org_name }}{{ submission.brand_display }}",
        "新报送作品：{{ submission.reference }}\n单位：{{ submission.org_name }}\n品牌：{{ submission.brand_display }}\n"
        "类别：{{ submission.get_kind_display }}\n地区：{{ submission.region }}\n"
        "联系人：{{ submission.contact_name }} {{ submission.contact_phone }}\n\n后台查看：{{ admin_url }}",
    ),
    "resubmitted": (
        "修改稿回执（发给报送单位）",
        "【{{ site.site_name }}】已收到您的修改稿：{{ submission.reference }}",
        "{{ submission.contact_name }}您好：\n\n我们已收到{{ submission.brand_display }}（{{ submission.reference }}）的修改稿，"
        "编辑部将尽快审阅。\n\n查询进度：{{ tracking_url }}\n\n{{ site.publisher }}",
    ),
    "returned": (
        "退回修改通知",
        "【{{ site.site_name }}】请修改您的报送：{{ submission.reference }}",
        "{{ submission.contact_name }}您好：\n\n编辑部审阅了{{ submission.brand_display }}（{{ submission.reference }}），"
        "请按以下意见修改后重新提交：\n\n{{ message }}\n\n修改入口：{{ tracking_url }}\n\n{{ site.publisher }}",
    ),
    "shortlisted": (
        "入围通知",
        "【{{ site.site_name }}】您的报送已入围：{{ submission.reference }}",
        "{{ submission.contact_name }}您好：\n\n{{ submission.org_name }}报送的{{ submission.brand_display }}已入围。"
        "编辑部可能与您联系安排采访。\n\n查询进度：{{ tracking_url }}\n\n{{ site.publisher }}",
    ),
    "accepted": (
        "采用通知",
        "【{{ site.site_name }}】您的报送已被采用：{{ submission.reference }}",
        "{{ submission.contact_name }}您好：\n\n{{ submission.brand_display }}已被采用，将以巡展文章形式刊发。"
        "\n\n查询进度：{{ tracking_url }}\n\n{{ site.publisher }}",
    ),
    "declined": (
        "不予采用通知",
        "【{{ site.site_name }}】关于您的报送：{{ submission.reference }}",
        "{{ submission.contact_name }}您好：\n\n感谢{{ submission.org_name }}的报送。经评审，{{ submission.brand_display }}"
        "本次未予采用。\n\n{{ message }}\n\n欢迎继续关注和参与。\n\n{{ site.publisher }}",
    ),
    "published": (
        "文章发表通知",
        "【{{ site.site_name }}】{{ submission.brand_display }}巡展文章已发表",
        "{{ submission.contact_name }}您好：\n\n介绍{{ submission.org_name }}{{ submission.brand_display }}的巡展文章已发表：\n"
        "{{ article_url }}\n\n{{ site.publisher }}",
    ),
    "link_resend": (
        "补发查询链接",
        "【{{ site.site_name }}】您的报送查询链接",
        "您好：\n\n以下是该邮箱报送作品的专属查询链接：\n{% for item in entries %}\n{{ item.reference }} "
        "{{ item.brand }}：{{ item.url }}{% endfor %}\n\n如非本人操作，请忽略本邮件。\n\n{{ site.publisher }}",
    ),
    "draft_saved": (
        "草稿保存链接",
        "【{{ site.site_name }}】您的报送草稿已保存",
        "您好：\n\n您的报送草稿已保存，可通过以下链接继续填写：\n{{ draft_url }}\n\n{{ site.publisher }}",
    ),
    "assigned": (
        "评审分派通知（发给评审专家）",
        "【{{ site.site_name }}】请您评审 {{ assignments|length }} 件作品",
        "{{ reviewer_name }}您好：\n\n编辑部请您评审以下作品：\n{% for item in assignments %}\n{{ item.stage }} · "
        "{{ item.reference }} {{ item.brand }}：{{ item.url }}{% endfor %}\n\n全部待评作品：{{ queue_url }}\n\n{{ site.publisher }}",
    ),
    "reviews_complete": (
        "评审完成提醒（发给编辑）",
        "【{{ site.site_name }}】{{ submission.reference }} {{ stage }}评分已全部提交",
        "{{ editor_name }}您好：\n\n{{ submission.reference }} {{ submission.org_name }}{{ submission.brand_display }}"
        "的{{ stage }}评分已全部提交（{{ scored }} 位专家，平均 {{ submission.score }} 分），请办理下一步：\n{{ admin_url }}"
        "\n\n{{ site.publisher }}",
    ),
}

# Status reached -> event the submitter is told about.
STATUS_EVENTS = {
    S.SUBMITTED: "received",
    S.RESUBMITTED: "resubmitted",
    S.RETURNED: "returned",
    S.SHORTLISTED: "shortlisted",
    S.ACCEPTED: "accepted",
    S.DECLINED: "declined",
    S.PUBLISHED: "published",
}


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def tracking_url(submission):
    return absolute(reverse("track:detail", kwargs={"token": submission.tracking_token}))


def render(event, context):
    """(subject, body) of an event, from the editors' template or the default."""
    template = NotificationTemplate.objects.filter(event=event).first()
    if template is not None:
        subject_src, body_src = template.subject, template.body
    else:
        _desc, subject_src, body_src = DEFAULTS[event]
    ctx = Context({"site": SiteSettings.load(), **context}, autoescape=False)
    subject = " ".join(Template(subject_src).render(ctx).split())[:200]
    return subject, Template(body_src).render(ctx)


def queue(event, to, context, submission=None):
    """Store a message in the outbox and send it once the current transaction commits."""
    subject, body = render(event, {"submission": submission, **context})
    message = OutboxMessage.objects.create(event=event, to=to, subject=subject, body=body, submission=submission)
    transaction.on_commit(lambda: send(message.pk))
    return message


def status_changed(change_pk):
    """Tell the submitter (and, for a new entry, the campaign mailbox) about a status change."""
    change = StatusChange.objects.select_related("submission__campaign", "submission__region").get(pk=change_pk)
    submission = change.submission
    event = STATUS_EVENTS.get(change.to_status)
    if event is None:
        return
    context = {"tracking_url": tracking_url(submission), "message": change.message}
    if event == "published":
        showcase = getattr(submission, "showcase", None)
        context["article_url"] = absolute(showcase.get_absolute_url()) if showcase else ""
    with transaction.atomic():
        queue(event, submission.contact_email, context, submission)
        if event == "received" and submission.campaign.mailbox:
            admin_url = absolute(reverse("admin:submissions_submission_change", args=[submission.pk]))
            queue("mailbox_notice", submission.campaign.mailbox, {"admin_url": admin_url}, submission)


def send(message_pk):
    """Try to send one outbox message now; a failure is recorded and left for a retry."""
    message = OutboxMessage.objects.filter(pk=message_pk).exclude(state=OutboxMessage.State.SENT).first()
    if message is None:
        return False
    message.attempts += 1
    try:
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
    except Exception as exc:  # any transport failure: keep the message, retry later
        log.warning("sending outbox message %s failed: %s", message.pk, exc)
        message.state = OutboxMessage.State.FAILED
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.next_attempt_at = timezone.now() + timedelta(minutes=2 ** min(message.attempts, 10))
        message.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])
        return False
    message.state = OutboxMessage.State.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["state", "attempts", "last_error", "sent_at"])
    return True


def send_due(now=None, *, force=False):
    """Send every queued message and every failed one whose retry time has come. Returns (sent, failed)."""
    now = now or timezone.now()
    due = OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).filter(attempts__lt=MAX_ATTEMPTS)
    if not force:
        due = due.exclude(state=OutboxMessage.State.FAILED, next_attempt_at__gt=now)
    sent = failed = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        if send(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed


def reviewers_assigned(reviewer, assignments):
    """Tell a reviewer which entries were just given to them (reference and brand only: never who sent them)."""
    if not reviewer.email or not assignments:
        return None
    items = [
        {
            "stage": a.get_stage_display(),
            "reference": a.submission.reference,
            "brand": a.submission.brand_display,
            "url": absolute(reverse("admin:submissions_submission_score", args=[a.submission_id, a.stage])),
        }
        for a in assignments
    ]
    context = {
        "reviewer_name": str(reviewer),
        "assignments": items,
        "queue_url": absolute(reverse("admin:submissions_submission_next_unscored")),
    }
    return queue("assigned", reviewer.email, context)


def reviews_complete(submission, stage_label, editors, scored):
    """Tell the editors who assigned the round that every review of it is in."""
    admin_url = absolute(reverse("admin:submissions_submission_change", args=[submission.pk]))
    sent = []
    for editor in editors:
        if editor.email:
            context = {"editor_name": str(editor), "stage": stage_label, "scored": scored, "admin_url": admin_url}
            sent.append(queue("reviews_complete", editor.email, context, submission))
    return sent
