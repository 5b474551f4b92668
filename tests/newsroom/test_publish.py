"""Publishing: the house-style draft, sign-off, publish/schedule/unpublish, the loop to the submitter, revisions."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from submissions import workflow
from submissions.models import OutboxMessage, Showcase, Status
from submissions.newsroom import publishing
from submissions.workflow import TransitionError
from tests.factories import add_photo, submission_in

A = Showcase.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    submission = submission_in(
        Status.ACCEPTED,
        org_name="泉城示范高速公司东站收费站党支部",
        brand_name="零距离",
        introduction="近年来，东站收费站党支部坚持党建引领。\n第二段导语。",
        results="先后获得全省先进基层党组织称号。",
    )
    add_photo(submission, caption="党员服务队在收费广场", order=0)
    add_photo(submission, caption="主题党日活动", order=1)
    return submission


@pytest.fixture
def draft(entry, editor):
    return publishing.draft_from_entry(
        entry, editor=editor, short_name="东站收费站", reporters="王晓 刘洋", interns="孙悦", correspondents="周明"
    )


def test_draft_from_entry_is_in_the_house_style(entry, draft, editor):
    campaign = entry.campaign
    assert draft.state == A.DRAFT
    assert draft.title == "优秀党建品牌巡展|东站收费站打造“零距离”特色党建品牌"
    assert draft.editor_note == "本期展示的，是泉城示范高速公司东站收费站党支部打造的“零距离”党建品牌。"
    assert draft.lead == entry.introduction
    assert draft.closing == entry.results
    assert draft.standing_call == campaign.standing_call == "征集活动持续进行中，欢迎报送。"
    assert draft.source == campaign.source == "大众日报"
    assert draft.byline == "大众日报记者 王晓 刘洋"
    assert (draft.reporters, draft.interns, draft.correspondents) == ("王晓 刘洋", "孙悦", "周明")
    assert draft.responsible_editor == editor and draft.signed_off_by is None
    assert draft.submission == entry and draft.slug == f"brand-{entry.reference}"
    sections = list(draft.sections.values_list("heading", "body"))
    assert sections == list(entry.sections.values_list("heading", "body")) and len(sections) == 2
    assert list(draft.photos.values_list("caption", flat=True)) == ["党员服务队在收费广场", "主题党日活动"]
    assert draft.expert_commentary == "" and not draft.links.exists()
    assert "第二段导语" in Showcase.objects.get(pk=draft.pk).search_text
    revision = draft.revisions.get()
    assert revision.number == 1 and revision.author == editor and len(revision.data["photos"]) == 2


def test_column_name_and_template_come_from_the_campaign(editor):
    entry = submission_in(Status.ACCEPTED, org_name="海岸新区港湾社区党委", brand_name="红帆领航")
    entry.campaign.column_name = "巡展"
    entry.campaign.editor_note_template = "{short_name}：{brand}（{organization}）{unknown}"
    entry.campaign.save()
    article = publishing.draft_from_entry(entry, editor=editor)
    assert article.short_name == "海岸新区港湾社区"  # guessed: the party body dropped
    assert article.title == "巡展|海岸新区港湾社区打造“红帆领航”特色党建品牌"
    assert article.editor_note == "海岸新区港湾社区：“红帆领航”（海岸新区港湾社区党委）{unknown}"


def test_only_an_accepted_entry_without_an_article(draft, entry, editor):
    with pytest.raises(TransitionError):
        publishing.draft_from_entry(entry, editor=editor)
    with pytest.raises(TransitionError):
        publishing.draft_from_entry(submission_in(Status.SHORTLISTED), editor=editor)


def test_an_entry_whose_article_moved_to_another_entry_gets_a_draft_at_a_free_address(draft, entry, editor):
    """Found by the stateful test: the article's source was changed, then its first entry's own
    draft took the same address (brand-<reference>) and the database refused it."""
    other = submission_in(Status.ACCEPTED, brand_name="红色引擎")
    draft.submission = other
    draft.save()
    publishing.edited(draft, editor)
    again = publishing.draft_from_entry(entry, editor=editor)
    assert draft.slug == f"brand-{entry.reference}"
    assert again.slug == f"brand-{entry.reference}-2"


def test_responsible_editor_cannot_sign_off_own_article(draft, chief):
    draft.responsible_editor = chief
    draft.save()
    with pytest.raises(TransitionError, match="责任编辑不能签审"):
        publishing.sign_off(draft, chief)
    assert Showcase.objects.get(pk=draft.pk).state == A.DRAFT
    assert [move.to for move in workflow.allowed_moves(draft, chief)] == [A.AWAITING_SIGNOFF]
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Showcase.objects.filter(pk=draft.pk).update(signed_off_by=chief)


def test_editor_cannot_sign_off_or_publish(draft, editor):
    with pytest.raises(TransitionError):
        publishing.sign_off(draft, editor)


def test_an_edit_after_sign_off_voids_it(draft, chief, editor):
    publishing.sign_off(draft, chief)
    assert draft.state == A.SIGNED_OFF and draft.signed_off_by == chief
    publishing.edited(draft, editor)  # saved without a change: the sign-off stands
    assert Showcase.objects.get(pk=draft.pk).state == A.SIGNED_OFF
    draft.lead = "改过的导语"
    draft.save()
    publishing.edited(draft, editor)
    draft.refresh_from_db()
    assert draft.state == A.DRAFT and draft.signed_off_by is None and draft.signed_off_at is None
    with pytest.raises(TransitionError):
        publishing.publish(draft, chief)
    assert draft.history.filter(to_status=A.DRAFT, actor=editor).exists()


def test_publishing_moves_the_entry_and_mails_the_link(draft, entry, chief, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publishing.sign_off(draft, chief)
        publishing.publish(draft, chief)
    entry.refresh_from_db()
    draft.refresh_from_db()
    assert draft.state == A.PUBLISHED and draft.published_at is not None
    assert entry.status == Status.PUBLISHED
    assert entry.history.filter(to_status=Status.PUBLISHED, actor=chief).exists()
    message = OutboxMessage.objects.get(event="published", submission=entry)
    assert f"/showcase/{draft.slug}/" in message.body and message.to == entry.contact_email
    assert any(draft.get_absolute_url() in m.body for m in mailoutbox)


def test_unpublish_needs_a_reason_and_returns_the_entry(draft, entry, chief, editor):
    publishing.sign_off(draft, chief)
    publishing.publish(draft, chief)
    with pytest.raises(TransitionError):
        publishing.unpublish(draft, editor, "  ")
    publishing.unpublish(draft, editor, "内容需要核实")
    draft.refresh_from_db()
    entry.refresh_from_db()
    assert draft.state == A.UNPUBLISHED and draft.unpublished_reason == "内容需要核实"
    assert entry.status == Status.ACCEPTED


def test_scheduled_publishing_is_due_only_when_its_time_comes_and_safe_twice(draft, entry, chief):
    publishing.sign_off(draft, chief)
    with pytest.raises(TransitionError):
        publishing.schedule(draft, chief, timezone.now() - timedelta(minutes=1))
    at = timezone.now() + timedelta(hours=1)
    publishing.schedule(draft, chief, at)
    draft.refresh_from_db()
    assert draft.state == A.SCHEDULED and draft.publish_at == at
    assert publishing.publish_due() == 0
    assert publishing.publish_due(now=at + timedelta(seconds=1)) == 1
    assert publishing.publish_due(now=at + timedelta(seconds=2)) == 0  # the second run finds nothing
    draft.refresh_from_db()
    entry.refresh_from_db()
    assert draft.state == A.PUBLISHED and entry.status == Status.PUBLISHED
    assert draft.history.filter(to_status=A.PUBLISHED, actor_role=workflow.SYSTEM).count() == 1


def test_a_stale_copy_loses_the_race(draft, chief):
    """Two runs that both read the article as scheduled: the compare-and-swap lets one win."""
    publishing.sign_off(draft, chief)
    publishing.schedule(draft, chief, timezone.now() + timedelta(minutes=5))
    stale = Showcase.objects.get(pk=draft.pk)
    publishing.publish(draft, workflow.SYSTEM, via="publish_due")
    with pytest.raises(TransitionError):
        publishing.publish(stale, workflow.SYSTEM, via="publish_due")
    assert draft.history.filter(to_status=A.PUBLISHED).count() == 1


def test_publish_due_command(draft, chief, capsys):
    publishing.sign_off(draft, chief)
    publishing.schedule(draft, chief, timezone.now() + timedelta(seconds=30))
    Showcase.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    call_command("publish_due")
    call_command("publish_due")
    assert Showcase.objects.get(pk=draft.pk).state == A.PUBLISHED
    out = capsys.readouterr().out
    assert "Published 1" in out and "Published 0" in out


def test_an_edit_voids_a_schedule_too(draft, chief, editor):
    publishing.sign_off(draft, chief)
    publishing.schedule(draft, chief, timezone.now() + timedelta(hours=1))
    draft.title = "新标题"
    draft.save()
    publishing.edited(draft, editor)
    assert Showcase.objects.get(pk=draft.pk).state == A.DRAFT
    assert publishing.publish_due(now=timezone.now() + timedelta(hours=2)) == 0
