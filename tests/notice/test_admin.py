"""The admin's 公示 and objections, per role (written out): editors and chief editors handle them, reviewers see nothing."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from submissions.models import ObjectionStatus
from submissions.notice import services
from submissions.workflow import roles
from tests.notice.helpers import DURING, notice_of

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
    assert held == {"评审专家": set(), "编辑": {"handle_objection"}, "签审编辑": {"handle_objection"}}
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
    data.update({f"items-{n}-id": item.pk for n, item in enumerate(notice.items.all())})
    data.update({f"items-{n}-notice": notice.pk for n in range(3)})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(notice.items.values_list("submission_id", flat=True)) == sorted(chosen)
    changelist = reverse("admin:submissions_publicnotice_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.published_at is not None and str(notice.ends_on) == "2026-10-12"
