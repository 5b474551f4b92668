"""The entries list's paginator (submissions/admin/listing.py): an estimated count for a huge
unfiltered table, a capped one for a filter, and deep pages that find their ids first."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.admin.listing import EstimatedCountPaginator, estimated_rows
from submissions.models import Status, Submission
from tests.factories import SubmissionFactory

S = Status


@pytest.mark.django_db
def test_no_full_count_and_estimated_count_only_on_postgres():
    SubmissionFactory.create_batch(3, sections=0)
    paginator = EstimatedCountPaginator(Submission.objects.all(), 50)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ANALYZE counts this transaction's own 3 new rows into pg_class.reltuples, and its
            # lock (held to the test's rollback) keeps autovacuum from re-analyzing meanwhile.
            cursor.execute("ANALYZE submissions_submission")
        assert estimated_rows(Submission) == 3
    else:
        assert estimated_rows(Submission) is None
    assert paginator.count == 3  # small tables are counted exactly
    from submissions.admin.submission import SubmissionAdmin

    assert SubmissionAdmin.show_full_result_count is False


@pytest.mark.django_db
def test_estimated_count_used_for_a_huge_unfiltered_table(monkeypatch):
    from submissions.admin import listing

    monkeypatch.setattr(listing, "estimated_rows", lambda model, using="default": 100000)
    assert EstimatedCountPaginator(Submission.objects.all(), 50).count == 100000
    assert EstimatedCountPaginator(Submission.objects.filter(status=S.SUBMITTED), 50).count == 0


@pytest.mark.django_db
def test_a_page_far_down_finds_its_ids_first_and_shows_the_same_rows(client, editor, monkeypatch):
    """Past DEFERRED_FROM skipped rows the page's ids come from the list's order alone, then the
    page's rows with their columns: the same rows, in the same order, as the plain OFFSET page."""
    from submissions.admin import listing
    from submissions.admin.submission import SubmissionAdmin

    entries = [SubmissionFactory(org_name=f"第{i}党支部") for i in range(7)]
    ordered = list(Submission.objects.order_by("-pk").values_list("pk", flat=True))
    monkeypatch.setattr(listing, "DEFERRED_FROM", 2)
    plain = EstimatedCountPaginator(Submission.objects.order_by("-pk"), 2)
    assert [e.pk for e in plain.page(1)] == ordered[:2]  # before DEFERRED_FROM: the plain OFFSET page
    with CaptureQueriesContext(connection) as queries:
        third = list(plain.page(3))
    assert [e.pk for e in third] == ordered[4:6] and len(queries) == 2  # the ids, then the rows
    monkeypatch.setattr(SubmissionAdmin, "list_per_page", 2)
    client.force_login(editor)

    def shown():
        html = client.get(reverse("admin:submissions_submission_changelist"), {"p": "3"}).content.decode()
        return re.findall(r"第(\d)党支部", html)

    deferred = shown()
    monkeypatch.setattr(listing, "DEFERRED_FROM", 10**9)
    assert len(entries) == 7 and len(deferred) >= 2 and deferred == shown()  # the admin's own order, the same rows


@pytest.mark.django_db
def test_a_filtered_list_counts_its_matches_only_up_to_the_cap(client, editor, monkeypatch):
    from submissions.admin import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    SubmissionFactory.create_batch(5, sections=0)
    capped = EstimatedCountPaginator(Submission.objects.filter(pk__gt=0), 2)
    assert capped.count == 3 and capped.capped and capped.num_pages == 2
    three = list(Submission.objects.values_list("pk", flat=True)[:3])
    exact = EstimatedCountPaginator(Submission.objects.filter(pk__in=three), 2)
    assert exact.count == 3 and not exact.capped
    client.force_login(editor)
    html = client.get("/admin/submissions/submission/?q=" + Submission.objects.first().org_name[:4]).content.decode()
    assert "超过 3 条" in html
