"""The editors' dashboard: counts by status, kind, city and week, and the reviewers' progress."""

import pytest
from django.urls import reverse

from submissions.models import Region, Stage, Status
from submissions.review import scoring as reviews
from tests.factories import assign, make_user, submission_in

S = Status
URL = reverse("admin:dashboard")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build(n, reviewer):
    qingdao = Region.objects.filter(name="青岛").first()
    for i in range(n):
        entry = submission_in(S.FIRST_REVIEW if i % 2 else S.SUBMITTED, kind="pioneer" if i % 3 == 0 else "practice")
        if i == 0:
            from submissions.models import Submission

            Submission.objects.filter(pk=entry.pk).update(region=qingdao)
        if i % 2:
            assign(entry, reviewer)
            if i % 4 == 1:
                reviews.save_review(entry, reviewer, Stage.FIRST, {c: 8 for c in entry.campaign.criteria.all()})


@pytest.mark.django_db
def test_dashboard_counts_and_reviewer_progress(client, editor, django_assert_max_num_queries):
    expert = make_user("reviewer", username="expert", first_name="赵专家")
    build(8, expert)
    client.force_login(editor)
    client.get(URL)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.status_code == 200
    context = response.context
    assert context["total"] == 8
    assert dict(context["by_status"]) == {"已报送": 4, "初审中": 4}
    assert dict(context["by_kind"]) == {"党建优秀做法": 5, "党员先锋事迹": 3}
    assert dict(context["by_city"]) == {"济南": 7, "青岛": 1}
    assert sum(n for _week, n in context["by_week"]) == 8
    assert context["reviewers"] == [{"name": "赵专家", "assigned": 4, "scored": 2, "percent": 50}]
    assert "赵专家" in response.content.decode()

    more = make_user("reviewer", username="expert2")
    build(8, more)
    with django_assert_max_num_queries(18):  # not cached yet for this campaign: the scan, and the cache's write
        response = client.get(URL, {"campaign": response.context["campaigns"][0].pk})
    assert response.context["total"] == 16
    assert client.get(URL).context["total"] == 8  # all campaigns: the figures of a moment ago (DASHBOARD_SECONDS)


@pytest.mark.django_db
def test_the_dashboard_counts_in_one_grouped_scan(client, editor, django_assert_max_num_queries):
    build(4, make_user("reviewer", username="expert"))
    client.force_login(editor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    scans = [q["sql"] for q in captured.captured_queries if 'FROM "submissions_submission"' in q["sql"]]
    assert len(scans) == 2, scans  # status × kind × city grouped once, and the weeks
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    assert not [q for q in captured.captured_queries if 'FROM "submissions_submission"' in q["sql"]]  # from the cache


@pytest.mark.django_db
def test_reviewers_cannot_open_the_dashboard(client, reviewer):
    client.force_login(reviewer)
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_dashboard_is_in_workflow_order_with_bar_charts(client, editor):
    for status in (S.SHORTLISTED, S.SUBMITTED, S.SUBMITTED, S.SUBMITTED, S.FIRST_REVIEW, S.FIRST_REVIEW):
        submission_in(status)
    qingdao = Region.objects.get(name="青岛")
    from submissions.models import Submission

    Submission.objects.filter(pk=Submission.objects.order_by("pk").first().pk).update(region=qingdao)
    client.force_login(editor)
    response = client.get(URL)
    assert response.context["by_status"] == [("已报送", 3), ("初审中", 2), ("已入围", 1)]  # the workflow's order, not by count
    assert response.context["by_city"] == [("济南", 5), ("青岛", 1)]  # the regions' own order
    assert [(bar["label"], bar["length"]) for bar in response.context["city_chart"]] == [("济南", 260), ("青岛", 52)]
    html = response.content.decode()
    assert html.count('class="bar-chart"') == 2 and '<rect x="80" y="3" height="15" width="260"' in html
    assert "style=" not in html.split('id="content"', 1)[1]  # the CSP forbids inline style
