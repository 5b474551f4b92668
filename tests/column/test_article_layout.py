"""The article as the paper sets it (issue 27, item 8): the column's name printed once, 阅读量 at
the article's end (not on the time-and-source line), 相关链接 as one inline line, and justified
text without stretched lines."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from submissions.models import RelatedLink, Showcase
from tests.factories import published_showcase

pytestmark = pytest.mark.django_db
COLUMN = "优秀党建品牌巡展"


def _article_html(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    return page[page.find('<article class="article"') : page.find("</article>")]


def _published(title):
    article = published_showcase()
    Showcase.objects.filter(pk=article.pk).update(title=title)
    article.refresh_from_db()
    return article


@pytest.mark.parametrize("bar", ["|", "｜"])
def test_a_title_that_begins_with_the_column_has_no_label_above_it(client, bar):
    article = _published(f"{COLUMN}{bar}东站收费站打造“零距离”特色党建品牌")
    html = _article_html(client, article)
    assert html.count(COLUMN) == 1, html  # in the title, nowhere else in the article
    assert f'<h1 class="article-title">{COLUMN}{bar}东站' in html and "article-column" not in html


def test_a_title_without_the_column_keeps_the_label(client):
    article = _published("东站收费站打造“零距离”特色党建品牌")
    html = _article_html(client, article)
    label = f'<p class="article-column">{COLUMN}</p>'
    assert html.count(COLUMN) == 1 and label in html
    assert html.find(label) < html.find('<h1 class="article-title">东站收费站')


def test_a_title_that_only_mentions_the_column_keeps_the_label(client):
    article = _published(f"记{COLUMN}|东站收费站")  # not the column's name before the bar
    assert f'<p class="article-column">{COLUMN}</p>' in _article_html(client, article)


def test_list_cards_do_not_repeat_the_column(client):
    article = _published(f"{COLUMN}|东站收费站打造“零距离”特色党建品牌")
    other = _published("西站服务区：“暖心驿站”")
    html = client.get(reverse("showcase:list")).content.decode()
    assert f'<h1 class="h4 mb-3">{COLUMN}</h1>' in html  # the heading names the column
    listing = html[html.find('<ul class="showcase-list') :]
    assert COLUMN not in listing[: listing.find("</ul>")]
    assert '<span class="showcase-title">东站收费站打造“零距离”特色党建品牌</span>' in html
    assert '<span class="showcase-title">西站服务区：“暖心驿站”</span>' in html
    assert article.title not in html and other.title in html


def test_list_cards_found_by_search_keep_their_marks_without_the_column(client):
    article = _published(f"{COLUMN}|东站收费站打造“零距离”特色党建品牌")
    Showcase.objects.filter(pk=article.pk).update(search_text=f"{article.title} 近年来，该党支部坚持党建引领。")
    html = client.get(reverse("showcase:list"), {"q": "党建"}).content.decode()
    card = re.search(r'<span class="showcase-title">(.*?)</span>', html)
    assert card, html
    assert card.group(1) == "东站收费站打造“零距离”特色<mark>党建</mark>品牌"


def test_reading_count_is_at_the_end_not_on_the_source_line(client):
    article = published_showcase()
    html = _article_html(client, article)
    meta = re.search(r'<div class="article-meta">(.*?)</div>', html, re.S).group(1)
    assert "发布来源" in meta and "阅读量" not in meta and "data-read" not in meta
    views = f'<p class="article-views no-print" data-read="{reverse("showcase:read", args=[article.slug])}">阅读量 <span data-views>0</span></p>'
    assert views in html
    assert html.find("责任编辑") < html.find(views)  # after the last line of the article itself


def test_related_links_are_one_inline_line(client):
    article = published_showcase()
    RelatedLink.objects.create(showcase=article, title="征集活动启事", url="https://example.com/call")
    RelatedLink.objects.create(showcase=article, title="往期回顾", url="https://example.com/past")
    html = _article_html(client, Showcase.objects.get(pk=article.pk))
    line = re.search(r'<p class="article-links">(.*?)</p>', html, re.S)
    assert line, html
    text = re.sub(r"<[^>]+>", "", line.group(1))
    assert text == "相关链接：征集活动启事　往期回顾"
    assert '<a href="https://example.com/call" rel="noopener">征集活动启事</a>' in line.group(1)
    assert "<ul" not in html[html.find("article-links") :] and "<li" not in html[html.find("article-links") :]


def _rules(selector):
    css = re.sub(r"/\*.*?\*/", "", (Path(settings.BASE_DIR) / "static/css/article.css").read_text(), flags=re.S)
    found = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selector in [part.strip() for part in selectors.split(",")]:
            for declaration in body.split(";"):
                name, _colon, value = declaration.partition(":")
                if name.strip():
                    found[name.strip()] = value.strip()
    return found


def test_justified_text_is_never_stretched():
    paragraph = _rules(".article-body p")
    assert paragraph["text-align"] == "justify"
    assert paragraph["text-align-last"] == "start"  # the last line of a paragraph is not spread
    assert paragraph["text-justify"] == "inter-character"  # CJK: space between characters, not words
    assert paragraph["overflow-wrap"] == "anywhere"
    # a long address or e-mail breaks where it is, so the line before it is not spread
    for selector in (".article-body a", ".article-call p"):
        assert _rules(selector)["word-break"] == "break-all"
    assert _rules(".article-links")["overflow-wrap"] == "anywhere"
