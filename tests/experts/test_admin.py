"""The admin (thin): an editor requests a commentary from an entry (the add form, prefilled by the entry's
number), the refusals next to the fields; accepts, asks for a revision, withdraws, replaces the link on
the request's page; an expert's account linked in the expert's admin gets the 点评专家 role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions.models import CommentaryRequest, CommentaryStatus, OutboxMessage, Status
from submissions.workflow import roles
from tests.experts.helpers import TEXT, expert, expert_account, requested, written
from tests.factories import submission_in

pytestmark = pytest.mark.django_db
S = CommentaryStatus


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_editor_requests_a_commentary_from_an_entry(client, editor, django_capture_on_commit_callbacks):
    entry = submission_in(Status.SHORTLISTED)
    who = expert()
    client.force_login(editor)
    add = reverse("admin:submissions_commentaryrequest_add")
    assert client.get(add, {"submission": entry.pk}).status_code == 200
    due = timezone.now() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {"submission": entry.pk, "expert": who.pk, "due_at": local(due), "brief": "请点评"})
    assert response.status_code == 302, response.content.decode()[:2000]
    made = CommentaryRequest.objects.get()
    assert made.requested_by == editor and made.status == S.REQUESTED and made.brief == "请点评"
    assert OutboxMessage.objects.filter(event="commentary_requested", to=who.email).count() == 1


@pytest.mark.parametrize(
    "status, due_in, error",
    [(Status.FIRST_REVIEW, timedelta(days=3), "已入围"), (Status.SHORTLISTED, -timedelta(days=1), "早于现在")],
)
def test_a_bad_request_is_refused_next_to_its_field(client, editor, status, due_in, error):
    entry = submission_in(status)
    who = expert()
    client.force_login(editor)
    due = timezone.now() + due_in
    data = {"submission": entry.pk, "expert": who.pk, "due_at": local(due), "brief": "说明"}
    response = client.post(reverse("admin:submissions_commentaryrequest_add"), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not CommentaryRequest.objects.exists()


def test_accept_revise_withdraw_on_the_request_page(client, editor, django_capture_on_commit_callbacks):
    request = written(editor=editor)
    client.force_login(editor)
    act = reverse("admin:submissions_commentaryrequest_act", args=[request.pk])
    page = client.get(act).content.decode()
    assert TEXT in page and "data-accept" in page and "data-revise" in page
    refused = client.post(act, {"action": "revise", "version": request.version, "revise-message": ""})
    assert "请填写说明" in refused.content.decode()
    stale = client.post(act, {"action": "accept", "version": request.version - 1})
    assert "刚刚有了变化" in stale.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(act, {"action": "revise", "version": request.version, "revise-message": "请补充"})
    request.refresh_from_db()
    assert request.status == S.REQUESTED
    assert OutboxMessage.objects.filter(event="commentary_revision").count() == 1
    client.post(act, {"action": "withdraw", "version": request.version, "withdraw-message": "版面调整"})
    request.refresh_from_db()
    assert request.status == S.WITHDRAWN


def test_an_editor_accepts(client, editor):
    request = written(editor=editor)
    client.force_login(editor)
    act = reverse("admin:submissions_commentaryrequest_act", args=[request.pk])
    assert client.post(act, {"action": "accept", "version": request.version}).status_code == 302
    request.refresh_from_db()
    assert request.status == S.ACCEPTED


def test_the_link_is_replaced_from_the_request_page(client, editor):
    request = requested(editor=editor)
    old = request.link_secret
    client.force_login(editor)
    act = reverse("admin:submissions_commentaryrequest_act", args=[request.pk])
    client.post(act, {"action": "rotate", "version": request.version})
    request.refresh_from_db()
    assert request.link_secret != old


def test_a_reviewer_cannot_act(client, reviewer):
    request = written()
    client.force_login(reviewer)
    act = reverse("admin:submissions_commentaryrequest_act", args=[request.pk])
    assert client.post(act, {"action": "accept", "version": request.version}).status_code in (302, 403)
    request.refresh_from_db()
    assert request.status == S.WRITTEN


def test_linking_an_account_gives_the_commentator_role(client, editor):
    account = expert_account()
    client.force_login(editor)
    data = {
        "name": "陈明",
        "title": "教授",
        "affiliation": "党校",
        "bio": "",
        "slug": "chen",
        "email": "c@example.com",
        "user": account.pk,
        "active": "on",
    }
    response = client.post(reverse("admin:submissions_expert_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert account.groups.filter(name=roles.GROUP_NAMES[roles.COMMENTATOR]).exists()
    account = type(account).objects.get(pk=account.pk)
    assert account.has_perm("submissions.write_commentary") and not account.is_staff


def test_the_request_pages_run_a_bounded_number_of_queries(client, editor, django_assert_max_num_queries):
    request = written(editor=editor)
    client.force_login(editor)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("admin:submissions_commentaryrequest_act", args=[request.pk])).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("admin:submissions_commentaryrequest_changelist")).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("admin:submissions_commentaryrequest_change", args=[request.pk])).status_code == 200
