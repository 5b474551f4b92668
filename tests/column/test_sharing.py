"""Share posters (分享海报), the print and copy-link links, and reading counts (阅读量)."""

import io
import re

import pytest
import zxingcpp
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from submissions.column import posters, viewcounts
from submissions.models import Showcase, ShowcaseViews, Status
from submissions.newsroom import publishing
from submissions.platform import pagecache
from tests.factories import add_photo, published_showcase, submission_in

pytestmark = pytest.mark.django_db
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.40"


@pytest.fixture
def article(editor, chief):
    entry = submission_in(Status.ACCEPTED, org_name="泉城示范高速公司东站收费站党支部", brand_name="零距离")
    add_photo(entry, caption="党员服务队在收费广场")
    draft = publishing.draft_from_entry(entry, editor=editor, short_name="东站收费站")
    publishing.sign_off(draft, chief)
    publishing.publish(draft, chief)
    draft.refresh_from_db()
    return draft


def _poster(client, article):
    response = client.get(reverse("showcase:poster-image", args=[article.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_poster_decodes_to_the_articles_address(client, article, settings):
    settings.SITE_URL = "https://news.example.cn"
    image = _poster(client, article)
    assert image.format == "JPEG" and image.size == (750, 1200)
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [f"https://news.example.cn/showcase/{article.slug}/"]
    # The first photo is on it: the photo's band is not blank paper.
    band = image.crop((48, 300, 702, 500)).convert("L")
    assert band.getextrema() != (255, 255)


def _glyph(font, char):
    image = Image.new("L", (80, 80))
    ImageDraw.Draw(image).text((10, 10), char, font=font, fill=255)
    return image.tobytes()


def _draws_chinese(font):
    """Two different characters drawn differently: not both the font's empty box (tofu)."""
    return _glyph(font, "党") != _glyph(font, "建")


def test_every_chinese_text_on_the_poster_is_drawn_with_a_cjk_font(client, article, monkeypatch):
    assert not _draws_chinese(ImageFont.load_default(28))  # what the check tells apart: tofu
    drawn = []
    real = ImageDraw.ImageDraw.text
    monkeypatch.setattr(
        ImageDraw.ImageDraw,
        "text",
        lambda pen, xy, text, *a, **kw: drawn.append((text, kw.get("font"))) or real(pen, xy, text, *a, **kw),
    )
    _poster(client, article)
    chinese = [(text, font) for text, font in drawn if re.search(r"[\u4e00-\u9fff]", text)]
    assert {"长按识别二维码", "阅读全文"} <= {text for text, _font in chinese}
    assert [text for text, font in chinese if font is None or not _draws_chinese(font)] == []


def _stored_posters(article):
    return default_storage.listdir(f"posters/{article.pk}")[1]


def test_poster_is_made_once_per_version(client, article, monkeypatch):
    drawn = []
    real = posters.draw
    monkeypatch.setattr(posters, "draw", lambda *a: drawn.append(1) or real(*a))
    _poster(client, article)
    _poster(client, article)
    assert len(drawn) == 1
    (first,) = _stored_posters(article)
    assert re.fullmatch(r"[0-9a-f]{16}\.jpg", first)
    article.summary = "新的摘要"
    article.save()
    _poster(client, Showcase.objects.get(pk=article.pk))
    assert len(drawn) == 2
    (second,) = _stored_posters(article)  # the old version's poster is removed
    assert second != first and re.fullmatch(r"[0-9a-f]{16}\.jpg", second)


def test_lines_are_cut_with_an_ellipsis():
    pen = posters.ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = posters._font(28)
    lines = posters._lines(pen, "党建" * 100, font, 300, 2)
    assert len(lines) == 2 and lines[1].endswith("…") and not lines[0].endswith("…")
    assert posters._lines(pen, "短句", font, 300, 2) == ["短句"]


def test_poster_page_and_links_work_without_script(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{reverse("showcase:poster", args=[article.slug])}">分享海报</a>' in html
    assert f'href="{reverse("showcase:print", args=[article.slug])}" data-print>打印</a>' in html
    page = client.get(reverse("showcase:poster", args=[article.slug])).content.decode()
    assert f'src="{reverse("showcase:poster-image", args=[article.slug])}"' in page and "长按图片保存" in page
    printed = client.get(reverse("showcase:print", args=[article.slug]))
    assert printed.status_code == 200 and article.title in printed.content.decode()


def test_copy_link_is_the_articles_address(client, article, settings):
    html = client.get(article.get_absolute_url()).content.decode()
    url = f"{settings.SITE_URL}{article.get_absolute_url()}"
    assert f'<a class="btn btn-sm btn-outline-secondary" href="{url}" data-copy-link="{url}"' in html


@pytest.mark.parametrize("name", ["showcase:poster", "showcase:poster-image", "showcase:print"])
def test_unpublished_articles_have_no_poster_or_print(client, article, chief, name):
    publishing.unpublish(article, chief, "撤稿")
    assert client.get(reverse(name, args=[article.slug])).status_code == 404


def test_unpublished_articles_have_no_count(article, chief):
    publishing.unpublish(article, chief, "撤稿")
    assert _read(article).status_code == 404  # the token is given without a query; the count is refused
    assert viewcounts.flush([article.pk]) == 0


def _own(captured):
    """The queries of the page itself, not the database cache's reads and writes."""
    return [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def test_poster_page_queries(client, article, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as captured:
        assert client.get(reverse("showcase:poster", args=[article.slug])).status_code == 200
    assert len(_own(captured)) <= 3, _own(captured)  # the article, its photos, the site settings


def _read(article, ua=PHONE, ip="10.0.0.1", count=False):
    """The beacon as static/js/article.js sends it: ask for the read token, post it back."""
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    url = reverse("showcase:read", args=[article.slug])
    token = client.get(url).json()["token"]
    return client.post(url + ("?count=1" if count else ""), {"token": token})


def test_reads_are_counted_once_per_client_without_bots(article):
    assert _read(article).status_code == 204
    assert _read(article).status_code == 204  # a reload: not counted again
    _read(article, ip="10.0.0.2")
    _read(article, ua=PHONE + " other")  # another user agent from the same address: the same reader
    for bot in ["Googlebot/2.1", "Mozilla/5.0 (compatible; bingbot/2.0)", "curl/8.0", "python-requests/2.31", "", "Baiduspider"]:
        _read(article, ua=bot, ip="10.0.0.9")
    assert _read(article, ip="10.0.0.3", count=True).json() == {"views": 3}
    assert viewcounts.flush() == 3
    assert ShowcaseViews.objects.get(showcase=article).count == 3
    assert viewcounts.flush() == 0  # taken once
    _read(article, ip="10.0.0.4")
    assert viewcounts.flush() == 1 and ShowcaseViews.objects.get(showcase=article).count == 4


def test_a_busy_article_is_flushed_by_the_request(article, monkeypatch):
    monkeypatch.setattr(viewcounts, "FLUSH_AT", 3)
    for index in range(3):
        _read(article, ip=f"10.0.1.{index}")
    assert ShowcaseViews.objects.get(showcase=article).count == 3


def test_counting_does_not_touch_the_page_cache(client, article):
    first = client.get(article.get_absolute_url()).content
    version = pagecache.version()
    for index in range(5):
        _read(article, ip=f"10.0.2.{index}")
    viewcounts.flush()
    assert pagecache.version() == version
    assert client.get(article.get_absolute_url()).content == first  # same bytes for every reader
    pagecache.bump()  # the next render (any edit, or the page's time in the cache) shows the count
    assert "阅读量 <span data-views>5</span>" in client.get(article.get_absolute_url()).content.decode()


def test_beacon_queries(article, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as captured:  # with the database cache's own reads and writes
        _read(article)
    assert len(_own(captured)) == 1, _own(captured)  # the article; the count itself is in the cache


def test_admin_list_shows_the_count(client, article, editor):
    ShowcaseViews.objects.create(showcase=article, count=1234)
    client.force_login(editor)
    html = client.get(reverse("admin:submissions_showcase_changelist")).content.decode()
    assert "阅读量" in html and '<td class="field-views_column">1234</td>' in html


def test_cleanup_media_keeps_the_posters_of_existing_articles(client, article, settings):
    import os
    import time

    from django.core.management import call_command

    _poster(client, article)
    (kept,) = _stored_posters(article)
    name = f"posters/{article.pk}/{kept}"
    stray = default_storage.save("posters/999999/old.jpg", io.BytesIO(b"x"))
    for stored in (name, stray):
        old = time.time() - 7200
        os.utime(default_storage.path(stored), (old, old))
    call_command("cleanup_media", stdout=io.StringIO())
    assert default_storage.exists(name) and not default_storage.exists(stray)


def test_one_address_reading_many_articles_counts_a_bounded_number(article, monkeypatch):
    monkeypatch.setattr(viewcounts, "ADDRESS_LIMIT", 3)
    for other in [article] + [published_showcase() for _ in range(4)]:
        _read(other, ip="10.0.3.1")
    assert viewcounts.flush() == 3
