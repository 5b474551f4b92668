"""Query counts of the publishing screens and the feeds, each at two sizes: no N+1 anywhere."""

import pytest
from django.test import Client
from django.urls import reverse

from submissions.models import Comment, Status
from submissions.newsroom import publishing
from tests.factories import published_showcase, submission_in

pytestmark = pytest.mark.django_db


def _count(client, url, captured_factory):
    client.get(url)  # warm: the site settings record and the session are then cached alike at both sizes
    with captured_factory(40) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len([q for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]])


def _grow(n, editor):
    for _i in range(n):
        entry = submission_in(Status.ACCEPTED)
        article = publishing.draft_from_entry(entry, editor=editor)
        publishing.edited(article, editor, note="再存一版")
        Comment.objects.create(showcase=article, name="读者", body="评论")
        published_showcase()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:submissions_showcase_changelist",
        "admin:submissions_showcase_from_entry_list",
        "admin:submissions_comment_changelist",
        "showcase:feed",
        "sitemap",
    ],
)
def test_lists_run_constant_queries(url_name, editor, django_assert_max_num_queries):
    client = Client()
    client.force_login(editor)
    counts = []
    for n in (1, 4):  # 1, then 5 of each
        _grow(n, editor)
        submission_in(Status.ACCEPTED)  # one entry still waiting for its article
        counts.append(_count(client, reverse(url_name), django_assert_max_num_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("view", ["change", "revisions", "preview"])
def test_article_screens_run_constant_queries(view, editor, chief, django_assert_max_num_queries):
    client = Client()
    client.force_login(editor)
    counts = []
    for sections in (1, 6):
        entry = submission_in(Status.ACCEPTED, sections=sections)
        article = publishing.draft_from_entry(entry, editor=editor)
        for _i in range(sections):
            publishing.edited(article, editor)
        url = reverse(f"admin:submissions_showcase_{view}", args=[article.pk])
        counts.append(_count(client, url, django_assert_max_num_queries))
    assert counts[0] == counts[1], counts
