"""The share poster (分享海报) of an article: what travels in WeChat's 朋友圈 is a picture.

One JPEG per article version, drawn with Pillow: the paper's masthead and the column's name, the
headline broken by Chinese rules (column/linebreak.py) and sized from its length, the first photo
filling what the text leaves (no empty band), the summary, the date, and a QR code to the
article's address (segno); `layout` is the pure part. Made the
first time it is asked for and kept in the default storage under a name made of the article's
version and last change, so a new version gets a new poster and the old one is removed.

The font is a CJK font (Debian's fonts-noto-cjk): settings.POSTER_FONT / POSTER_FONT_BOLD if
set, else what `fc-match` finds for Noto Sans CJK SC (see docs/search.md, "Share posters").
"""

import dataclasses
import functools
import hashlib
import io
import subprocess

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from submissions.column import linebreak
from submissions.models import SiteSettings

WIDTH, HEIGHT = 750, 1200  # WeChat's usual poster width; a phone screen's proportions
MARGIN = 48
RED, INK, GREY, PAPER, RULE = (192, 0, 0), (34, 34, 34), (96, 96, 96), (255, 255, 255), (220, 200, 200)
HEADER_HEIGHT, MASTHEAD_Y, RULE_Y, COLUMN_Y = 156, 56, 100, 128  # the red head: masthead, rule, column
PAD, GAP, FOOTER_GAP = 36, 28, 28
TITLE_SIZES = (52, 48, 44, 40)  # the headline as large as fits in TITLE_MOST lines
TITLE_SIZES_NO_PHOTO = (72, 64, 58, 52, 48, 44, 40)
TITLE_MOST, TITLE_MOST_NO_PHOTO = 3, 4
PANEL, PANEL_PAD = (250, 238, 234), 40
PHOTO_MIN, PHOTO_MAX = 300, 654
LAYOUT_VERSION = 2  # in the poster's storage name: a new layout makes new posters
QR_SIZE = 220
JPEG_QUALITY = 88
FOLDER = "posters"


@functools.cache
def font_file(bold=False):
    """(path, face index) of the CJK font."""
    configured = getattr(settings, "POSTER_FONT_BOLD" if bold else "POSTER_FONT", "")
    if configured:
        path, _colon, face = configured.partition(":")
        return path, int(face or 0)
    pattern = "Noto Sans CJK SC:bold" if bold else "Noto Sans CJK SC"
    try:
        found = subprocess.run(  # noqa: S603 - fixed arguments
            ["fc-match", "-f", "%{file}\n%{index}", pattern],  # noqa: S607 - fontconfig's own tool
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.split("\n")
        return found[0], int(found[1] or 0)
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        # No fontconfig: where Debian's fonts-noto-cjk puts it (face 2 is Simplified Chinese).
        return f"/usr/share/fonts/opentype/noto/NotoSansCJK-{'Bold' if bold else 'Regular'}.ttc", 2


def _font(size, bold=False):
    path, index = font_file(bold)
    return ImageFont.truetype(path, size, index=index)


def name_for(article):
    """The storage name of this version's poster (its version, last change, publication date,
    address and language in it)."""
    published = article.published_at.isoformat() if article.published_at else ""
    stamp = f"{LAYOUT_VERSION}|{article.pk}|{article.version}|{article.updated_at.isoformat()}|{published}|{settings.SITE_URL}|{get_language()}"
    return f"{FOLDER}/{article.pk}/{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.jpg"


def article_of(name):
    """The article id (as text) of a poster's storage name, or None for any other file."""
    parts = name.split("/")
    return parts[1] if len(parts) == 3 and parts[0] == FOLDER else None


def article_url(article):
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def _lines(draw, text, font, width, most):
    """`text` cut into at most `most` lines of `width` pixels by Chinese rules (linebreak), the
    last ending in … if cut."""
    return linebreak.break_lines(text, lambda line: draw.textlength(line, font=font), width, most)


@dataclasses.dataclass
class Layout:
    """Where everything goes on the poster: lines as (text, size, bold, colour, x, y) with y the
    line's top, the photo's box (or None), the footer's top. The text block is sized from the
    text and the photo takes what is left, so the poster has no empty band."""

    header: list  # (text, size, bold, y of the middle)
    lines: list
    photo: tuple | None  # (x, y, width, height)
    panel: tuple | None  # without a photo: the tinted box the headline sits in
    footer_top: int
    text_bottom: int


def layout(masthead, column, headline, summary, measure, has_photo, qr_size=QR_SIZE):
    """The poster's layout (pure: `measure(text, size, bold)` gives a text's width in pixels).
    The header carries the masthead (the paper's name) and the column's name; the headline is set
    as large as fits in its lines; the picture area (the photo, or without one a tinted panel
    holding the headline) takes what the text leaves between header and footer."""
    width = WIDTH - 2 * MARGIN
    header = [
        (*_fit_one(masthead, 52, 36, True, measure, width), True, MASTHEAD_Y),
        (*_fit_one(column, 30, 22, False, measure, width), False, COLUMN_Y),
    ]
    footer_top = HEIGHT - MARGIN - qr_size - FOOTER_GAP
    room = footer_top - HEADER_HEIGHT - 2 * PAD
    sizes, most = (TITLE_SIZES, TITLE_MOST) if has_photo else (TITLE_SIZES_NO_PHOTO, TITLE_MOST_NO_PHOTO)
    title_width = width if has_photo else width - 2 * PANEL_PAD
    for size in sizes:
        title = linebreak.break_lines(headline, lambda t, s=size: measure(t, s, True), title_width)
        if len(title) <= most:
            break
    else:
        title = linebreak.break_lines(headline, lambda t, s=size: measure(t, s, True), title_width, most)
    title_leading = round(size * 1.4)
    title_height = len(title) * title_leading
    summary_size = 28 if has_photo else 32
    body_leading = round(summary_size * 1.6)
    if has_photo:
        summary_most = 2 if len(title) == most else 3
    else:  # what the room holds below the smallest panel
        summary_most = max(1, min(6, (room - title_height - 2 * PANEL_PAD - GAP) // body_leading))
    body = linebreak.break_lines(summary, lambda t: measure(t, summary_size, False), width, summary_most)
    body_height = len(body) * body_leading
    gaps = (2 if has_photo else 1) * GAP if body else GAP
    picture = room - title_height - body_height - gaps if has_photo else room - body_height - (GAP if body else 0)
    picture = max(PHOTO_MIN if has_photo else title_height + 2 * PANEL_PAD, min(PHOTO_MAX, picture))
    block = (title_height if has_photo else 0) + picture + body_height + (gaps if has_photo else GAP if body else 0)
    y = HEADER_HEIGHT + PAD + max(0, (room - block) // 2)
    lines, photo, panel = [], None, None
    if has_photo:
        for line in title:
            lines.append((line, size, True, INK, MARGIN, y))
            y += title_leading
        y += GAP
        photo = (MARGIN, y, width, picture)
    else:
        panel = (MARGIN, y, width, picture)
        top = y + (picture - title_height) // 2 + round((title_leading - size) / 2)
        for number, line in enumerate(title):
            lines.append((line, size, True, INK, MARGIN + PANEL_PAD, top + number * title_leading))
    y += picture + (GAP if body else 0)
    for line in body:
        lines.append((line, summary_size, False, GREY, MARGIN, y))
        y += body_leading
    return Layout(header=header, lines=lines, photo=photo, panel=panel, footer_top=footer_top, text_bottom=y)


def _fit_one(text, largest, smallest, bold, measure, width):
    """(text, size): the largest size at which the text fits on one line, cut with … at the smallest."""
    text = " ".join(str(text or "").split())
    for size in range(largest, smallest - 1, -2):
        if measure(text, size, bold) <= width:
            return text, size
    while text and measure(text + "…", smallest, bold) > width:
        text = text[:-1]
    return text + "…", smallest


def _photo(article):
    first = next(iter(article.photos.all()), None)
    if first is None:
        return None
    try:
        with first.photo.display.open("rb") as handle, Image.open(handle) as image:
            image.load()
            image.thumbnail((2 * WIDTH, 2 * HEIGHT))
            return image.convert("RGB")
    except (OSError, ValueError):
        return None  # a missing file leaves the photo out, not the poster


def _qr(url):
    qr = segno.make_qr(url, error="m")
    modules = qr.symbol_size(scale=1, border=2)[0]
    scale = max(1, QR_SIZE // modules)
    image = Image.new("1", (modules, modules), 1)
    pixels = image.load()
    for y, row in enumerate(qr.matrix_iter(scale=1, border=2)):
        for x, dark in enumerate(row):
            if dark:
                pixels[x, y] = 0
    return image.resize((modules * scale, modules * scale), Image.Resampling.NEAREST).convert("RGB")


def masthead_of(article):
    """The paper's name at the poster's head: the article's 发布来源 (the campaign's by default),
    else the site's publisher."""
    return article.source or (article.campaign.source if article.campaign_id else "") or SiteSettings.load().publisher


def headline_of(article, column):
    """The title without the column's name it may begin with (the header carries the column)."""
    for bar in "|｜":
        head, found, rest = article.title.partition(bar)
        if found and rest and (head == column or len(head) <= 40):
            return rest
    return article.title


def draw(article, column, summary):
    """The poster as a Pillow image."""
    poster = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(poster)
    photo = _photo(article)
    qr = _qr(article_url(article))
    font = functools.cache(_font)  # this poster's own fonts: a font object is not shared between threads
    plan = layout(
        masthead_of(article),
        column,
        headline_of(article, column),
        summary,
        lambda text, size, bold: font(size, bold).getlength(text),
        photo is not None,
        qr.height,
    )
    pen.rectangle([0, 0, WIDTH, HEADER_HEIGHT], fill=RED)
    for text, size, bold, y in plan.header:
        pen.text((MARGIN, y), text, font=font(size, bold), fill=PAPER, anchor="lm")
    pen.line([MARGIN, RULE_Y, WIDTH - MARGIN, RULE_Y], fill=PAPER, width=2)
    if plan.panel is not None:
        x, y, width, height = plan.panel
        pen.rectangle([x, y, x + width, y + height], fill=PANEL)
        pen.rectangle([x, y, x + 8, y + height], fill=RED)
    for text, size, bold, colour, x, y in plan.lines:
        pen.text((x, y), text, font=font(size, bold), fill=colour)
    if plan.photo is not None:
        x, y, width, height = plan.photo
        poster.paste(ImageOps.fit(photo, (width, height), Image.Resampling.BICUBIC), (x, y))
    pen.line([MARGIN, plan.footer_top, WIDTH - MARGIN, plan.footer_top], fill=RULE, width=2)
    top = HEIGHT - MARGIN - qr.height
    poster.paste(qr, (WIDTH - MARGIN - qr.width, top))
    published = timezone.localtime(article.published_at or timezone.now()).strftime("%Y-%m-%d")
    small = font(26)
    pen.text((MARGIN, top + 20), published, font=small, fill=GREY)
    pen.text((MARGIN, top + 70), _("长按识别二维码"), font=small, fill=INK)
    pen.text((MARGIN, top + 110), _("阅读全文"), font=small, fill=INK)
    return poster


def poster_of(article, column, summary):
    """The storage name of the article's poster, made now if this version has none."""
    name = name_for(article)
    if default_storage.exists(name):
        return name
    buffer = io.BytesIO()
    draw(article, column, summary).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    saved = default_storage.save(name, ContentFile(buffer.getvalue()))
    if saved != name:  # made meanwhile by another request: keep that one
        default_storage.delete(saved)
    _remove_older(article, keep=name)
    return name


def _remove_older(article, keep):
    folder = f"{FOLDER}/{article.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (OSError, NotImplementedError):
        return
    for file in files:
        if f"{folder}/{file}" != keep:
            default_storage.delete(f"{folder}/{file}")
