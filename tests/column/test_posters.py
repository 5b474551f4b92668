"""A poster worth sharing (issue 27, item 9): lines broken by Chinese rules (禁则), a quoted brand
name kept whole, no empty band, the paper's masthead and the column's name. The rules are asserted
on the layout's lines over many titles, and the drawn poster is checked to carry those lines."""

import functools
import io
import itertools
import re

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from submissions.column import linebreak, posters
from submissions.models import Showcase, Status
from submissions.newsroom import publishing
from tests.factories import add_photo, published_showcase, submission_in

# Written out here, not taken from the code under test.
OPENING = "“‘《（【「『〔"
CLOSING = "”’》）】」』〕，。、！？：；…"
COLUMN = "优秀党建品牌巡展"
PLACES = [
    "幸福里社区",
    "东站收费站",
    "泉城示范高速公司东站收费站党支部",
    "青岛港",
    "黄河三角洲农业高新技术产业示范区机关党委",
    "村",
]
BRANDS = ["幸福家园", "零距离", "红色引擎·幸福驿站", "党旗红", "一线连心桥工作法", "暖"]
PATTERNS = [
    "{place}：打造“{brand}”品牌",
    "{place}打造“{brand}”特色党建品牌",
    "{place}：以“{brand}”凝聚人心，让党员在居民身边亮身份、办实事、解难题……",
    "“{brand}”：{place}的党建故事（上）",
    "{place}《{brand}》工作法：服务群众“最后一公里”！",
    "{place}：“{brand}”“红色管家”双轮驱动，2024年服务群众12000余人次",
]
TITLES = [pattern.format(place=place, brand=brand) for pattern, place, brand in itertools.product(PATTERNS, PLACES, BRANDS)]
SUMMARY = "近年来，该党支部坚持党建引领，把服务送到群众家门口，形成了“零距离”服务品牌，群众满意度持续提升。"
WIDTH = posters.WIDTH - 2 * posters.MARGIN
_FONT = functools.cache(posters._font)


def _width(text, size, bold):
    """A text's width in pixels in the poster's font."""
    return _FONT(size, bold).getlength(text)


def test_there_are_enough_different_titles():
    assert len(set(TITLES)) >= 50
    assert min(map(len, TITLES)) < 15 and max(map(len, TITLES)) > 50


def _measure(size, bold=True):
    return lambda text: _width(text, size, bold)


def _assert_by_the_rules(lines, headline, measure, width, cut):
    assert lines, headline
    for number, line in enumerate(lines):
        assert line[-1] not in OPENING, (headline, lines)
        if number:
            assert line[0] not in CLOSING, (headline, lines)
        assert measure(line) <= width, (headline, line)
    if cut:
        assert lines[-1].endswith("…") and headline.startswith("".join(lines)[:-1])
    else:
        assert "".join(lines) == headline  # nothing lost, nothing added
        # every quoted name short enough for a line is on one line
        for quoted in _quoted(headline):
            if measure(quoted) <= width:
                assert any(quoted in line for line in lines), (quoted, lines)


def _quoted(text):
    names, start = [], None
    for index, char in enumerate(text):
        if char in "“《":
            start = index
        elif char in "”》" and start is not None:
            names.append(text[start : index + 1])
            start = None
    return names


@pytest.mark.parametrize("size", [72, 52, 44, 34])
def test_break_lines_keeps_the_rules(size):
    measure = _measure(size)
    for title in TITLES:
        lines = linebreak.break_lines(title, measure, WIDTH)
        _assert_by_the_rules(lines, title, measure, WIDTH, cut=False)


def test_break_lines_cut_to_a_number_of_lines():
    measure = _measure(52)
    cut = 0
    for title in TITLES:
        lines = linebreak.break_lines(title, measure, 400, most=2)
        whole = linebreak.break_lines(title, measure, 400)
        assert len(lines) == min(2, len(whole))
        _assert_by_the_rules(lines, title, measure, 400, cut=len(whole) > 2)
        cut += len(whole) > 2
    assert 10 < cut < len(TITLES)  # both kinds were tried


def _greedy(text, measure, width):
    """Filling each line to the width, character by character: what the poster did before."""
    lines, line = [], ""
    for char in text:
        if measure(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


def test_the_brand_and_punctuation_cases_that_failed():
    measure = _measure(44)
    title = "幸福里社区：打造“幸福家园”品牌"
    # a width where filling to the edge leaves “ at a line's end …
    width = round(measure("幸福里社区：打造“"))
    assert _greedy(title, measure, width)[0].endswith("“")
    lines = linebreak.break_lines(title, measure, width)
    assert lines == ["幸福里社区：打造", "“幸福家园”品牌"]
    # … and one where it splits the name 幸福家 / 园
    width = round(measure("幸福里社区：打造“幸福家"))
    assert _greedy(title, measure, width)[0].endswith("幸福家")
    assert linebreak.break_lines(title, measure, width) == ["幸福里社区：打造", "“幸福家园”品牌"]
    # a closing mark never starts a line: it stays up with what it closes
    width = round(measure("一二三四五六"))
    assert _greedy("一二三四五六，七八。", measure, width)[1].startswith("，")
    assert linebreak.break_lines("一二三四五六，七八。", measure, width) == ["一二三四五", "六，七八。"]
    # a name longer than a line is broken like any text, still by the rules
    long_name = "“" + "党" * 30 + "”"
    lines = linebreak.break_lines(long_name, measure, width)
    assert "".join(lines) == long_name and len(lines) > 1
    assert [line for i, line in enumerate(lines) if line[-1] in OPENING or (i and line[0] in CLOSING)] == []


def _text(lines):
    return [line[0] for line in lines]


@pytest.mark.parametrize("has_photo", [True, False])
def test_layout_keeps_the_rules_and_fills_the_poster(has_photo):
    for title in TITLES:
        _assert_layout(title, has_photo)


def _assert_layout(title, has_photo):
    plan = posters.layout("大众日报", COLUMN, title, SUMMARY, _width, has_photo)
    assert [text for text, *_rest in plan.header] == ["大众日报", COLUMN]
    for text, size, bold, _colour, x, _y in plan.lines:
        assert x + _width(text, size, bold) <= posters.WIDTH - posters.MARGIN, text
    title_lines = [text for text, size, bold, *_rest in plan.lines if bold]
    body_lines = [text for text, size, bold, *_rest in plan.lines if not bold]
    assert 1 <= len(title_lines) <= 4 and 1 <= len(body_lines)
    for lines, text in [(title_lines, title), (body_lines, SUMMARY)]:
        for number, line in enumerate(lines):
            assert line[-1] not in OPENING and (number == 0 or line[0] not in CLOSING), lines
        assert "".join(lines) == text or "".join(lines).endswith("…")
    # no empty band: the block starts right below the header and ends right above the footer
    tops = [y for *_rest, y in plan.lines] + ([plan.photo[1]] if plan.photo else []) + ([plan.panel[1]] if plan.panel else [])
    assert min(tops) - posters.HEADER_HEIGHT <= 80
    bottom = max(plan.text_bottom, *(box[1] + box[3] for box in (plan.photo, plan.panel) if box))
    assert plan.footer_top - bottom <= 80, (title, plan.footer_top, bottom)
    assert (plan.photo is not None) == has_photo and (plan.panel is not None) != has_photo


def test_a_long_masthead_or_column_is_fitted_on_one_line():
    plan = posters.layout("大众日报" * 10, COLUMN * 5, "标题", SUMMARY, _width, True)
    for text, size, bold, _y in plan.header:
        assert _width(text, size, bold) <= WIDTH and text.endswith("…")


@pytest.fixture
def article(editor, chief):
    entry = submission_in(Status.ACCEPTED, org_name="幸福里社区党委", brand_name="幸福家园")
    add_photo(entry, caption="党员服务队")
    draft = publishing.draft_from_entry(entry, editor=editor, short_name="幸福里社区")
    publishing.sign_off(draft, chief)
    publishing.publish(draft, chief)
    draft.refresh_from_db()
    return draft


def _drawn(client, article, monkeypatch):
    drawn = []
    real = ImageDraw.ImageDraw.text
    monkeypatch.setattr(
        ImageDraw.ImageDraw, "text", lambda pen, xy, text, *a, **kw: drawn.append((text, xy)) or real(pen, xy, text, *a, **kw)
    )
    response = client.get(reverse("showcase:poster-image", args=[article.slug]))
    assert response.status_code == 200
    return Image.open(io.BytesIO(b"".join(response.streaming_content))), drawn


def _longest_blank_band(image, top, bottom):
    """The most rows in a row, between top and bottom, that are plain paper."""
    grey = image.convert("L")
    longest = run = 0
    for y in range(top, bottom):
        row = grey.crop((0, y, image.width, y + 1))
        run = run + 1 if row.getextrema()[0] >= 245 else 0
        longest = max(longest, run)
    return longest


@pytest.mark.django_db
@pytest.mark.parametrize("with_photo", [True, False])
def test_the_poster_draws_the_layout_without_an_empty_band(client, article, monkeypatch, with_photo):
    if not with_photo:
        article.photos.all().delete()
    article = Showcase.objects.get(pk=article.pk)
    image, drawn = _drawn(client, article, monkeypatch)
    assert image.size == (750, 1200)
    texts = [text for text, _xy in drawn]
    assert texts[:2] == [article.source, article.campaign.column_name] == ["大众日报", COLUMN]  # the masthead, the column
    headline = article.title.split("|", 1)[1]
    assert headline.startswith("幸福里社区打造“幸福家园”")
    date = next(index for index, text in enumerate(texts) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))
    lines = texts[2:date]  # the headline's lines, then the summary's
    count = next(k for k in range(1, len(lines) + 1) if "".join(lines[:k]) == headline)
    title_lines = lines[:count]
    assert any("“幸福家园”" in line for line in title_lines), title_lines  # the name is not split
    assert [line for line in lines if line[-1] in OPENING] == [] and [line for line in lines[1:] if line[0] in CLOSING] == []
    qr_top = drawn[date][1][1] - 20
    assert _longest_blank_band(image, posters.HEADER_HEIGHT, qr_top) <= 90


@pytest.mark.django_db
def test_an_old_poster_is_not_served_after_the_layout_changes(monkeypatch):
    article = published_showcase()
    before = posters.name_for(article)
    monkeypatch.setattr(posters, "LAYOUT_VERSION", posters.LAYOUT_VERSION + 1)
    assert posters.name_for(article) != before
