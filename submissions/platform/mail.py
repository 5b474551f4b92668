"""Every e-mail the portal sends goes through here and is kept in the outbox.

Who is told of what is decided by those who send: the workflow's moves by
submissions.workflow.notices, reviews by the review area; this module only renders, keeps and
sends. A message is rendered from its editable template (NotificationTemplate: plain text with
named placeholders only, filled by submissions/platform/mailtemplates.py, never a Django
template), stored as an OutboxMessage; once the transaction commits, a task
(submissions/platform/tasks.py) sends it on a worker, never inside the request. A send first claims the message (compare-and-swap on its
attempt count, with a lease), so two workers never send one message twice; a send that
fails stays in the outbox as failed and is retried with backoff by the `send_outbox` task
every minute, which also picks up a message whose worker died mid-send once its lease ends.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from submissions.models import NotificationTemplate, OutboxMessage, SiteSettings
from submissions.platform import mailtemplates, tasks
from submissions.platform.people import display_name

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def claim_seconds():
    """How long a claimed message is left to its sender before another may try: well above
    EMAIL_TIMEOUT, so only a sender that died loses its claim."""
    return getattr(settings, "OUTBOX_CLAIM_SECONDS", 300)


# event -> (what it is for, subject, body). Seeded into NotificationTemplate by a migration;
# also the fallback when an editor deleted a template. Placeholders only (see PLACEHOLDERS).
DEFAULTS = {
    "received": (
        "报送成功回执（发给报送单位）",
        "【{{ site_name }}】已收到您的报送：{{ reference }}",
        "{{ contact_name }}您好：\n\n我们已收到{{ organization }}报送的{{ brand }}"
        "（报送编号 {{ reference }}）。\n\n您可随时通过以下专属链接查询进度；编辑部如需您修改，也将通过此链接通知：\n"
        "{{ tracking_url }}\n\n请妥善保存此链接，不要转发给他人。\n\n{{ publisher }}",
    ),
    "mailbox_notice": (
        "新报送提醒（发给征集邮箱）",
        "新报送 {{ reference }}：{{ organization }}{{ brand }}",
        "新报送作品：{{ reference }}\n单位：{{ organization }}\n品牌：{{ brand }}\n"
        "类别：{{ kind }}\n地区：{{ region }}\n"
        "联系人：{{ contact_name }} {{ contact_phone }}\n\n后台查看：{{ admin_url }}",
    ),
    "resubmitted": (
        "修改稿回执（发给报送单位）",
        "【{{ site_name }}】已收到您的修改稿：{{ reference }}",
        "{{ contact_name }}您好：\n\n我们已收到{{ brand }}（{{ reference }}）的修改稿，"
        "编辑部将尽快审阅。\n\n查询进度：{{ tracking_url }}\n\n{{ publisher }}",
    ),
    "returned": (
        "退回修改通知",
        "【{{ site_name }}】请修改您的报送：{{ reference }}",
        "{{ contact_name }}您好：\n\n编辑部审阅了{{ brand }}（{{ reference }}），"
        "请按以下意见修改后重新提交：\n\n{{ message }}\n\n修改入口：{{ tracking_url }}\n\n{{ publisher }}",
    ),
    "shortlisted": (
        "入围通知",
        "【{{ site_name }}】您的报送已入围：{{ reference }}",
        "{{ contact_name }}您好：\n\n{{ organization }}报送的{{ brand }}已入围。"
        "编辑部可能与您联系安排采访。\n\n查询进度：{{ tracking_url }}\n\n{{ publisher }}",
    ),
    "accepted": (
        "采用通知",
        "【{{ site_name }}】您的报送已被采用：{{ reference }}",
        "{{ contact_name }}您好：\n\n{{ brand }}已被采用，将以巡展文章形式刊发。"
        "\n\n查询进度：{{ tracking_url }}\n\n{{ publisher }}",
    ),
    "declined": (
        "不予采用通知",
        "【{{ site_name }}】关于您的报送：{{ reference }}",
        "{{ contact_name }}您好：\n\n感谢{{ organization }}的报送。经评审，{{ brand }}"
        "本次未予采用。\n\n{{ message }}\n\n欢迎继续关注和参与。\n\n{{ publisher }}",
    ),
    "published": (
        "文章发表通知",
        "【{{ site_name }}】{{ brand }}巡展文章已发表",
        "{{ contact_name }}您好：\n\n介绍{{ organization }}{{ brand }}的巡展文章已发表：\n{{ article_url }}\n\n{{ publisher }}",
    ),
    "link_resend": (
        "补发查询链接",
        "【{{ site_name }}】您的报送查询链接",
        "您好：\n\n以下是该邮箱报送作品的专属查询链接：\n\n{{ entries }}\n\n如非本人操作，请忽略本邮件。\n\n{{ publisher }}",
    ),
    "draft_saved": (
        "草稿保存链接",
        "【{{ site_name }}】您的报送草稿已保存",
        "您好：\n\n您的报送草稿已保存，可通过以下链接继续填写：\n{{ draft_url }}\n\n{{ publisher }}",
    ),
    "signoff_requested": (
        "提交签审通知（发给签审编辑）",
        "【{{ site_name }}】待签审：{{ article_title }}",
        "您好：\n\n{{ actor_name }}提交了巡展文章《{{ article_title }}》，请签审。\n{{ note }}\n\n"
        "后台查看：{{ admin_url }}\n\n{{ publisher }}",
    ),
    "signed_off": (
        "签审通过通知（发给编辑）",
        "【{{ site_name }}】已签审：{{ article_title }}",
        "您好：\n\n巡展文章《{{ article_title }}》已由{{ actor_name }}签审通过，可以发布。\n\n"
        "后台查看：{{ admin_url }}\n\n{{ publisher }}",
    ),
    "signoff_returned": (
        "签审退回通知（发给编辑）",
        "【{{ site_name }}】签审退回：{{ article_title }}",
        "您好：\n\n巡展文章《{{ article_title }}》被{{ actor_name }}退回修改，意见如下：\n\n{{ message }}\n\n"
        "后台查看：{{ admin_url }}\n\n{{ publisher }}",
    ),
    "assigned": (
        "评审分派通知（发给评审专家）",
        "【{{ site_name }}】请您评审 {{ assignment_count }} 件作品",
        "{{ reviewer_name }}您好：\n\n编辑部请您评审以下作品：\n{{ assignments }}\n\n"
        "全部待评作品：{{ queue_url }}\n\n{{ publisher }}",
    ),
    "reviews_complete": (
        "评审完成提醒（发给编辑）",
        "【{{ site_name }}】{{ reference }} {{ stage }}评分已全部提交",
        "{{ editor_name }}您好：\n\n{{ reference }} {{ organization }}{{ brand }}"
        "的{{ stage }}评分已全部提交（{{ scored }} 位专家，平均 {{ score }} 分），请办理下一步：\n{{ admin_url }}"
        "\n\n{{ publisher }}",
    ),
    # 公示 (submissions/notice): the objector's receipt and the answer, either way.
    "objection_received": (
        "异议受理回执（发给异议人）",
        "【{{ site_name }}】已收到您对《{{ notice_title }}》的异议",
        "{{ objector_name }}您好：\n\n我们已收到您对公示名单中“{{ entry_name }}”提出的异议，"
        "将于 {{ due_date }} 前作出答复。\n\n受理回执：{{ receipt_url }}\n\n{{ publisher }}",
    ),
    "objection_upheld": (
        "异议成立答复（发给异议人）",
        "【{{ site_name }}】关于您对“{{ entry_name }}”的异议",
        "{{ objector_name }}您好：\n\n经核查，您对《{{ notice_title }}》中“{{ entry_name }}”提出的异议成立，"
        "该作品已撤出公示名单。\n\n核查意见：\n{{ message }}\n\n{{ publisher }}",
    ),
    "objection_dismissed": (
        "异议不成立答复（发给异议人）",
        "【{{ site_name }}】关于您对“{{ entry_name }}”的异议",
        "{{ objector_name }}您好：\n\n经核查，您对《{{ notice_title }}》中“{{ entry_name }}”提出的异议不成立。"
        "\n\n核查意见：\n{{ message }}\n\n{{ publisher }}",
    ),
    # 专题融媒采访 (submissions/interview): the contact, the planning editor, the reporters.
    "interview_proposed": (
        "采访时间征询（发给报送单位）",
        "【{{ site_name }}】关于{{ brand }}的采访安排，请选择时间",
        "{{ contact_name }}您好：\n\n编辑部拟对{{ organization }}{{ brand }}进行专题融媒采访，建议以下时间：\n"
        "{{ interview_dates }}\n\n地点：{{ interview_place }}\n{{ interview_notes }}\n\n"
        "请通过以下链接选择一个时间，或提议其他时间：\n{{ tracking_url }}\n\n{{ publisher }}",
    ),
    "interview_rescheduling": (
        "采访改期请求（发给策划编辑）",
        "【{{ site_name }}】{{ reference }} 报送单位提议另约采访时间",
        "您好：\n\n{{ organization }}{{ brand }}（{{ reference }}）的联系人提议另约采访时间：{{ interview_when }}\n\n"
        "留言：\n{{ message }}\n\n请重新安排：{{ admin_url }}\n\n{{ publisher }}",
    ),
    "interview_confirmed": (
        "采访时间确定（发给记者）",
        "【{{ site_name }}】采访安排：{{ interview_when }} {{ organization }}",
        "您好：\n\n{{ organization }}{{ brand }}（{{ reference }}）的采访已确定：\n时间：{{ interview_when }}\n"
        "地点：{{ interview_place }}\n记者：{{ interview_staff }}\n联系人：{{ contact_name }} {{ contact_phone }}\n\n"
        "加入日历：{{ calendar_url }}\n后台查看：{{ admin_url }}\n\n{{ publisher }}",
    ),
    "interview_cancelled": (
        "采访取消通知（发给报送单位）",
        "【{{ site_name }}】关于{{ brand }}的采访已取消",
        "{{ contact_name }}您好：\n\n编辑部原定对{{ organization }}{{ brand }}的采访已取消。\n\n{{ message }}\n\n"
        "查询进度：{{ tracking_url }}\n\n{{ publisher }}",
    ),
    # 专家智库 (submissions/experts): the expert (with their signed link) and the requesting editor.
    "commentary_requested": (
        "专家点评约稿（发给专家）",
        "【{{ site_name }}】约稿：请为{{ organization }}{{ brand }}撰写专家点评",
        "{{ expert_name }}您好：\n\n编辑部诚邀您为{{ organization }}{{ brand }}撰写专家点评，"
        "截稿时间：{{ commentary_due }}。\n\n约稿说明：\n{{ brief }}\n\n"
        "请通过以下专属链接阅读作品并撰写（无需登录，请勿转发）：\n{{ write_url }}\n\n{{ publisher }}",
    ),
    "commentary_reminder": (
        "专家点评截稿提醒（发给专家）",
        "【{{ site_name }}】提醒：{{ brand }}专家点评将于{{ commentary_due }}截稿",
        "{{ expert_name }}您好：\n\n您受邀为{{ organization }}{{ brand }}撰写的专家点评将于{{ commentary_due }}截稿。"
        "\n\n撰写链接（无需登录，请勿转发）：\n{{ write_url }}\n\n如不便撰写，也可在该页面婉拒。\n\n{{ publisher }}",
    ),
    "commentary_revision": (
        "专家点评修改请求（发给专家）",
        "【{{ site_name }}】请修改{{ brand }}的专家点评",
        "{{ expert_name }}您好：\n\n编辑部阅读了您为{{ organization }}{{ brand }}撰写的点评，意见如下：\n\n{{ message }}"
        "\n\n截稿时间：{{ commentary_due }}\n修改链接（无需登录，请勿转发）：\n{{ write_url }}\n\n{{ publisher }}",
    ),
    "commentary_withdrawn": (
        "专家点评约稿撤回（发给专家）",
        "【{{ site_name }}】关于{{ brand }}专家点评约稿的说明",
        "{{ expert_name }}您好：\n\n编辑部撤回了请您为{{ organization }}{{ brand }}撰写专家点评的约稿，原因如下：\n\n"
        "{{ message }}\n\n感谢您的支持。\n\n{{ publisher }}",
    ),
    "commentary_written": (
        "专家点评已提交（发给约稿编辑）",
        "【{{ site_name }}】{{ expert_name }}已提交{{ brand }}的专家点评",
        "您好：\n\n{{ expert_name }}已提交为{{ organization }}{{ brand }}（{{ reference }}）撰写的专家点评，请审阅：\n"
        "{{ admin_url }}\n\n{{ publisher }}",
    ),
    "commentary_declined": (
        "专家婉拒约稿（发给约稿编辑）",
        "【{{ site_name }}】{{ expert_name }}婉拒了{{ brand }}的点评约稿",
        "您好：\n\n{{ expert_name }}婉拒了为{{ organization }}{{ brand }}（{{ reference }}）撰写专家点评，原因：\n\n"
        "{{ message }}\n\n后台查看：{{ admin_url }}\n\n{{ publisher }}",
    ),
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
    values = mailtemplates.values(event, SiteSettings.load(), context)
    subject = " ".join(mailtemplates.fill(subject_src, values).split())[:200]
    return subject, mailtemplates.fill(body_src, values)


def queue(event, to, context, submission=None):
    """Store a message in the outbox; a worker sends it once the current transaction commits."""
    subject, body = render(event, {"submission": submission, **context})
    message = OutboxMessage.objects.create(event=event, to=to, subject=subject, body=body, submission=submission)
    tasks.enqueue_on_commit(send, message.pk)
    return message


_name = display_name  # how a person is named in a message


def claim(message_pk, now=None, *, force=False):
    """Take a message for one send: its attempt count moves on and its next attempt is put off
    by the lease, in one UPDATE that only the first of several senders wins. The message as
    claimed, or None (sent, given up, not due, or another sender was first)."""
    now = now or timezone.now()
    candidates = OutboxMessage.objects.filter(pk=message_pk).exclude(state=OutboxMessage.State.SENT)
    if not force:
        candidates = candidates.filter(attempts__lt=MAX_ATTEMPTS).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
    seen = candidates.values_list("attempts", flat=True).first()
    if seen is None:
        return None
    won = candidates.filter(attempts=seen).update(
        attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=claim_seconds())
    )
    return OutboxMessage.objects.get(pk=message_pk) if won else None


def send(message_pk, *, force=False):
    """Send one outbox message now if it is due and no one else has it; a failure is recorded
    and left for a retry with backoff. `force`: an editor's resend, ignoring the backoff."""
    message = claim(message_pk, force=force)
    if message is None:
        return False
    try:
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
    except Exception as exc:  # any transport failure: keep the message, retry later
        log.warning("sending outbox message %s failed: %s", message.pk, exc)
        message.state = OutboxMessage.State.FAILED
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.next_attempt_at = timezone.now() + timedelta(minutes=2 ** min(message.attempts, 10))
        message.save(update_fields=["state", "last_error", "next_attempt_at"])
        return False
    message.state = OutboxMessage.State.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.next_attempt_at = None
    message.save(update_fields=["state", "last_error", "sent_at", "next_attempt_at"])
    return True


def send_due(now=None, *, force=False):
    """Send every message that is due: queued and never claimed, claimed by a sender that died
    (its lease is over), or failed with its retry time come. Returns (sent, failed)."""
    now = now or timezone.now()
    due = OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).filter(attempts__lt=MAX_ATTEMPTS)
    if not force:
        due = due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    sent = failed = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        if send(pk, force=force):
            sent += 1
        else:
            failed += 1
    return sent, failed


tasks.periodic("send_outbox", send_due, minutes=1)  # the retries, and mail whose worker died mid-send


def reviews_complete(submission, stage_label, editors, scored):
    """Tell the editors who assigned the round that every review of it is in."""
    admin_url = absolute(reverse("admin:submissions_submission_change", args=[submission.pk]))
    sent = []
    for editor in editors:
        if editor.email:
            context = {"editor_name": _name(editor), "stage": stage_label, "scored": scored, "admin_url": admin_url}
            sent.append(queue("reviews_complete", editor.email, context, submission))
    return sent
