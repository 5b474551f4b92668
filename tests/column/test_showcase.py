"""The public column: the article's anatomy, 404s, list filters and search, feed, sitemap, cache, queries."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from submissions.models import Kind, Region, RelatedLink, Showcase, ShowcaseSection, SiteSettings, Status
from submissions.newsroom import publishing
from tests.factories import ShowcaseFactory, SubmissionFactory, add_photo, make_user, published_showcase, submission_in

A = Showcase.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor, chief):
    entry = submission_in(Status.ACCEPTED, org_name="泉城示范高速公司东站收费站党支部", brand_name="零距离")
    add_photo(entry, caption="党员服务队在收费广场")
    draft = publishing.draft_from_entry(
        entry, editor=editor, short_name="东站收费站", reporters="王晓 刘洋", interns="孙悦", correspondents="周明"
    )
    draft.expert_commentary = "做法实、成效显。"
    draft.expert_name = "陈教授"
    draft.save()
    RelatedLink.objects.create(showcase=draft, title="征集活动启事", url="https://example.com/call")
    publishing.edited(draft, editor)
    editor.first_name, chief.first_name = "王编辑", "李签审"
    editor.save()
    chief.save()
    publishing.sign_off(draft, chief)
    publishing.publish(draft, chief)
    Showcase.objects.filter(pk=draft.pk).update(published_at=datetime(2021, 1, 13, 10, 11, 51, tzinfo=UTC))
    draft.refresh_from_db()
    return draft


def test_article_page_has_the_whole_anatomy(client, article, settings):
    page = client.get(article.get_absolute_url()).content.decode()
    html = page[page.find("<article") :]
    order = [
        "优秀党建品牌巡展|东站收费站打造“零距离”特色党建品牌",
        "大众日报记者 王晓 刘洋",
        "2021-01-13 18:11:51 发布来源:大众日报",
        "编者按",
        "本期展示的，是泉城示范高速公司东站收费站党支部打造的“零距离”党建品牌。",
        "近年来，该党支部坚持党建引领。",
        "做法1",
        "做法2",
        "党员服务队在收费广场",
        "专家点评",
        "做法实、成效显。",
        "先后获得全省先进基层党组织称号。",
        "征集活动持续进行中，欢迎报送。",
        "相关链接",
        "征集活动启事",
        "（大众日报客户端记者 王晓 刘洋 实习生 孙悦 通讯员 周明 报道）",
        "责任编辑: 王编辑",
        "签审: 李签审",
        'id="comments"',
        "鲁ICP备00000000号",
    ]
    positions = [html.find(part) for part in order]
    assert -1 not in positions, [p for p, i in zip(order, positions, strict=True) if i == -1]
    assert positions == sorted(positions)
    html = page
    canonical = f"{settings.SITE_URL}{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    photo = article.photos.get().photo
    assert f'<meta property="og:image" content="{settings.SITE_URL}{photo.display.url}">' in html
    assert '<meta property="og:title" content="优秀党建品牌巡展|东站收费站打造“零距离”特色党建品牌">' in html
    assert '<meta property="og:description" content="近年来，该党支部坚持党建引领。">' in html
    assert "css/article." in html and "js/article." in html and "style=" not in html and "<script>" not in html


def test_published_photo_is_public(client, article):
    photo = article.photos.get().photo
    assert client.get(photo.display.url).status_code == 200


@pytest.mark.parametrize("state", ["draft", "signed_off", "unpublished"])
def test_unpublished_article_is_404(client, editor, chief, state):
    draft = publishing.draft_from_entry(submission_in(Status.ACCEPTED), editor=editor)
    if state != "draft":
        publishing.sign_off(draft, chief)
    if state == "unpublished":
        publishing.publish(draft, chief)
        assert client.get(draft.get_absolute_url()).status_code == 200
        publishing.unpublish(draft, chief, "核实中")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.title not in client.get(reverse("showcase:list")).content.decode()
    assert client.get(reverse("showcase:comment", args=[draft.slug]), follow=False).status_code == 405
    assert client.post(reverse("showcase:comment", args=[draft.slug]), {"name": "a", "body": "b"}).status_code == 404


def _published(n, photo=None, **entry):
    made = []
    for _i in range(n):
        article = published_showcase(submission=SubmissionFactory(**entry))
        ShowcaseSection.objects.create(showcase=article, heading="做法", body="正文")
        if photo is not None:
            article.photos.create(photo=photo, caption="图")
        made.append(article)
    return made


def _card(article):
    """An article's title on a list card: without the column's name (the list's heading names it)."""
    column, headline = article.title.split("|", 1)
    assert column == "优秀党建品牌巡展" and headline
    return f'<span class="showcase-title">{headline}</span>'


def test_list_is_newest_first_and_paginated(client):
    articles = _published(12)
    for index, item in enumerate(articles):
        Showcase.objects.filter(pk=item.pk).update(published_at=datetime(2024, 1, 1 + index, tzinfo=UTC))
    html = client.get(reverse("showcase:list")).content.decode()
    assert -1 < html.find(_card(articles[11])) < html.find(_card(articles[10])) < html.find(_card(articles[2]))
    assert _card(articles[1]) not in html and "1 / 2" in html
    second = client.get(reverse("showcase:list"), {"page": 2}).content.decode()
    assert _card(articles[1]) in second and _card(articles[0]) in second and _card(articles[11]) not in second


def test_list_filters_by_kind_city_and_year_and_searches_chinese(client, editor):
    qingdao = Region.objects.get(name="青岛")
    [practice] = _published(1)
    [pioneer] = _published(1, kind=Kind.PIONEER, region=qingdao)
    Showcase.objects.filter(pk=pioneer.pk).update(published_at=datetime(2023, 5, 1, tzinfo=UTC))
    ShowcaseSection.objects.filter(showcase=pioneer).update(body="扎根渔港十余年的老党员")
    pioneer.refresh_from_db()
    publishing.edited(pioneer, editor)  # fills the search text; a change: back for sign-off
    chief = make_user("chief", username="list-chief")
    publishing.sign_off(pioneer, chief)
    publishing.publish(pioneer, chief)
    Showcase.objects.filter(pk=pioneer.pk).update(published_at=datetime(2023, 5, 1, tzinfo=UTC))

    def titles(**query):
        html = client.get(reverse("showcase:list"), query).content.decode()
        return {a.title for a in (practice, pioneer) if a.get_absolute_url() in html}  # titles may be marked up

    assert titles() == {practice.title, pioneer.title}
    assert titles(kind="pioneer") == {pioneer.title}
    assert titles(region=qingdao.code) == {pioneer.title}
    assert titles(year="2023") == {pioneer.title}
    assert titles(q="渔港") == {pioneer.title}  # a Chinese term from the text
    assert titles(q=practice.title.split("|")[1].split("“")[0]) == {practice.title}  # from the title
    assert titles(q="没有这个词") == set()
    refused = client.get(reverse("showcase:list"), {"kind": "nonsense", "year": "abc", "region": qingdao.code})
    assert refused.status_code == 302 and refused["Location"] == f"/showcase/?region={qingdao.code}"  # bad filters dropped
    assert titles(kind="nonsense", year="abc") == set()  # a redirect, not a page of its own


@pytest.mark.parametrize("url_name", ["showcase:list", "showcase:detail"])
def test_pages_run_a_constant_number_of_queries(client, django_assert_max_num_queries, url_name):
    """Cold cache, with 3 and with 15 articles (each with sections, a photo and comments)."""
    from django.core.cache import cache

    photo = add_photo(SubmissionFactory())
    counts = []
    for n in (3, 15):
        made = _published(n, photo=photo)
        for item in made:
            item.comments.create(name="读者", body="好", state="approved")
            item.links.create(title="链接", url="https://example.com/")
        url = reverse(url_name, args=[made[0].slug] if url_name == "showcase:detail" else [])
        cache.clear()
        with django_assert_max_num_queries(
            40
        ) as captured:  # the database cache's own reads and writes included (parts, whole page, list choices)
            assert client.get(url).status_code == 200
        own = [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
        # 7 on the list (the current campaign names the column); 8 on an article, whose experts'
        # commentaries (专家点评, submissions/experts) are read in one query of their own
        assert len(own) <= (8 if url_name == "showcase:detail" else 7), own
        counts.append((len(captured), len(own)))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(3):  # warm: the cache's own reads only
        client.get(url)


def test_feed_lists_published_articles(client, article):
    draft = ShowcaseFactory()
    response = client.get(reverse("showcase:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert article.title in xml and article.get_absolute_url() in xml and draft.title not in xml
    assert "<pubDate>" in xml


def test_sitemap_and_robots(client, article):
    draft = ShowcaseFactory()
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-articles.xml</loc>" in index and "/sitemap-pages.xml</loc>" in index
    xml = client.get("/sitemap-articles.xml").content.decode()
    assert article.get_absolute_url() in xml and draft.get_absolute_url() not in xml
    assert reverse("showcase:list") in client.get("/sitemap-pages.xml").content.decode()
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in robots.content.decode() and "/sitemap.xml" in robots.content.decode()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and "/static/img/favicon" in icon["Location"]


def test_cache_is_refreshed_by_every_change(client, article, editor, chief):
    url = article.get_absolute_url()
    assert "做法1" in client.get(url).content.decode()
    # an edit (of a section)
    ShowcaseSection.objects.filter(showcase=article, heading="做法1").update(heading="x")  # no signal: stays cached
    assert "做法1" in client.get(url).content.decode()
    section = article.sections.get(heading="x")
    section.heading = "改过的小标题"
    section.save()
    assert "改过的小标题" in client.get(url).content.decode()
    # site settings
    settings_record = SiteSettings.load()
    settings_record.icp_number = "鲁ICP备12345678号"
    settings_record.save()
    assert "鲁ICP备12345678号" in client.get(url).content.decode()
    # an approved comment
    comment = article.comments.create(name="读者甲", body="写得好")
    assert "写得好" not in client.get(url).content.decode()
    publishing.moderate(article.comments.filter(pk=comment.pk), "approved", editor)
    assert "写得好" in client.get(url).content.decode()
    # unpublish: gone from the page and the list at once
    assert _card(article) in client.get(reverse("showcase:list")).content.decode()
    publishing.unpublish(article, chief, "核实中")
    assert client.get(url).status_code == 404
    assert _card(article) not in client.get(reverse("showcase:list")).content.decode()


def test_home_lists_recent_articles(client, article):
    assert article.title in client.get("/").content.decode()


def test_docx_export_in_house_layout(client, article, editor, reviewer):
    from io import BytesIO

    from docx import Document

    url = reverse("admin:submissions_showcase_docx", args=[article.pk])
    assert client.get(url).status_code == 302  # not logged in: to the login page
    client.force_login(reviewer)
    assert client.get(url).status_code in (302, 403)
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    document = Document(BytesIO(response.content))
    text = [p.text for p in document.paragraphs]
    assert text[0] == article.title
    assert "2021-01-13 18:11:51 发布来源:大众日报" in text
    assert any(t.startswith("编者按：本期展示的") for t in text)
    for part in ["做法1", "党员服务队在收费广场", "专家点评", "（大众日报客户端记者 王晓 刘洋 实习生 孙悦 通讯员 周明 报道）"]:
        assert part in text
    assert text[-1] == "责任编辑: 王编辑     签审: 李签审"
    assert len(document.inline_shapes) == 1


def test_article_layout_as_the_paper_prints_it(client, article):
    """Each paragraph its own <p> (the CSS indents each), the column named, the mailbox a link,
    the credits from the campaign's template with the article's override."""
    from submissions.models import Campaign

    article.sections.update(body="第一段。\n\n　　第二段。\n第三段。")
    Showcase.objects.filter(pk=article.pk).update(
        standing_call="欢迎报送。\n投稿邮箱：call@example.com", credits_medium="大众日报全媒体"
    )
    Campaign.objects.filter(pk=article.campaign_id).update(mailbox="call@example.com")
    from django.core.cache import cache

    cache.clear()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>第一段。</p><p>第二段。</p><p>第三段。</p>" in html
    assert '<p>投稿邮箱：<a href="mailto:call@example.com">call@example.com</a></p>' in html
    # the title begins with the column's name: printed once, not again as a label above it
    assert "优秀党建品牌巡展|东站收费站" in html and 'class="article-column"' not in html
    assert '<p class="article-credits">（大众日报全媒体记者 王晓 刘洋 实习生 孙悦 通讯员 周明 报道）</p>' in html
    assert "text-pre" not in html[html.find("<article") : html.find("</article>")]


def test_list_heading_is_the_column_name(client, article):
    html = client.get(reverse("showcase:list")).content.decode()
    assert '<h1 class="h4 mb-3">优秀党建品牌巡展</h1>' in html


def test_footer_labels_come_from_the_site_settings(client, article):
    from submissions.models import SiteSettings

    site = SiteSettings.load()
    site.icp_label, site.news_licence_label, site.news_licence = "备案号", "新闻许可证", "37000000001"
    site.save()
    from django.core.cache import cache

    cache.clear()
    html = client.get(reverse("showcase:list")).content.decode()
    assert '备案号：<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">鲁ICP备00000000号</a>' in html
    assert "新闻许可证：37000000001" in html


def test_paragraphs_escape_and_link_only_the_mailbox():
    from submissions.templatetags.article_tags import paragraphs

    html = paragraphs("<b>x</b>\n\n　　报送邮箱：a@b.cn。", "a@b.cn")
    assert html == '<p>&lt;b&gt;x&lt;/b&gt;</p><p>报送邮箱：<a href="mailto:a@b.cn">a@b.cn</a>。</p>'


def test_call_deadline_has_no_seconds(client, article):
    from django.utils import timezone

    from submissions.models import Campaign

    Campaign.objects.filter(pk=article.campaign_id).update(closes_at=datetime(2030, 5, 31, 9, 30, 15, tzinfo=UTC))
    html = client.get(reverse("calls:detail", args=[article.campaign.slug])).content.decode()
    assert "2030-05-31 17:30" in html and "2030-05-31 17:30:15" not in html
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
