"""Search of the column (submissions.platform.search): Chinese tokens, ranking, marked passages, filters,
suggestions, bad input; on whichever database the run uses (CI runs SQLite and PostgreSQL)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.urls import reverse

from submissions.models import Kind, Region, SearchDocument, Showcase, ShowcaseSection, ShowcaseViews, Submission
from submissions.newsroom import publishing
from submissions.platform import search
from submissions.platform.search.tokens import terms, tokens
from tests.factories import SubmissionFactory, publish_again, published_showcase

pytestmark = pytest.mark.django_db


def make(editor, slug, title, body="", day=1, **entry):
    article = published_showcase(slug=slug, title=title, brand_name="", submission=SubmissionFactory(**entry))
    ShowcaseSection.objects.create(showcase=article, heading="做法", body=body)
    article.lead = "导语。"
    article.save()
    publishing.edited(article, editor)  # an edit of a published article goes back to 待签审
    publish_again(article)
    Showcase.objects.filter(pk=article.pk).update(published_at=datetime(2024, 1, day, tzinfo=UTC))
    return article


def slugs(client, **query):
    """The slugs of the articles on the list page, in their order."""
    html = client.get(reverse("showcase:list"), query).content.decode()
    found = [(html.find(f'/showcase/{a.slug}/"'), a.slug) for a in Showcase.objects.all()]
    return [slug for at, slug in sorted(found) if at >= 0]


def test_tokens_are_bigrams_with_the_last_character_and_latin_words():
    assert tokens("党建工作") == "党建 建工 工作 作"
    assert tokens("“零距离”服务，5G 基站 ＡＢＣ") == "零距 距离 离 服务 务 5g 基站 站 abc"
    assert tokens("") == ""
    assert [t.parts for t in terms("党 党建 零距离 5G")] == [
        [("党", True)],
        [("党建", False)],
        [("零距", False), ("距离", False)],
        [("5g", True)],
    ]
    assert terms("，。！") == [] and len(terms("一 二 三 四 五 六 七")) == 5


def test_one_two_and_longer_words_and_several_words(client, editor):
    make(editor, "port", "渔港党支部", "扎根渔港十余年的老党员", day=1)
    make(editor, "toll", "收费站党支部", "零距离服务司乘群众", day=2)
    make(editor, "farm", "果园党支部", "服务果农", day=3)
    assert slugs(client, q="渔") == ["port"]  # one character
    assert slugs(client, q="服务") == ["farm", "toll"]  # two characters, newest first among equals
    assert slugs(client, q="零距离") == ["toll"]  # three
    assert slugs(client, q="距离零") == []  # the bigrams of the word, not its characters in any order
    assert slugs(client, q="渔港 零距离") == ["port", "toll"]  # several words: any; port has one in its title
    assert slugs(client, q="党支部") == ["farm", "toll", "port"]


def test_ranking_all_words_first_then_title_then_newest(client, editor):
    """The order stated in submissions.platform.search.RANKING, here literally: both words > one word;
    among equals, a word in the title > in the body only; then the newest first."""
    make(editor, "one-in-title", "海岛渔港党建", "正文", day=5)
    make(editor, "one-in-body", "某单位党建", "渔港的故事", day=6)
    make(editor, "both-in-body", "另一单位党建", "渔港与灯塔", day=1)
    make(editor, "both-one-in-title", "灯塔党建", "渔港边", day=2)
    make(editor, "neither", "无关党建", "正文", day=7)
    assert slugs(client, q="渔港 灯塔") == ["both-one-in-title", "both-in-body", "one-in-title", "one-in-body"]


def test_passage_and_title_are_marked_and_everything_else_escaped(client, editor):
    make(editor, "xss", "<b>渔港</b>党建", "前文<script>alert(1)</script>渔港<img src=x onerror=alert(2)>后文")
    html = client.get(reverse("showcase:list"), {"q": "渔港"}).content.decode()
    assert "&lt;b&gt;<mark>渔港</mark>&lt;/b&gt;党建" in html
    assert "alert(1)&lt;/script&gt;<mark>渔港</mark>&lt;img src=x onerror=alert(2)&gt;后文" in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_passage_is_the_stretch_with_the_most_words():
    found = terms("灯塔 渔港")
    text = "渔港" + "。" * 200 + "灯塔和渔港"
    assert str(search.passage(text, found)) == "…" + "。" * 20 + "<mark>灯塔</mark>和<mark>渔港</mark>"
    assert str(search.passage("没有", found, fallback="<摘要>")) == "&lt;摘要&gt;"


def test_filters_combine_with_the_query(client, editor):
    qingdao = Region.objects.get(name="青岛")
    make(editor, "a", "渔港一", day=1)
    make(editor, "b", "渔港二", day=2, kind=Kind.PIONEER, region=qingdao)
    Showcase.objects.filter(slug="b").update(published_at=datetime(2023, 5, 1, tzinfo=UTC))
    assert slugs(client, q="渔港", kind="pioneer") == ["b"]
    assert slugs(client, q="渔港", region=qingdao.code) == ["b"]
    assert slugs(client, q="渔港", year="2024") == ["a"]
    assert slugs(client, q="渔港", year="2023", kind="practice") == []


def test_an_empty_result_suggests_fewer_words_no_filters_and_popular_brands(client, editor):
    popular = make(editor, "pop", "收费站党建", day=1)
    Showcase.objects.filter(pk=popular.pk).update(brand_name="零距离")
    ShowcaseViews.objects.create(showcase=popular, count=50)
    html = client.get(reverse("showcase:list"), {"q": "渔港 灯塔", "kind": "pioneer"}).content.decode()
    assert "没有找到符合条件的文章。" in html and "试试：" in html
    assert 'href="?kind=pioneer&amp;q=%E6%B8%94%E6%B8%AF">渔港</a>' in html  # one word at a time
    assert 'href="?q=%E6%B8%94%E6%B8%AF+%E7%81%AF%E5%A1%94">渔港 灯塔</a>' in html  # without the filter
    assert 'href="?q=%E9%9B%B6%E8%B7%9D%E7%A6%BB">零距离</a>' in html  # the most read brand
    # with two filters the links are still canonical (listquery): parameters in one fixed order
    qingdao = Region.objects.get(name="青岛").code
    html = client.get(reverse("showcase:list"), {"region": qingdao, "q": "渔港 灯塔", "kind": "pioneer"}).content.decode()
    assert 'href="?kind=pioneer&amp;q=%E6%B8%94%E6%B8%AF&amp;region=qingdao">渔港</a>' in html


def test_the_pages_of_a_search_link_the_canonical_query_only(client, editor):
    qingdao = Region.objects.get(name="青岛")
    for i in range(12):
        make(editor, f"p{i}", f"渔港{i}", day=i + 1, kind=Kind.PIONEER, region=qingdao)
    asked = {"region": "qingdao", "utm_source": "x", "q": "  渔港 ", "from": "timeline", "kind": "pioneer"}
    first = client.get(reverse("showcase:list"), asked).content.decode()
    assert 'href="?kind=pioneer&amp;page=2&amp;q=%E6%B8%94%E6%B8%AF&amp;region=qingdao">下一页</a>' in first
    second = client.get(reverse("showcase:list"), {**asked, "page": "2"}).content.decode()
    assert 'href="?kind=pioneer&amp;q=%E6%B8%94%E6%B8%AF&amp;region=qingdao">上一页</a>' in second  # page 1: no page
    assert "utm_source" not in first + second and "timeline" not in first + second
    assert slugs(client, q="渔港", kind="pioneer", region="qingdao", page="2") == ["p1", "p0"]  # the oldest two


CANONICAL = "/showcase/?q=%E6%B8%94%E6%B8%AF"  # ?q=渔港


@pytest.mark.parametrize(
    ("query", "status", "location"),
    [
        ({"q": "渔" * 51}, 200, None),  # too long: cut to 50, as the field's maxlength
        ({"q": "渔\x00港"}, 400, None),  # a NUL: refused by portal.middleware.CleanInputMiddleware
        ({"q": "'\"():*&|!<-> AND OR NOT NEAR title:"}, 200, None),  # the syntax of tsquery and FTS5
        ({"q": "渔港", "page": "abc"}, 302, CANONICAL),  # a refused value: to the canonical URL
        ({"q": "渔港", "kind": "nonsense", "year": "0", "region": "x" * 500}, 302, CANONICAL),
        ({"q": ["渔港", "灯塔"]}, 200, None),  # the last one counts, as QueryDict.get
    ],
)
def test_bad_input_never_fails(client, editor, query, status, location):
    make(editor, "a", "渔港一")
    response = client.get(reverse("showcase:list"), query)
    assert response.status_code == status
    if status == 400:
        assert "请求无法处理" in response.content.decode()
    if location:
        assert response["Location"] == location
        followed = client.get(location)  # where it leads: the list searched
        assert followed.status_code == 200 and '/showcase/a/"' in followed.content.decode()
    if query["q"] == "渔" * 51:
        html = response.content.decode()
        assert f'value="{"渔" * 50}"' in html and "渔" * 51 not in html
    if isinstance(query["q"], list):
        assert 'value="灯塔"' in response.content.decode()


def test_the_index_follows_edits_and_unpublished_articles_are_not_found(client, editor, chief):
    article = make(editor, "a", "收费站党建", "原来的正文")
    assert slugs(client, q="原来") == ["a"]
    ShowcaseSection.objects.filter(showcase=article).update(body="改写后的正文")
    publishing.edited(article, editor)
    assert slugs(client, q="原来") == [] and slugs(client, q="改写") == []  # 待签审: off the column
    publish_again(article)
    assert slugs(client, q="原来") == [] and slugs(client, q="改写") == ["a"]
    publishing.unpublish(article, chief, "撤稿")
    assert slugs(client, q="改写") == []
    article.delete()
    assert not SearchDocument.objects.filter(object_id=article.pk).exists()


def test_list_with_a_query_runs_a_constant_number_of_queries(client, editor, django_assert_max_num_queries):
    from django.core.cache import cache

    counts = []
    for n in (2, 12):
        for i in range(n):
            make(editor, f"n{n}-{i}", f"渔港{i}", "灯塔")
        cache.clear()
        # With the database cache and its savepoints: 41 on both databases.
        with django_assert_max_num_queries(41) as captured:
            assert client.get(reverse("showcase:list"), {"q": "渔港 灯塔"}).status_code == 200
        own = [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
        # regions, years, the capped count of matches with the first window's date
        # (search.ranked_ids), the ranked ids (no count: the list of ids is counted), the page's
        # rows, their photos, the current campaign (the column's name as the heading), the site
        # settings; on PostgreSQL the plan's setting travels with the statements (search.backends)
        assert len(own) <= 8, own
        counts.append(len(own))
    assert counts[0] == counts[1]


def test_admin_search_finds_two_characters_through_the_index(editor):
    a, b = SubmissionFactory(org_name="渔港党支部"), SubmissionFactory(org_name="果园党支部")
    for entry in (a, b):
        search.index("submission", entry.pk, entry.org_name, "")
    found, duplicates = search.admin_search(Submission.objects.all(), "渔港", "submission")
    assert list(found) == [a] and duplicates is False
    assert list(search.admin_search(Submission.objects.all(), "，", "submission")[0]) == []


def test_the_index_is_the_one_of_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_body_gin'")
            assert "USING gin (body_vector)" in cursor.fetchone()[0]
            # The column's own (migration 0021): the articles' documents only.
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_showcase_body_gin'")
            assert "USING gin (body_vector) WHERE ((kind)::text = 'showcase'::text)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert "fts5" in cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_search_plan_setting_ends_with_its_statements(editor):
    """On PostgreSQL each search statement carries `SET LOCAL enable_seqscan = off`: outside a
    transaction it ends with the statement, so the next query on the connection plans as usual.
    On SQLite there is no setting: the statements are sent as they are."""
    make(editor, "a", "渔港党支部", "灯塔")
    ids, since = search.ranked_ids(Showcase.objects.filter(state="published"), "渔港")
    assert ids == [Showcase.objects.get(slug="a").pk] and since is None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
        else:
            assert search.backend().planned("SELECT 1") == "SELECT 1"
