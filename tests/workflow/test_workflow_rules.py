"""The article's machine and the rules of issue 11: stated literally here, each a reproduction of a
hole that went through before (a draft entry as an article's source, a chief editor signing his own
edit after naming someone else responsible editor, routing changes that kept a sign-off, a granted
permission never checked, a published article's entry left at accepted)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions import workflow
from submissions.models import OutboxMessage, Showcase, Status, StatusChange
from submissions.newsroom import publishing
from submissions.workflow import roles
from tests.factories import CampaignFactory, ShowcaseFactory, SubmissionFactory, article_in, make_user, submission_in
from tests.newsroom.test_publish_admin import change_data

A = Showcase.State
E, C, SUB, SYS = roles.EDITOR, roles.CHIEF, workflow.SUBMITTER, workflow.SYSTEM
# The article's table, written out here: from -> {to: roles that may}. (A reviewer, the submitter
# and a user without a role may make no move of an article.)
ARTICLE_TABLE = {
    "draft": {"awaiting_signoff": {E, C}, "signed_off": {C}},
    "awaiting_signoff": {"signed_off": {C}, "draft": {C}},
    "signed_off": {"draft": {E, C}, "scheduled": {C}, "published": {C}},
    "scheduled": {"published": {C, SYS}, "draft": {E, C}},
    "published": {"unpublished": {E, C}, "awaiting_signoff": {E, C}},
    "unpublished": {"draft": {E, C}},
}
ACTORS = [roles.REVIEWER, E, C, SUB, SYS, "nobody"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _actor(role):
    if role in (SUB, SYS):
        return role
    return make_user(None if role == "nobody" else role, username=f"rules-{role}")


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_code_declares_exactly_this_article_table():
    declared = {(frm, to) for frm, moves in ARTICLE_TABLE.items() for to in moves}
    assert set(workflow.ARTICLE_TRANSITIONS) == declared


@pytest.mark.parametrize("state", list(ARTICLE_TABLE))
def test_each_role_is_offered_exactly_the_moves_of_the_table(state):
    article = article_in(state)
    for role in ACTORS:
        offered = {move.to for move in workflow.allowed_moves(article, _actor(role))}
        expected = {to for to, who in ARTICLE_TABLE[state].items() if role in who}
        if state == "published":  # unedited: only a correction sends it back (tests/workflow/test_workflow_defects.py)
            expected.discard("awaiting_signoff")
        assert offered == expected, role


def test_publishing_the_article_publishes_its_entry_in_the_same_transition(chief):
    article = article_in(A.SIGNED_OFF)
    workflow.transition(article, A.PUBLISHED, actor=chief)  # not through publishing.publish
    article.submission.refresh_from_db()
    assert article.submission.status == Status.PUBLISHED
    steps = StatusChange.objects.filter(submission=article.submission).order_by("-pk").first()
    assert (steps.from_status, steps.to_status, steps.actor) == (Status.ACCEPTED, Status.PUBLISHED, chief)
    workflow.transition(article, A.UNPUBLISHED, actor=chief, message="核实")
    article.submission.refresh_from_db()
    assert article.submission.status == Status.ACCEPTED


def test_an_entry_cannot_be_published_or_taken_back_on_its_own(chief):
    entry = submission_in(Status.ACCEPTED)
    with pytest.raises(workflow.TransitionError, match="随其巡展文章发表"):
        workflow.transition(entry, Status.PUBLISHED, actor=chief)
    published = submission_in(Status.PUBLISHED)
    with pytest.raises(workflow.TransitionError, match="撤下"):
        workflow.transition(published, Status.ACCEPTED, actor=workflow.SYSTEM)


# --- an article only from an accepted entry ---


def test_a_draft_entry_is_refused_as_source_in_the_admin_form(editor):
    article = ShowcaseFactory()
    draft = SubmissionFactory()
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    response = _as(editor).post(url, change_data(article, submission=draft.pk, lead="保留我写的导语"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "来源作品须为“已采用”状态（该作品当前为“草稿”）" in html and "保留我写的导语" in html
    assert "来源作品须为“已采用”状态" in str(response.context["adminform"].form.errors["submission"])
    assert Showcase.objects.get(pk=article.pk).submission_id != draft.pk


def test_a_draft_entry_is_refused_by_the_model_and_the_workflow(editor, chief):
    draft = SubmissionFactory()
    with pytest.raises(ValidationError) as refused:
        Showcase(campaign=draft.campaign, submission=draft, slug="x", title="t", short_name="s", lead="l").clean()
    assert "submission" in refused.value.message_dict
    # A row made behind the model's back (an old one) still cannot be sent on.
    legacy = Showcase.objects.create(
        campaign=draft.campaign, submission=draft, slug="legacy", title="t", short_name="s", lead="l", responsible_editor=editor
    )
    for move in (lambda: publishing.request_sign_off(legacy, editor), lambda: publishing.sign_off(legacy, chief)):
        with pytest.raises(workflow.TransitionError, match="已采用"):
            move()
    with pytest.raises(workflow.TransitionError, match="已采用"):
        publishing.draft_from_entry(draft, editor=editor)


# --- four eyes ---


def test_a_chief_who_names_another_responsible_editor_cannot_sign_his_own_edit(editor, chief):
    article = publishing.draft_from_entry(submission_in(Status.ACCEPTED), editor=chief)  # the chief wrote it
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    assert _as(chief).post(url, change_data(article, responsible_editor=editor.pk)).status_code == 302
    article.refresh_from_db()
    assert article.responsible_editor == editor
    publishing.request_sign_off(article, editor)
    with pytest.raises(workflow.TransitionError, match="修改过"):
        publishing.sign_off(article, chief)
    assert A.SIGNED_OFF not in [m.to for m in workflow.allowed_moves(article, chief)]
    other = make_user(C, username="other-chief")
    publishing.sign_off(article, other)
    assert Showcase.objects.get(pk=article.pk).signed_off_by == other


def test_a_chief_who_rewrote_the_lead_cannot_sign_it_off(editor, chief):
    article = publishing.draft_from_entry(submission_in(Status.ACCEPTED), editor=editor)
    publishing.request_sign_off(article, editor)
    _as(chief).post(reverse("admin:submissions_showcase_change", args=[article.pk]), change_data(article, lead="主编改写的导语"))
    article.refresh_from_db()
    assert article.lead == "主编改写的导语"
    with pytest.raises(workflow.TransitionError, match="修改过"):
        publishing.sign_off(article, chief)


def test_a_save_that_changes_nothing_does_not_bar_the_signer(editor, chief):
    article = publishing.draft_from_entry(submission_in(Status.ACCEPTED), editor=editor)
    _as(chief).post(reverse("admin:submissions_showcase_change", args=[article.pk]), change_data(article))
    article.refresh_from_db()
    publishing.sign_off(article, chief)
    assert Showcase.objects.get(pk=article.pk).state == A.SIGNED_OFF


def _route_changes():
    return {
        "slug": lambda article: {"slug": "a-new-address"},
        "campaign": lambda article: {"campaign": CampaignFactory(slug="another-campaign").pk},
        "submission": lambda article: {"submission": submission_in(Status.ACCEPTED).pk},
        "responsible_editor": lambda article: {"responsible_editor": make_user(E, username="second-editor").pk},
    }


@pytest.mark.parametrize("field", ["slug", "campaign", "submission", "responsible_editor"])
def test_a_routing_change_after_sign_off_voids_it(field, editor):
    article = article_in(A.SIGNED_OFF)
    change = _route_changes()[field](article)
    response = _as(editor).post(reverse("admin:submissions_showcase_change", args=[article.pk]), change_data(article, **change))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.state == A.DRAFT and article.signed_off_by is None


def test_an_edit_of_a_published_article_takes_it_back_for_sign_off(editor, chief):
    article = article_in(A.PUBLISHED)
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    _as(editor).post(url, change_data(article, title="更正后的标题", correction_reason="标题有误"))
    article.refresh_from_db()
    article.submission.refresh_from_db()
    assert article.state == A.AWAITING_SIGNOFF and article.submission.status == Status.ACCEPTED
    assert Client().get(article.get_absolute_url()).status_code == 404
    with pytest.raises(workflow.TransitionError):
        publishing.publish(article, chief)  # not without a new sign-off
    publishing.sign_off(article, chief)
    publishing.publish(article, chief)
    assert "更正后的标题" in Client().get(article.get_absolute_url()).content.decode()


def test_the_source_of_a_published_article_cannot_be_changed(editor):
    article = article_in(A.PUBLISHED)
    other = submission_in(Status.ACCEPTED)
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    response = _as(editor).post(url, change_data(article, submission=other.pk))
    assert response.status_code == 200 and "已发布的文章不能更换来源作品" in response.content.decode()


# --- permissions decide, not group names ---


def test_signoff_showcase_is_what_lets_a_person_sign_off(chief):
    article = article_in(A.AWAITING_SIGNOFF)
    # An editor given the permission alone may sign off …
    deputy = make_user(E, username="deputy")
    deputy.user_permissions.add(Permission.objects.get(codename="signoff_showcase"))
    deputy = type(deputy).objects.get(pk=deputy.pk)  # fresh permission cache
    assert A.SIGNED_OFF in [m.to for m in workflow.allowed_moves(article, deputy)]
    # … and a chief editor whose group lost it may not.
    Group.objects.get(name=roles.GROUP_NAMES[C]).permissions.remove(Permission.objects.get(codename="signoff_showcase"))
    chief = type(chief).objects.get(pk=chief.pk)
    with pytest.raises(workflow.TransitionError, match="权限"):
        publishing.sign_off(article, chief)
    publishing.sign_off(article, deputy)


def test_run_workflow_is_what_lets_a_person_move_an_entry(editor):
    entry = submission_in(Status.SUBMITTED)
    Group.objects.get(name=roles.GROUP_NAMES[E]).permissions.remove(Permission.objects.get(codename="run_workflow"))
    editor = type(editor).objects.get(pk=editor.pk)
    with pytest.raises(workflow.TransitionError, match="权限"):
        workflow.transition(entry, Status.FIRST_REVIEW, actor=editor)


# --- sign-off as a step of its own (issue 12) ---


def test_request_sign_off_tells_every_chief_and_the_answer_tells_the_editor(editor, django_capture_on_commit_callbacks):
    chiefs = [make_user(C, username=f"chief-{n}") for n in range(2)]
    article = publishing.draft_from_entry(submission_in(Status.ACCEPTED), editor=editor)
    client = _as(editor)
    move = reverse("admin:submissions_showcase_move", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(move, {"to": "awaiting_signoff", "message": "请今天签审"})
    article.refresh_from_db()
    assert article.state == A.AWAITING_SIGNOFF
    told = OutboxMessage.objects.filter(event="signoff_requested")
    assert {m.to for m in told} == {c.email for c in chiefs} | {"factory-chief@example.com"}  # every chief editor
    assert all("请今天签审" in m.body and article.title in m.body for m in told)
    # sent back with a note: the editor is told and sees it on the article
    refused = _as(chiefs[0]).post(reverse("admin:submissions_showcase_move", args=[article.pk]), {"to": "draft"}, follow=True)
    assert "请填写说明" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _as(chiefs[0]).post(move, {"to": "draft", "message": "第二节数据请核实"})
    article.refresh_from_db()
    assert article.state == A.DRAFT
    [back] = OutboxMessage.objects.filter(event="signoff_returned")
    assert back.to == editor.email and "第二节数据请核实" in back.body
    page = client.get(reverse("admin:submissions_showcase_change", args=[article.pk])).content.decode()
    assert "签审退回" in page and "第二节数据请核实" in page
    # asked again, signed off: the editor is told
    with django_capture_on_commit_callbacks(execute=True):
        client.post(move, {"to": "awaiting_signoff"})
        _as(chiefs[1]).post(move, {"to": "signed_off"})
    article.refresh_from_db()
    assert article.state == A.SIGNED_OFF and article.signed_off_by == chiefs[1]
    assert [m.to for m in OutboxMessage.objects.filter(event="signed_off")] == [editor.email]
    assert "签审退回" not in client.get(reverse("admin:submissions_showcase_change", args=[article.pk])).content.decode()


def test_each_role_on_an_article_awaiting_sign_off(client, reviewer, editor, chief):
    article = article_in(A.AWAITING_SIGNOFF)
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert _as(reviewer).get(url).status_code == 403
    assert "签审通过" not in _as(editor).get(url).content.decode()
    assert "签审通过" in _as(chief).get(url).content.decode()
    response = _as(reviewer).post(reverse("admin:submissions_showcase_move", args=[article.pk]), {"to": "signed_off"})
    assert response.status_code == 403
    assert Showcase.objects.get(pk=article.pk).state == A.AWAITING_SIGNOFF


def test_a_scheduled_article_publishes_its_entry_when_due():
    article = article_in(A.SCHEDULED)
    assert publishing.publish_due(now=timezone.now() + timedelta(hours=2)) == 1
    article.submission.refresh_from_db()
    assert article.submission.status == Status.PUBLISHED
