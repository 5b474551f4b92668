"""The admin at 100 000 entries (issue 29, item 6; bench/admin_list.py measures it): the first page's
queue counts stop at a cap, the "scores are all in" queue is found from the assignments and not by
testing every entry under review, the queues' first items and the score sort in both directions are
read off an index in their order. Plans: on PostgreSQL with sorts and sequential scans priced out
(at a test's size either is cheap: the question is whether one is needed at all); SQLite's planner
sorts a joined page of a few rows whatever the indexes, so there the order itself is checked."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.admin import queues as admin_queues
from submissions.models import Stage, Status, Submission
from submissions.review import queues
from tests.factories import SubmissionFactory, assign, make_user, review, submission_in

S = Status
INDEX = reverse("admin:index")
LIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def plan_of(queryset, *, no_sort=True):
    """The query's plan: PostgreSQL's EXPLAIN ANALYZE (sorts and sequential scans priced out), or SQLite's
    EXPLAIN QUERY PLAN, one step a line."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE submissions_submission")
            cursor.execute("ANALYZE submissions_reviewassignment")
            cursor.execute("SET LOCAL enable_seqscan = off")
            if no_sort:
                cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain(analyze=True)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def sorts_entries(plan):
    """Whether PostgreSQL's plan sorts the entries (rather than reading them in order from an index)."""
    return any("Sort Key" in line and "submissions_submission." in line for line in plan.splitlines())


@pytest.mark.django_db
def test_first_page_counts_a_long_queue_only_up_to_the_cap(client, editor, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    for _ in range(4):
        submission_in(S.SUBMITTED)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(INDEX).content.decode()
    assert '<span class="queue-count">2+</span>' in html
    assert "全部 2+ 件" in html and reverse("admin:queue", args=["triage"]) in html
    counts = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and "submissions_" in q["sql"]
    ]
    assert counts and all("LIMIT 3" in sql for sql in counts), counts  # never counted to the end


@pytest.mark.django_db
def test_first_page_shows_an_exact_count_below_the_cap(client, editor):
    for _ in range(3):
        submission_in(S.SUBMITTED)
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    assert '<span class="queue-count">3</span>' in html and "全部 3 件" not in html  # 3 of 5 shown: all there


@pytest.mark.django_db
def test_a_queue_page_counts_up_to_its_page(client, editor, monkeypatch):
    monkeypatch.setattr(admin_queues, "PAGE", 2)
    for _ in range(3):
        submission_in(S.SUBMITTED)
    client.force_login(editor)
    html = client.get(reverse("admin:queue", args=["triage"])).content.decode()
    assert "共 2+ 件" in html


@pytest.mark.django_db
def test_first_page_queries_do_not_grow_with_the_queues(client, editor, django_assert_max_num_queries):
    submission_in(S.SUBMITTED)
    submission_in(S.ACCEPTED)
    client.force_login(editor)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for _ in range(6):
        submission_in(S.SUBMITTED)
        submission_in(S.ACCEPTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INDEX)


@pytest.mark.django_db
def test_scores_all_in_is_found_from_the_assignments_not_from_every_entry_under_review(editor):
    under_review = SubmissionFactory.create_batch(60, sections=0)
    Submission.objects.filter(pk__in=[e.pk for e in under_review]).update(status=S.FIRST_REVIEW, submitted_at=timezone.now())
    complete = submission_in(S.FIRST_REVIEW)
    expert = make_user("reviewer", username="scale-expert")
    assign(complete, expert, Stage.FIRST)
    review(complete, expert, Stage.FIRST)
    found = queues.awaiting_decision(editor)
    assert [e.pk for e in found] == [complete.pk]
    plan = plan_of(found, no_sort=False)
    if connection.vendor == "postgresql":
        removed = sum(int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan))
        assert removed < 10 and "sub_status" not in plan, plan  # not every entry under review tested
    else:  # the entries are reached by their id, from the assignments
        entry_steps = [line for line in plan.splitlines() if "submissions_submission" in line]
        assert entry_steps and all("PRIMARY KEY" in line for line in entry_steps), plan


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["triage", "accepted"])
def test_a_queues_first_items_are_read_in_its_order_from_an_index(editor, name):
    status = S.SUBMITTED if name == "triage" else S.ACCEPTED
    entries = SubmissionFactory.create_batch(40, sections=0)
    Submission.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=status, submitted_at=timezone.now(), status_changed_at=timezone.now()
    )
    items = queues.BY_NAME[name].items(editor)[: admin_queues.SHOWN]
    assert len(items) == admin_queues.SHOWN
    with connection.cursor() as cursor:
        indexes = set(connection.introspection.get_constraints(cursor, "submissions_submission"))
    assert {"sub_triage", "sub_status_changed"} <= indexes
    if connection.vendor == "postgresql":
        plan = plan_of(items)
        assert not sorts_entries(plan), plan


@pytest.mark.django_db
@pytest.mark.parametrize("direction", ["", "-"])
def test_score_sort_reads_the_score_index_both_ways(client, editor, direction):
    from submissions.admin.submission import SubmissionAdmin

    entries = SubmissionFactory.create_batch(40, sections=0)
    for score, entry in enumerate(entries):
        Submission.objects.filter(pk=entry.pk).update(score=score % 7 + 60, status=S.FIRST_REVIEW)
    column = SubmissionAdmin.list_display.index("score_display") + 1
    client.force_login(editor)
    page = client.get(LIST, {"o": f"{direction}{column}"}).context["cl"].result_list
    rows = [(e.score, e.pk) for e in page]
    expected = sorted(((e.score, e.pk) for e in Submission.objects.all()), reverse=direction == "-")
    assert rows == expected  # ties on the id, in the column's direction
    if connection.vendor == "postgresql":
        plan = plan_of(page)
        assert not sorts_entries(plan), plan


@pytest.mark.django_db
def test_no_campaign_checks_eligibility_so_no_entry_is_read_for_that_queue(editor):
    for _ in range(3):
        submission_in(S.SUBMITTED)  # in a campaign that screens nothing
    with CaptureQueriesContext(connection) as captured:
        assert list(queues.to_check(editor)) == []
    assert not [q["sql"] for q in captured.captured_queries if "submissions_submission" in q["sql"]]
