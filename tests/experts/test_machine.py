"""The commentary's machine and authority: the moves and their refusals, who may make each (the request's
own expert signed in, the signed link's holder, an editor; not another expert nor anyone anonymous), the
mails of each move, and the reminders before the due date (each step once, safe twice)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from submissions import workflow
from submissions.experts import services
from submissions.models import CommentaryStatus, OutboxMessage, Status
from submissions.workflow import roles
from tests.experts.helpers import DIAGNOSIS, TEXT, accepted, expert, expert_account, requested, written
from tests.factories import make_user

pytestmark = pytest.mark.django_db
S = CommentaryStatus


def events():
    return sorted(OutboxMessage.objects.values_list("event", "to"))


def test_a_request_is_mailed_to_the_expert_with_a_signed_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = requested()
    message = OutboxMessage.objects.get(event="commentary_requested")
    assert message.to == "chen-ming@example.com"
    assert "/experts/write/" in message.body and "请从推广价值点评。" in message.body
    assert request.submission.contact_email not in message.body  # the expert never sees the contact
    assert request.status == S.REQUESTED and request.history.count() == 0


def test_an_entry_not_yet_shortlisted_cannot_be_commented_on():
    with pytest.raises(services.CommentaryError, match="已入围"):
        requested(Status.FIRST_REVIEW)


def test_a_second_open_request_to_the_same_expert_is_refused():
    request = requested()
    with pytest.raises(services.CommentaryError, match="尚未办结"):
        requested(entry=request.submission, who=request.expert)


def test_written_accepted_and_the_editor_told(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = written()
    assert request.status == S.WRITTEN and request.written_at is not None
    assert request.text == TEXT and request.diagnosis == DIAGNOSIS
    assert OutboxMessage.objects.filter(event="commentary_written", to="commentary-editor@example.com").count() == 1
    step = request.history.get()
    assert (step.from_status, step.to_status, step.actor_id) == (S.REQUESTED, S.WRITTEN, None)
    services.accept(request, request.requested_by)
    request.refresh_from_db()
    assert request.status == S.ACCEPTED and request.accepted_at is not None


def test_written_needs_a_text():
    request = requested()
    with pytest.raises(workflow.TransitionError, match="点评内容"):
        workflow.transition(request, S.WRITTEN, actor=workflow.EXPERT_LINK)
    with pytest.raises(services.CommentaryError):
        services.write(request, workflow.EXPERT_LINK, "   ", "", request.version)
    request.refresh_from_db()
    assert request.status == S.REQUESTED


def test_a_revision_and_a_withdrawal_need_a_message_and_mail_the_expert(django_capture_on_commit_callbacks):
    request = written()
    editor = request.requested_by
    with pytest.raises(workflow.TransitionError, match="说明"):
        services.ask_revision(request, editor, "  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.ask_revision(request, editor, "请补充对推广价值的分析。")
    assert request.status == S.REQUESTED
    revision = OutboxMessage.objects.get(event="commentary_revision")
    assert "请补充对推广价值的分析。" in revision.body and "/experts/write/" in revision.body
    with pytest.raises(workflow.TransitionError):
        services.withdraw(request, editor, "")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(request, editor, "版面调整")
    assert request.status == S.WITHDRAWN
    assert OutboxMessage.objects.filter(event="commentary_withdrawn", to="chen-ming@example.com").count() == 1


def test_the_expert_declines_with_a_reason_and_the_editor_is_told(django_capture_on_commit_callbacks):
    request = requested()
    with pytest.raises(services.CommentaryError, match="原因"):
        services.decline(request, workflow.EXPERT_LINK, " ", request.version)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(request, workflow.EXPERT_LINK, "近期出差，无法按时完成。", request.version)
    assert request.status == S.DECLINED
    declined = OutboxMessage.objects.get(event="commentary_declined")
    assert declined.to == "commentary-editor@example.com" and "近期出差" in declined.body


def test_an_accepted_commentary_can_be_withdrawn_but_not_written_again():
    request = accepted()
    assert {move.to for move in workflow.allowed_moves(request, request.requested_by)} == {S.WITHDRAWN}
    with pytest.raises(workflow.TransitionError):
        workflow.transition(request, S.WRITTEN, actor=workflow.EXPERT_LINK)


def test_authority_own_expert_yes_another_expert_editor_anonymous_no():
    own_account, other_account = expert_account("expert-own"), expert_account("expert-other")
    own = expert("own", "王一", account=own_account)
    expert("other", "李二", account=other_account)
    request = requested(who=own)
    own_account = type(own_account).objects.get(pk=own_account.pk)  # permissions read afresh
    other_account = type(other_account).objects.get(pk=other_account.pk)
    editor = request.requested_by
    chief = make_user(roles.CHIEF, username="chief-x")
    assert own_account.has_perm("submissions.write_commentary", request)
    assert not other_account.has_perm("submissions.write_commentary", request)
    assert not editor.has_perm("submissions.write_commentary", request)
    assert workflow.may(own_account, workflow.machine_of(request).table[(S.REQUESTED, S.WRITTEN)], request)
    assert not workflow.may(other_account, workflow.machine_of(request).table[(S.REQUESTED, S.WRITTEN)], request)
    assert not workflow.may(None, workflow.machine_of(request).table[(S.REQUESTED, S.WRITTEN)], request)
    assert not own_account.is_staff  # the expert's account is not the newsroom's
    with pytest.raises(workflow.TransitionError, match="权限"):
        services.write(request, editor, TEXT, "", request.version)
    with pytest.raises(workflow.TransitionError, match="权限"):
        services.write(request, other_account, TEXT, "", request.version)
    request.refresh_from_db()
    assert request.status == S.REQUESTED and request.text == ""  # the refused write left nothing
    services.write(request, own_account, TEXT, "", request.version)
    assert request.status == S.WRITTEN
    assert request.history.get().actor == own_account
    # Editors and chiefs accept; the expert does not accept their own.
    assert not workflow.may(own_account, {"submissions.request_commentary"}, request)
    assert workflow.may(chief, {"submissions.request_commentary"}, request)


def test_a_stale_version_is_refused_and_nothing_written():
    request = requested()
    seen = request.version
    services.save_draft(request, "草稿一", "", seen)
    with pytest.raises(services.CommentaryError, match="刚刚更新"):
        services.write(request, workflow.EXPERT_LINK, TEXT, "", seen)
    request.refresh_from_db()
    assert request.text == "草稿一" and request.status == S.REQUESTED


def test_oversized_text_is_refused_by_the_service():
    request = requested()
    with pytest.raises(services.CommentaryError, match="1500"):
        services.write(request, workflow.EXPERT_LINK, "字" * 1501, "", request.version)
    with pytest.raises(services.CommentaryError, match="500"):
        services.save_draft(request, "好", "字" * 501, request.version)


# Reminders ------------------------------------------------------------------------------------


def reminders():
    return OutboxMessage.objects.filter(event="commentary_reminder")


def test_a_request_due_in_three_days_gets_one_reminder_even_run_twice(settings):
    settings.EXPERT_REMINDER_DAYS = (3, 1)
    request = requested(due_in=timedelta(days=10))
    now = request.due_at - timedelta(days=3) + timedelta(minutes=5)
    assert services.remind_due(now - timedelta(days=1)) == []  # not yet
    sent = services.remind_due(now)
    assert len(sent) == 1 and sent[0].to == "chen-ming@example.com" and "/experts/write/" in sent[0].body
    assert services.remind_due(now) == [] and services.remind_due(now + timedelta(hours=1)) == []
    assert reminders().count() == 1
    request.refresh_from_db()
    assert request.reminders_sent == 1
    # One day before: the second step, once.
    later = request.due_at - timedelta(days=1) + timedelta(minutes=5)
    assert len(services.remind_due(later)) == 1 and services.remind_due(later) == []
    assert reminders().count() == 2


def test_a_stale_reader_cannot_send_the_same_step_twice(settings):
    """Two runs at once: both read reminders_sent = 0, only the first compare-and-swap wins."""
    from submissions.models import CommentaryRequest

    settings.EXPERT_REMINDER_DAYS = (3, 1)
    request = requested(due_in=timedelta(days=10))
    now = request.due_at - timedelta(days=2)
    stale = list(CommentaryRequest.objects.filter(pk=request.pk))
    assert len(services.remind_due(now)) == 1
    original = CommentaryRequest.objects.filter

    class Stale:
        def __init__(self, *args, **kwargs):
            self.query = original(*args, **kwargs)

        def select_related(self, *args):
            return stale  # what the second run read before the first wrote

        def __getattr__(self, name):
            return getattr(self.query, name)

    from unittest import mock

    with mock.patch.object(
        CommentaryRequest.objects,
        "filter",
        side_effect=lambda *a, **k: Stale(*a, **k) if "due_at__gt" in k else original(*a, **k),
    ):
        assert services.remind_due(now) == []
    assert reminders().count() == 1


def test_an_answered_or_withdrawn_request_gets_no_reminder(settings):
    settings.EXPERT_REMINDER_DAYS = (3, 1)
    answered = written(due_in=timedelta(days=10))
    services.remind_due(answered.due_at - timedelta(days=2))
    assert reminders().count() == 0


def test_a_request_made_inside_the_window_is_not_reminded_at_once(settings):
    settings.EXPERT_REMINDER_DAYS = (3, 1)
    request = requested(due_in=timedelta(days=2))  # the three-day step had passed when it was made
    assert services.remind_due(timezone.now()) == []
    assert len(services.remind_due(request.due_at - timedelta(hours=20))) == 1  # the one-day step
