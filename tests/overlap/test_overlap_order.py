"""Reports do not depend on the order the entries were indexed in (issue 24, defect 5): a passage
that became boilerplate after an entry was reported no longer counts in that entry's report."""

import io

import pytest
from django.core.management import call_command

from submissions import demo
from submissions.models import OverlapDocument, OverlapMatch
from tests.overlap.test_overlap import OWN_A, OWN_B, QUOTE, entry

QUOTED = QUOTE + "坚持以人民为中心的发展思想，不断满足人民群众对美好生活的向往，把党的政治优势转化为发展优势。"
# Six entries: four hold nothing but the quoted passage, two share OWN_B besides it. Six documents
# holding a passage make it boilerplate (the cut-off is 3 below 61 documents), so in the end only
# the two sharing OWN_B match, and only each other.
TEXTS = {
    "quote-1": (QUOTED,),
    "quote-2": (QUOTED,),
    "quote-3": (QUOTED,),
    "quote-4": (QUOTED + OWN_A,),
    "pair": (OWN_B + QUOTED,),
    "copy": (QUOTED + OWN_B,),
}
EXPECTED = {"quote-1": set(), "quote-2": set(), "quote-3": set(), "quote-4": set(), "pair": {"copy"}, "copy": {"pair"}}
ORDERS = {
    "pair first": ["pair", "copy", "quote-1", "quote-2", "quote-3", "quote-4"],
    "quotes first": ["quote-1", "quote-2", "quote-3", "quote-4", "pair", "copy"],
    "interleaved": ["quote-4", "pair", "quote-1", "copy", "quote-3", "quote-2"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("order", list(ORDERS))
def test_every_report_is_the_same_whatever_order_the_entries_came_in(order, django_capture_on_commit_callbacks):
    names = {}
    for name in ORDERS[order]:
        with django_capture_on_commit_callbacks(execute=True):  # each entry's overlap jobs, as a worker runs them
            names[entry(*TEXTS[name]).pk] = name
    documents = OverlapDocument.objects.filter(submission__isnull=False).prefetch_related("matches__other")
    found = {names[d.submission_id]: {names[m.other.submission_id] for m in d.matches.all()} for d in documents}
    assert found == EXPECTED


@pytest.mark.django_db
def test_seed_demo_run_twice_finds_the_same_matches(settings, monkeypatch):
    settings.TASKS_EAGER = False  # as `make run` seeds: the jobs the entries queue wait for the worker
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    runs = []
    for _run in range(2):
        call_command("seed_demo", stdout=io.StringIO())
        pairs = OverlapMatch.objects.values_list("document__submission__org_name", "other__submission__org_name")
        runs.append(sorted(pairs))
    assert runs[0] == runs[1]
    planted = demo.ORGS[demo.COPY_TO][0], demo.ORGS[demo.COPY_FROM][0]
    assert planted in runs[0] and planted[::-1] in runs[0]
