"""A word found in more articles than search.CAP: ranked over the newest matches only, widened
for a filter, said on the page; the index's dates follow the workflow. CAP is made small here."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from submissions.models import Region, SearchDocument, Showcase
from submissions.newsroom import publishing
from submissions.platform import search
from tests.factories import publish_again, published_showcase
from tests.platform.test_search import make, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap(monkeypatch):
    from submissions.platform import pagecache

    def set_cap(value):
        monkeypatch.setattr(search, "CAP", value)
        pagecache.bump()  # the list pages are cached (and kept in the process)

    return set_cap


def dated(editor, slug, title, day, **entry):
    """An article published on 2024-01-<day>, its index dated the same (as the workflow keeps it)."""
    article = make(editor, slug, title, "渔港边的故事", day=day, **entry)
    article.refresh_from_db()
    search.index_showcase(article, article.search_text)
    return article


def test_a_common_word_ranks_the_newest_matches_and_the_page_says_so(client, editor, cap):
    cap(3)
    dated(editor, "old-title", "渔港党支部", day=1)  # the word in its title, but the oldest
    for day in range(2, 9):
        dated(editor, f"d{day}", f"第{day}党支部", day=day)
    # The first window is the newest CAP + 1 (days 8..5): all four match, more than CAP.
    assert slugs(client, q="渔港") == ["d8", "d7", "d6", "d5"]
    html = client.get(reverse("showcase:list"), {"q": "渔港"}).content.decode()
    assert "找到超过 3 篇，下面是最近发表的 4 篇，按相关度排列" in html
    cap(8)  # as many as match: every match is ranked, the title first
    assert slugs(client, q="渔港")[:2] == ["old-title", "d8"]
    assert "共 8 篇" in client.get(reverse("showcase:list"), {"q": "渔港"}).content.decode()


def test_a_filter_widens_the_window_until_it_holds_cap_matches(client, editor, cap):
    cap(2)
    qingdao, jinan = Region.objects.get(name="青岛"), Region.objects.get(name="济南")
    for day in range(1, 21):
        city = qingdao if day in (3, 10, 16) else jinan
        dated(editor, f"d{day}", f"{city.name}{day}", day=day, region=city)
    # Windows of the newest 3, 7 and 17 articles: the third (days 20..4) holds two of 青岛's,
    # not day 3's.
    assert slugs(client, q="渔港", region=qingdao.code) == ["d16", "d10"]
    html = client.get(reverse("showcase:list"), {"q": "渔港", "region": qingdao.code}).content.decode()
    assert "找到超过 2 篇，下面是最近发表的 2 篇，按相关度排列" in html
    assert slugs(client, q="渔港") == ["d20", "d19", "d18"]


def test_fewer_documents_than_the_window_ranks_them_all(editor, cap):
    cap(2)
    for day in (1, 2, 3, 4):
        dated(editor, f"a{day}", f"渔港{day}", day=day)
    ids, since = search.ranked_ids(search_articles(), "渔港")  # the newest 3: days 4..2
    assert since == datetime(2024, 1, 2, tzinfo=UTC)
    assert ids == [Showcase.objects.get(slug=slug).pk for slug in ("a4", "a3", "a2")]
    cap(4)
    ids, since = search.ranked_ids(search_articles(), "渔港")  # 4 documents: not more than CAP
    assert since is None and len(ids) == 4


def test_a_newest_window_that_cannot_hold_cap_matches_is_not_ranked(editor, cap, monkeypatch):
    """The newest CAP + 1 documents hold fewer than CAP matches even before any filter: the
    search goes straight to a window sized by that count, and ranks only there."""
    cap(2)
    for day in range(1, 21):
        article = make(editor, f"d{day}", f"第{day}篇", "鲸湾的故事" if day in (2, 9, 13) else "渔港的故事", day=day)
        article.refresh_from_db()
        search.index_showcase(article, article.search_text)
    windows = []
    ranked = search._ranked

    def spy(queryset, kind, found, since, dated):
        windows.append(since and since.day)
        return ranked(queryset, kind, found, since, dated)

    monkeypatch.setattr(search, "_ranked", spy)
    ids, since = search.ranked_ids(search_articles(), "鲸湾")
    # The newest 3 (days 20..18) hold none: not ranked. Then the newest 7 (from day 14) hold
    # none, then the newest 17 (from day 4) two: days 13 and 9, not day 2.
    assert windows == [14, 4]
    assert since == datetime(2024, 1, 4, tzinfo=UTC)
    assert ids == [Showcase.objects.get(slug=slug).pk for slug in ("d13", "d9")]


def search_articles():
    from submissions.column.articles import published_articles

    return published_articles()


def test_the_index_is_dated_by_the_workflow(editor):
    """The workflow writes published_at with an UPDATE: the index's date follows it anyway."""
    article = published_showcase(slug="a", title="渔港党支部")

    def dates():
        article.refresh_from_db()
        return SearchDocument.objects.get(kind="showcase", object_id=article.pk).sort_key, article.published_at

    first, published = dates()
    assert first == published and first is not None
    Showcase.objects.filter(pk=article.pk).update(published_at=datetime(2020, 1, 1, tzinfo=UTC))
    article.lead = "导语。"
    article.save()
    publishing.edited(article, editor)  # back to 待签审
    publish_again(article)  # published again: a new publication date
    again, published = dates()
    assert again == published and again > first


def test_a_capped_search_runs_a_bounded_number_of_queries(client, editor, cap, django_assert_max_num_queries):
    from django.core.cache import cache

    cap(2)
    for day in range(1, 7):
        dated(editor, f"a{day}", f"渔港{day}", day=day)
    cache.clear()
    with django_assert_max_num_queries(41) as captured:
        assert client.get(reverse("showcase:list"), {"q": "渔港"}).status_code == 200
    own = [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    # As many as an uncapped search's: the window's first date comes with the capped count (one
    # step here).
    assert len(own) <= 8, own
