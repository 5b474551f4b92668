"""The admin's 公示 and objections, per role (written out): editors and chief editors handle them, reviewers see nothing."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions import workflow
from submissions.models import NoticeStatus, ObjectionStatus
from submissions.notice import services
from submissions.workflow import public_notice, roles
from tests.factories import make_user
from tests.notice.helpers import AFTER, DURING, notice_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: DURING)
    notice = notice_of()
    data = {"name": "李四", "unit": "某单位", "phone": "13900001111", "email": "lisi@example.com", "facts": "事实" * 20}
    return services.raise_objection(notice, notice.items.first(), data, [])


def pages(objection):
    return [
        reverse("admin:submissions_publicnotice_changelist"),
        reverse("admin:submissions_publicnotice_change", args=[objection.notice_id]),
        reverse("admin:submissions_objection_changelist"),
        reverse("admin:submissions_objection_change", args=[objection.pk]),
        reverse("admin:submissions_objection_handle", args=[objection.pk]),
    ]


def test_the_role_groups_hold_the_objection_permission_as_written():
    held = {
        group.name: set(group.permissions.filter(codename="handle_objection").values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert held == {
        "评审专家": set(),
        "编辑": {"handle_objection"},
        "签审编辑": {"handle_objection"},
        "推荐单位": set(),
        "点评专家": set(),
    }
    assert "submissions.handle_objection" not in roles.PERMISSIONS[roles.REVIEWER]


@pytest.mark.parametrize("role, status", [("reviewer", 403), ("editor", 200), ("chief", 200)])
def test_who_sees_the_notice_and_objection_pages(client, objection, request, role, status):
    client.force_login(request.getfixturevalue(role))
    for url in pages(objection):
        assert client.get(url).status_code == status, url


def test_a_reviewer_cannot_take_an_objection_by_posting(client, objection, reviewer):
    client.force_login(reviewer)
    client.post(reverse("admin:submissions_objection_handle", args=[objection.pk]), {"action": "take"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED


def test_an_editor_takes_and_upholds_an_objection_from_the_admin(client, objection, editor):
    client.force_login(editor)
    url = reverse("admin:submissions_objection_handle", args=[objection.pk])
    assert client.post(url, {"action": "take"}).status_code == 302
    response = client.post(url, {"action": "uphold", "reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    client.post(url, {"action": "uphold", "reason": "经核查，异议成立。"})
    objection.refresh_from_db()
    objection.item.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and objection.answer == "经核查，异议成立。"
    assert objection.item.removed_reason == "经核查，异议成立。"


def test_the_list_shows_due_dates_and_marks_overdue_ones(client, objection, chief, monkeypatch):
    client.force_login(chief)
    page = client.get(reverse("admin:submissions_objection_changelist")).content.decode()
    assert "2026-10-22" in page and "data-overdue" not in page
    monkeypatch.setattr(services, "current_date", lambda: date(2026, 10, 23))
    page = client.get(reverse("admin:submissions_objection_changelist")).content.decode()
    assert "data-overdue" in page


def test_an_editor_chooses_the_list_and_publishes_the_notice(client, editor):
    notice = notice_of(publish=False)
    client.force_login(editor)
    chosen = [item.submission_id for item in notice.items.all()][:2]
    url = reverse("admin:submissions_publicnotice_change", args=[notice.pk])
    data = {"title": notice.title, "intro": "", "contact": "电话：0531-12345678", "starts_on": "2026-09-30", "workdays": "5"}
    data.update({"entries": chosen, "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "3", "items-MIN_NUM_FORMS": "0"})
    data.update({"items-MAX_NUM_FORMS": "1000"})
    data.update({"history-TOTAL_FORMS": "0", "history-INITIAL_FORMS": "0", "history-MIN_NUM_FORMS": "0"})
    data.update({"history-MAX_NUM_FORMS": "1000"})
    data.update({f"items-{n}-id": item.pk for n, item in enumerate(notice.items.all())})
    data.update({f"items-{n}-notice": notice.pk for n in range(3)})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(notice.items.values_list("submission_id", flat=True)) == sorted(chosen)
    changelist = reverse("admin:submissions_publicnotice_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.published_at is not None and str(notice.ends_on) == "2026-10-12"


def _changelist_action(client, action, notice):
    url = reverse("admin:submissions_publicnotice_changelist")
    response = client.post(url, {"action": action, "_selected_action": [notice.pk]}, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_the_publish_button_refuses_an_empty_list_with_a_message_not_an_error_page(client, editor):
    empty = notice_of(0, slug="empty", publish=False)
    client.force_login(editor)
    assert _changelist_action(client, "publish", empty) == [f"{empty}：公示名单是空的：请先选择列入公示的作品。"]
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_the_result_button_refuses_an_open_notice_then_declares_a_closed_one_final(client, editor, monkeypatch):
    notice = notice_of()
    client.force_login(editor)
    assert _changelist_action(client, "finalize", notice) == [f"{notice}：不能从“公示中”变为“结果已确定”。"]
    monkeypatch.setattr(public_notice, "today", lambda: AFTER)
    workflow.transition(notice, NoticeStatus.CLOSED, actor=workflow.SYSTEM)
    assert _changelist_action(client, "finalize", notice) == [f"公示结果已确定：{notice}。"]
    notice.refresh_from_db()
    assert notice.status == "final"


def test_the_buttons_are_not_offered_without_the_publish_permission(client, editor):
    notice = notice_of(publish=False)
    helper = make_user(username="helper", is_staff=True)
    helper.user_permissions.set(Permission.objects.filter(codename__in=["view_publicnotice", "change_publicnotice"]))
    client.force_login(helper)
    page = client.get(reverse("admin:submissions_publicnotice_changelist")).content.decode()
    assert 'value="publish"' not in page and 'value="finalize"' not in page
    client.post(reverse("admin:submissions_publicnotice_changelist"), {"action": "publish", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.status == "draft"
    client.force_login(editor)
    page = client.get(reverse("admin:submissions_publicnotice_changelist")).content.decode()
    assert 'value="publish"' in page and 'value="finalize"' in page


def test_the_notice_page_shows_its_status_and_history_in_constant_queries(client, chief, monkeypatch):
    client.force_login(chief)
    warm = notice_of(1, slug="warm")
    client.get(reverse("admin:submissions_publicnotice_change", args=[warm.pk]))  # the session, settings read once
    counts = []
    for slug, count, close in (("short", 1, False), ("long", 5, True)):
        notice = notice_of(count, slug=slug)
        if close:
            monkeypatch.setattr(public_notice, "today", lambda: AFTER)
            services.close_due()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("admin:submissions_publicnotice_change", args=[notice.pk])).content.decode()
        counts.append(len(queries))
        assert "公示记录" in page and "草拟中" in page and "原状态" in page  # the history: the publication, from a draft
    assert "结果已确定" in page and "close_notices" in page
    assert counts[0] == counts[1], counts
    with CaptureQueriesContext(connection) as queries:
        listing = client.get(reverse("admin:submissions_publicnotice_changelist")).content.decode()
    assert "公示中" in listing and "结果已确定" in listing
    assert len(queries) <= counts[0]
