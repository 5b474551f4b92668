"""The share poster (分享海报) of an article: what travels in WeChat's 朋友圈 is a picture.

One JPEG per article version, drawn with Pillow: the column's name, the headline, the first
photo, a two-line summary, the date, and a QR code to the article's address (segno). Made the
first time it is asked for and kept in the default storage under a name made of the article's
version and last change, so a new version gets a new poster and the old one is removed.

The font is a CJK font (Debian's fonts-noto-cjk): settings.POSTER_FONT / POSTER_FONT_BOLD if
set, else what `fc-match` finds for Noto Sans CJK SC (see docs/search.md, "Share posters").
"""

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

WIDTH, HEIGHT = 750, 1200  # WeChat's usual poster width; a phone screen's proportions
MARGIN = 48
RED, INK, GREY, PAPER = (192, 0, 0), (34, 34, 34), (96, 96, 96), (255, 255, 255)
PHOTO_HEIGHT = 420
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
    stamp = f"{article.pk}|{article.version}|{article.updated_at.isoformat()}|{published}|{settings.SITE_URL}|{get_language()}"
    return f"{FOLDER}/{article.pk}/{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.jpg"


def article_of(name):
    """The article id (as text) of a poster's storage name, or None for any other file."""
    parts = name.split("/")
    return parts[1] if len(parts) == 3 and parts[0] == FOLDER else None


def article_url(article):
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def _lines(draw, text, font, width, most):
    """`text` cut into at most `most` lines of `width` pixels, the last ending in … if cut."""
    lines, line = [], ""
    for char in " ".join(text.split()):
        if draw.textlength(line + char, font=font) <= width:
            line += char
            continue
        lines.append(line)
        line = char
        if len(lines) == most:  # and more text follows
            last = lines[-1]
            while last and draw.textlength(last + "…", font=font) > width:
                last = last[:-1]
            lines[-1] = last + "…"
            return lines
    return [*lines, line] if line else lines


def _photo(article):
    first = next(iter(article.photos.all()), None)
    if first is None:
        return None
    try:
        with first.photo.display.open("rb") as handle, Image.open(handle) as image:
            image.load()
            return ImageOps.fit(image.convert("RGB"), (WIDTH - 2 * MARGIN, PHOTO_HEIGHT), Image.Resampling.BICUBIC)
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


def draw(article, column, summary):
    """The poster as a Pillow image."""
    poster = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(poster)
    pen.rectangle([0, 0, WIDTH, 110], fill=RED)
    pen.text((MARGIN, 55), column, font=_font(40, bold=True), fill=PAPER, anchor="lm")
    y = 140
    headline = article.title.split("|", 1)[-1]
    title_font = _font(44, bold=True)
    for line in _lines(pen, headline, title_font, WIDTH - 2 * MARGIN, 3):
        pen.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 62
    y += 14
    photo = _photo(article)
    if photo is not None:
        poster.paste(photo, (MARGIN, y))
        y += PHOTO_HEIGHT + 24
    body_font = _font(28)
    for line in _lines(pen, summary, body_font, WIDTH - 2 * MARGIN, 2):
        pen.text((MARGIN, y), line, font=body_font, fill=GREY)
        y += 42
    qr = _qr(article_url(article))
    top = HEIGHT - MARGIN - qr.height
    poster.paste(qr, (WIDTH - MARGIN - qr.width, top))
    published = timezone.localtime(article.published_at or timezone.now()).strftime("%Y-%m-%d")
    small = _font(26)
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
