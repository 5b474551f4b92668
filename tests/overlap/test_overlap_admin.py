"""What each role sees of the overlap report: the list's column, mark and filter, the entry's
panel and the reviewer's scoring page (never the other entry's contact data)."""

import pytest
from django.urls import reverse

from submissions.models import Stage, Status
from tests.factories import assign
from tests.overlap.test_overlap import COPIED, OWN_A, OWN_B, entry

CHANGELIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture
def pair(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        source = entry(
            COPIED, OWN_A, contact_name="源头联系人", contact_phone="13912345678", contact_email="source-contact@example.com"
        )
    with django_capture_on_commit_callbacks(execute=True):
        copy = entry(OWN_B, COPIED, status=Status.FIRST_REVIEW)
    return source, copy


def change_url(submission):
    return reverse("admin:submissions_submission_change", args=[submission.pk])


def test_editor_list_shows_the_share_marked_above_the_campaigns_threshold(client, editor, pair, django_assert_max_num_queries):
    _source, copy = pair
    client.force_login(editor)
    with django_assert_max_num_queries(14):
        page = client.get(CHANGELIST).content.decode()
    assert "复制比" in page
    assert page.count('class="overlap-flag"') == 2  # both about half copied, threshold 30 %
    copy.campaign.overlap_threshold = 60
    copy.campaign.save()
    page = client.get(CHANGELIST).content.decode()
    assert 'class="overlap-flag"' not in page


def test_editor_filters_the_list_by_share(client, editor, pair, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clean = entry("这是一段完全独立写成的文字，讲述党员在防汛一线连续奋战七天七夜、转移群众一千二百人的经过。")
    client.force_login(editor)
    flagged = client.get(CHANGELIST, {"overlap": "flagged"}).context["cl"].result_list
    assert {s.pk for s in flagged} == {s.pk for s in pair}
    none = client.get(CHANGELIST, {"overlap": "none"}).context["cl"].result_list
    assert [s.pk for s in none] == [clean.pk]


def test_editor_panel_shows_the_match_side_by_side_with_a_link(client, editor, pair, django_assert_max_num_queries):
    source, copy = pair
    client.force_login(editor)
    with django_assert_max_num_queries(40):
        response = client.get(change_url(copy))
    page = response.content.decode()
    assert 'id="overlap"' in page
    assert f'href="{change_url(source)}"' in page
    assert source.org_name in page
    assert "<mark>我们在收费站广场设立“红色驿站”" in page  # highlighted in this entry's text …
    assert page.count("<mark>") == 2  # … and in the other's
    assert "源头联系人" not in page and "13912345678" not in page and "source-contact@example.com" not in page


def test_chief_editor_sees_the_panel(client, chief, pair):
    _source, copy = pair
    client.force_login(chief)
    assert 'id="overlap"' in client.get(change_url(copy)).content.decode()


def test_reviewer_sees_share_and_passages_but_no_contact_data_nor_link(client, reviewer, pair, django_assert_max_num_queries):
    source, copy = pair
    assign(copy, reviewer, Stage.FIRST)
    client.force_login(reviewer)
    url = reverse("admin:submissions_submission_score", args=[copy.pk, Stage.FIRST])
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert 'id="overlap"' in page and "<mark>" in page
    assert "源头联系人" not in page and "13912345678" not in page and "source-contact@example.com" not in page
    assert change_url(source) not in page
    listing = client.get(CHANGELIST).content.decode()
    assert "复制比" in listing and 'class="overlap-flag"' in listing


def test_reviewer_cannot_open_the_other_entry(client, reviewer, pair):
    source, copy = pair
    assign(copy, reviewer, Stage.FIRST)
    client.force_login(reviewer)
    assert client.get(change_url(source)).status_code in (403, 404)


def test_anonymous_is_sent_to_log_in(client, pair):
    _source, copy = pair
    response = client.get(change_url(copy))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_entry_without_a_report_says_so(client, editor, db):
    lone = entry(OWN_A)  # the work after commit never ran
    client.force_login(editor)
    assert "尚未检测" in client.get(change_url(lone)).content.decode()
