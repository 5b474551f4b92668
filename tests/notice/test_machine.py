"""The 公示 as a workflow machine: each move, who may make it, its rules, its history and its effect."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from submissions import workflow
from submissions.models import NoticeStatus, NoticeStep, PublicNotice
from submissions.notice import services
from submissions.workflow import public_notice
from tests.notice.helpers import AFTER, DURING, notice_of

pytestmark = pytest.mark.django_db

LAST_DAY = date(2026, 10, 12)  # the helpers' notice: five working days from 2026-09-30


@pytest.fixture
def clock(monkeypatch):
    """The machine's clock (and so the services'), set by the test: `clock(day)`."""

    def set_day(day):
        monkeypatch.setattr(public_notice, "today", lambda: day)

    set_day(DURING)
    return set_day


def _objection(notice):
    data = {"name": "李四", "unit": "某单位", "phone": "13900001111", "email": "lisi@example.com", "facts": "事实" * 20}
    return services.raise_objection(notice, notice.items.first(), data, [], today=DURING)


def _steps(notice):
    return list(NoticeStep.objects.filter(notice=notice).values_list("from_status", "to_status", "actor_role", "via"))


def test_a_notice_is_drafted_published_closed_and_final_each_step_in_its_history(clock, editor):
    notice = notice_of(publish=False)
    assert notice.status == NoticeStatus.DRAFT and notice.published_at is None
    services.publish(notice, editor)
    notice.refresh_from_db()
    assert notice.status == "published" and notice.published_at is not None and notice.version == 1
    clock(AFTER)
    assert services.close_due() == (1, 1)
    notice.refresh_from_db()
    assert notice.status == "final" and notice.closed_at is not None and notice.final_at is not None
    assert notice.version == 3
    assert _steps(notice) == [
        ("draft", "published", "editor", "admin"),
        ("published", "closed", "system", "close_notices"),
        ("closed", "final", "system", "close_notices"),
    ]
    first = NoticeStep.objects.filter(notice=notice).first()
    assert first.actor == editor and str(first) == "草拟中 → 公示中"


@pytest.mark.parametrize("who", ["editor", "chief"])
def test_editors_and_chief_editors_publish(clock, request, who):
    notice = notice_of(publish=False)
    services.publish(notice, request.getfixturevalue(who))
    assert PublicNotice.objects.get(pk=notice.pk).status == "published"


@pytest.mark.parametrize("who", ["reviewer", "anonymous", "submitter", "system"])
def test_nobody_else_publishes(clock, reviewer, who):
    actor = {"reviewer": reviewer, "anonymous": AnonymousUser(), "submitter": workflow.SUBMITTER, "system": workflow.SYSTEM}[who]
    notice = notice_of(publish=False)
    with pytest.raises(workflow.TransitionError, match="没有权限"):
        services.publish(notice, actor)
    assert PublicNotice.objects.get(pk=notice.pk).status == "draft" and not NoticeStep.objects.exists()


def test_only_the_periodic_job_closes_a_notice_and_not_before_its_last_day_is_over(clock, editor, chief):
    notice = notice_of()
    clock(AFTER)
    for person in (editor, chief):
        with pytest.raises(workflow.TransitionError, match="没有权限"):
            workflow.transition(notice, NoticeStatus.CLOSED, actor=person)
    clock(LAST_DAY)
    with pytest.raises(workflow.TransitionError, match="公示期至 2026-10-12 结束"):
        workflow.transition(notice, NoticeStatus.CLOSED, actor=workflow.SYSTEM)
    assert services.close_due() == (0, 0)
    # The machine's clock decides, whatever day its caller names.
    assert services.close_due(today=AFTER) == (0, 0)
    notice.refresh_from_db()
    assert notice.status == "published" and notice.closed_at is None
    clock(AFTER)
    workflow.transition(notice, NoticeStatus.CLOSED, actor=workflow.SYSTEM)
    assert PublicNotice.objects.get(pk=notice.pk).status == "closed"


def test_the_result_is_not_final_while_an_objection_is_open_then_becomes_final_with_the_last_answer(clock, editor, reviewer):
    notice = notice_of()
    objection = _objection(notice)
    clock(AFTER)
    assert services.close_due() == (1, 0)
    notice.refresh_from_db()
    assert notice.status == "closed"
    with pytest.raises(workflow.TransitionError, match="还有 1 件异议尚未答复"):
        services.finalize(notice, editor)
    services.take(objection, editor)
    with pytest.raises(workflow.TransitionError, match="还有 1 件异议尚未答复"):
        services.finalize(notice, editor)  # under investigation is still open
    assert services.close_due() == (0, 0)
    services.answer(objection, editor, upheld=False, reason="经核查，异议不成立。")
    notice.refresh_from_db()
    assert notice.status == "final" and notice.final_at is not None
    last = NoticeStep.objects.filter(notice=notice).last()
    assert (last.to_status, last.actor_role, last.note) == ("final", "system", "最后一件异议已答复，公示结果随之确定。")


def test_an_editor_may_declare_a_closed_notice_final_a_reviewer_may_not(clock, editor, reviewer):
    notice = notice_of()
    clock(AFTER)
    workflow.transition(notice, NoticeStatus.CLOSED, actor=workflow.SYSTEM)
    with pytest.raises(workflow.TransitionError, match="没有权限"):
        services.finalize(notice, reviewer)
    services.finalize(notice, editor)
    assert _steps(notice)[-1] == ("closed", "final", "editor", "admin")


def test_no_phase_is_skipped_or_undone(clock, editor):
    notice = notice_of(publish=False)
    with pytest.raises(workflow.TransitionError, match="不能从"):
        services.finalize(notice, editor)
    services.publish(notice, editor)
    with pytest.raises(workflow.TransitionError, match="已是"):
        services.publish(notice, editor)
    with pytest.raises(workflow.TransitionError, match="不能从"):
        services.finalize(notice, editor)


def test_a_notice_without_planned_dates_is_not_published(clock, editor):
    notice = notice_of(publish=False)
    notice.ends_on = date(2026, 9, 1)  # before its start: not planned
    with pytest.raises(workflow.TransitionError, match="公示日期尚未确定"):
        public_notice.rules(notice, NoticeStatus.PUBLISHED, editor)


def test_saving_a_notice_loaded_before_a_move_does_not_undo_it(clock, editor):
    notice = notice_of(publish=False)
    stale = PublicNotice.objects.get(pk=notice.pk)
    services.publish(notice, editor)
    stale.title = "改过的标题"
    services.save(stale)
    saved = PublicNotice.objects.get(pk=notice.pk)
    assert saved.title == "改过的标题"
    assert saved.status == "published" and saved.published_at is not None and saved.version == 1


def test_each_move_makes_the_cached_public_page_stale(client, clock, editor, monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: AFTER)  # the page's own reading of the day
    notice = notice_of()
    objection = _objection(notice)
    clock(AFTER)
    services.close_due()
    page = reverse("notice:detail", args=["notice-2026"])
    assert 'data-state="closed"' in client.get(page).content.decode()  # now cached: a closed notice's page keeps
    services.take(objection, editor)
    services.answer(objection, editor, upheld=False, reason="经核查，异议不成立。")  # a dismissal changes no list
    assert 'data-state="final"' in client.get(page).content.decode()
