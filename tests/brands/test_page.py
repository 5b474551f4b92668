"""The brand's page /brands/<slug>/: its names, slogan and brand idea from the latest entry, its live
articles across campaigns and years (newest first, reading counts and their total), their videos,
its awards in force with the campaign's result, the experts' commentaries; nothing of an article
taken down; a 404 once none is live; a constant number of queries."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from submissions.models import Brand, Showcase, ShowcaseViews, Status, Video
from submissions.newsroom import publishing
from submissions.platform import public_media
from submissions.results import services as results
from submissions.workflow import roles
from tests.brands.helpers import BRAND, ORG, article_of, campaign_of
from tests.factories import article_in, make_user, submission_in
from tests.video import clips
from tests.video.clips import ready_video

pytestmark = pytest.mark.django_db
clip = clips.clip  # the fixture: a phone's clip made with ffmpeg
A = Showcase.State


def page(client, brand):
    response = client.get(reverse("brands:detail", args=[brand.slug]))
    return response.status_code, response.content.decode()


def own_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def test_the_page_shows_the_brand_across_two_campaigns_with_years_and_reading_counts(client):
    older = article_of(campaign_of(2024, title="2024年度征集"), brand_slogan="码头就是阵地")
    newer = article_of(campaign_of(2025, title="2025年度征集"), brand_slogan="先锋在码头", brand_idea="党员冲在装卸一线。")
    ShowcaseViews.objects.create(showcase=older, count=120)
    ShowcaseViews.objects.create(showcase=newer, count=35)
    status, html = page(client, Brand.objects.get())
    assert status == 200
    assert f"{ORG}“{BRAND}”" in html
    assert "先锋在码头" in html and "码头就是阵地" not in html  # the latest entry's slogan
    assert "党员冲在装卸一线。" in html
    assert html.index(newer.title) < html.index(older.title)  # newest first
    assert "2024年度征集" in html and "2025年度征集" in html
    assert "2024年" in html and "2025年" in html
    assert "阅读量 120" in html and "阅读量 35" in html
    assert "总阅读量 155" in html
    assert newer.get_absolute_url() in html and older.get_absolute_url() in html


def test_an_unpublished_article_is_hidden_and_with_none_live_the_page_is_a_404(client):
    kept = article_of(campaign_of(2024))
    gone = article_of(campaign_of(2025))
    brand = Brand.objects.get()
    chief = make_user(roles.CHIEF, username="factory-chief")
    publishing.unpublish(gone, chief, "核实中")
    status, html = page(client, brand)
    assert status == 200 and kept.title in html and gone.title not in html
    publishing.unpublish(kept, chief, "核实中")
    assert page(client, brand)[0] == 404  # the row stays; its page returns with a publication
    assert client.get("/brands/nosuchbr/").status_code == 404
    assert client.get("/brands/" + "x" * 300 + "/").status_code == 404


def test_the_award_in_force_and_the_campaign_s_result(client, signing, django_capture_on_commit_callbacks):
    campaign = campaign_of(2024, slug="honours-2024")
    article = article_of(campaign)
    editor = make_user(roles.EDITOR, username="results-editor")
    with django_capture_on_commit_callbacks(execute=True):
        award = results.issue_award(article.submission, actor=editor)
    status, html = page(client, Brand.objects.get())
    assert status == 200
    assert f"证书编号 {award.number}" in html
    assert reverse("results:verify", args=[award.number]) in html
    assert reverse("results:campaign", args=["honours-2024"]) in html
    with django_capture_on_commit_callbacks(execute=True):
        results.revoke(award, actor=make_user(roles.CHIEF, username="results-chief"), reason="撤销。")
    assert award.number not in page(client, Brand.objects.get())[1]  # revoked: not an honour any more


def test_the_query_count_is_the_same_for_one_and_five_articles(client, django_assert_max_num_queries):
    counts = []
    for n in (1, 5):
        for index in range(n if not counts else n - 1):
            article = article_of(campaign_of(2015 + len(counts) * 10 + index))
            ShowcaseViews.objects.create(showcase=article, count=index)
        brand = Brand.objects.get()
        cache.clear()
        with django_assert_max_num_queries(40) as captured:  # the database cache's own reads and writes included
            status, html = page(client, brand)
        assert status == 200 and html.count("data-article=") == n
        counts.append(len(own_queries(captured)))
    assert counts[0] == counts[1] <= 6, (counts, own_queries(captured))
    with django_assert_max_num_queries(3):  # warm: the cache's own reads only
        page(client, brand)


def test_a_new_publication_shows_at_once_on_the_cached_page(client):
    article_of(campaign_of(2024))
    brand = Brand.objects.get()
    page(client, brand)
    later = article_of(campaign_of(2025))
    assert later.title in page(client, brand)[1]


def test_the_videos_of_its_articles_play_as_in_the_article(client, clip):
    article = article_of(campaign_of(2024))
    ready_video(article.submission, clip, showcase=article, caption="码头上的党员先锋岗")
    ready_video(article.submission, clip, caption="没有放进文章的视频")  # not in the article: not shown
    video = Video.objects.get(showcase=article)
    html = page(client, Brand.objects.get())[1]
    assert html.count("<video ") == 1
    assert f'<source src="{public_media.url(video.mp4)}" type="video/mp4">' in html
    assert "<figcaption>码头上的党员先锋岗</figcaption>" in html and "没有放进文章的视频" not in html


def test_the_experts_accepted_commentaries_with_the_expert_credited(client):
    from tests.experts import helpers as experts

    entry = submission_in(Status.ACCEPTED, campaign=campaign_of(2024), org_name=ORG, brand_name=BRAND)
    experts.accepted(entry=entry)
    article_in(A.PUBLISHED, submission=entry)
    html = page(client, Brand.objects.get())[1]
    assert experts.TEXT in html
    assert "陈明，教授，中共山东省委党校" in html
    assert 'href="/experts/chen-ming/"' in html  # the expert's own page
