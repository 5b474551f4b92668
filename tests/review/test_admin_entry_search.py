"""The admin's entry search on Chinese words is served by the bigram index (submissions/search/entries.py):
the same rows as Django's own search, found without a scan; Latin and digit words keep Django's search."""

import pytest
from django.db import connection

from submissions.models import SearchDocument, Submission
from submissions.platform.search import entries
from submissions.workflow import roles
from tests.factories import SubmissionFactory, make_user

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/submissions/submission/"


@pytest.fixture
def editor_client(client):
    client.force_login(make_user(roles.EDITOR, username="search-editor"))
    return client


def shown(client, term):
    response = client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    return sorted(response.context["cl"].result_list.values_list("org_name", flat=True))


def test_chinese_words_find_what_django_finds_through_the_index(editor_client):
    SubmissionFactory(org_name="青岛港集团党委", brand_name="红色港湾")
    SubmissionFactory(org_name="济南市历下区党工委", brand_name="泉城先锋", contact_name="王晓")
    SubmissionFactory(org_name="烟台大学党委", brand_name="红色引擎")
    assert SearchDocument.objects.filter(kind=entries.ENTRY).count() == 3  # indexed on save
    assert shown(editor_client, "红色") == ["烟台大学党委", "青岛港集团党委"]
    assert shown(editor_client, "港") == ["青岛港集团党委"]  # one character: a prefix of a token
    assert shown(editor_client, "王晓") == ["济南市历下区党工委"]  # the contact
    assert shown(editor_client, "红色 港湾") == ["青岛港集团党委"]  # every word, as Django's search
    assert shown(editor_client, "鲸鲨") == []
    assert entries.narrowed(Submission.objects.all(), "红色") is not None
    assert entries.narrowed(Submission.objects.all(), "2026-01") is None  # digits: Django's search alone


def test_the_narrowing_never_adds_what_the_fields_do_not_hold(editor_client):
    """The index holds the organization too; a reviewer's search fields do not. The index only
    removes rows: the admin's own filter (on the reviewer's fields) decides."""
    entry = SubmissionFactory(org_name="青岛港集团党委", brand_name="港湾")
    narrowed = entries.narrowed(Submission.objects.all(), "集团")
    assert list(narrowed.values_list("pk", flat=True)) == [entry.pk]
    assert list(Submission.objects.filter(pk__in=narrowed.values("pk"), brand_name__icontains="集团")) == []


def test_an_edited_entry_is_found_by_its_new_name_and_reindex_all_rebuilds(editor_client):
    entry = SubmissionFactory(org_name="老名字党支部")
    entry.org_name = "新名字党支部"
    entry.save()
    assert shown(editor_client, "新名") == ["新名字党支部"] and shown(editor_client, "老名") == []
    SearchDocument.objects.filter(kind=entries.ENTRY).delete()  # written behind the ORM's back
    assert shown(editor_client, "新名") == []
    assert entries.reindex_all() == 1
    assert shown(editor_client, "新名") == ["新名字党支部"]


def test_on_postgresql_a_word_trigrams_serve_is_not_narrowed(editor_client):
    """Three characters and more: Django's search alone, served by the trigram indexes (a common
    word narrowed first cost 8 times the page at 100,000 entries); one or two: the index."""
    SubmissionFactory(org_name="青岛港集团党委", brand_name="红色港湾")
    postgres = connection.vendor == "postgresql"
    assert (entries.narrowed(Submission.objects.all(), "港集团") is None) is postgres
    assert (entries.narrowed(Submission.objects.all(), "红色 港集团") is None) is postgres
    assert entries.narrowed(Submission.objects.all(), "红色 港湾") is not None
    assert shown(editor_client, "港集团") == ["青岛港集团党委"] and shown(editor_client, "红色 港集团") == ["青岛港集团党委"]
