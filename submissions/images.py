"""All image handling: checking an upload, and making the clean renditions that are stored.

An upload is judged by its content (Pillow's own detection), never by its name. Its pixel
count is checked from the header before anything is decoded, so decompression bombs are
refused cheaply; then it is decoded fully, so truncated files are refused. What is stored
is re-encoded from pixels only: EXIF orientation applied, every piece of metadata (GPS
included) dropped, under random names. The upload itself is never stored or served.
"""

import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MASTER_EDGE = 2560  # longest edge kept for print and the Word export
DISPLAY_WIDTH = 1080
THUMB_SIZE = (480, 360)
JPEG_QUALITY = 85

# Pillow's own guard stays on, set above ours so that ours speaks first with a clear message.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS * 2


@dataclass
class Renditions:
    image: ContentFile
    display: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    sha256: str


def _reject(message):
    raise ValidationError(message, code="invalid_image")


def open_checked(upload):
    """Open an upload as a fully decoded Pillow image, or raise ValidationError (in Chinese)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        _reject(_("图片“%(name)s”超过 10 MB，请压缩后再上传。") % {"name": getattr(upload, "name", "")})
    if size == 0:
        _reject(_("图片文件是空的，请重新选择。"))
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
    except Image.DecompressionBombError:
        _reject(_("图片像素过大（超过 4000 万像素），请缩小后再上传。"))
    except Exception:
        _reject(_("无法识别该文件为图片，请上传 JPG、PNG 或 WebP 格式的照片。"))
    if fmt not in FORMATS:
        _reject(_("只接受 JPG、PNG 或 WebP 格式的照片。"))
    if width * height > MAX_PIXELS:
        _reject(_("图片像素过大（超过 4000 万像素），请缩小后再上传。"))
    upload.seek(0)
    try:
        image = Image.open(upload)
        image.load()  # decode every pixel: a truncated file fails here
    except Image.DecompressionBombError:
        _reject(_("图片像素过大（超过 4000 万像素），请缩小后再上传。"))
    except Exception:
        _reject(_("图片文件已损坏或不完整，请重新上传。"))
    return image


def _pixels_only(image):
    """The picture turned upright, in RGB, with no metadata of any kind.

    A new image is made from the pixels alone: Pillow carries an upload's comment segment
    (where a polyglot file keeps its HTML), ICC profile and the like in `image.info` and
    would write some of them back when saving.
    """
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _jpeg(image, name):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=True)
    return ContentFile(buffer.getvalue(), name=name)


def _fit_width(image, width):
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def make_renditions(upload):
    """Check an upload and return the three clean renditions to store (raises ValidationError)."""
    image = open_checked(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    clean = _pixels_only(image)
    image.close()
    master = clean
    if max(master.size) > MASTER_EDGE:
        master = master.copy()
        master.thumbnail((MASTER_EDGE, MASTER_EDGE), Image.Resampling.LANCZOS)
    display = _fit_width(master, DISPLAY_WIDTH)
    thumb = ImageOps.fit(display, THUMB_SIZE, Image.Resampling.LANCZOS)
    return Renditions(
        image=_jpeg(master, "image.jpg"),
        display=_jpeg(display, "display.jpg"),
        thumbnail=_jpeg(thumb, "thumb.jpg"),
        width=master.width,
        height=master.height,
        sha256=digest.hexdigest(),
    )


def _write(photo, field, content, written):
    """Store one rendition under a fresh random name; the name is noted before writing, so a
    write that fails half-way (disk full) can still be removed."""
    name = field.field.generate_filename(photo, content.name)
    written.append(name)
    saved = field.storage.save(name, content, max_length=field.field.max_length)
    written[-1] = saved
    setattr(photo, field.field.attname, saved)


def _remove(storage, names):
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # best effort: cleanup_media finds whatever is left
            pass


def save_photo(photo, upload):
    """Fill a Photo's files from an upload (not saving the row). Raises ValidationError.

    All three renditions are written or none: if one write fails, those already written
    (and the partial one) are removed before the error goes on.
    """
    renditions = make_renditions(upload)
    written = []
    try:
        for field, content in (
            (photo.image, renditions.image),
            (photo.display, renditions.display),
            (photo.thumbnail, renditions.thumbnail),
        ):
            _write(photo, field, content, written)
    except BaseException:
        _remove(photo.image.storage, written)
        raise
    photo.width, photo.height, photo.sha256 = renditions.width, renditions.height, renditions.sha256
    return photo


@contextmanager
def store_photo(photo, upload):
    """Write a photo's renditions, then run the block that saves the row; if anything in the
    block fails, the files just written are removed. Put the row's transaction inside, so
    that a failed commit removes the files too:

        with images.store_photo(photo, upload), transaction.atomic():
            photo.save()

    (Files of a transaction rolled back further out are left to `manage.py cleanup_media`.)
    """
    save_photo(photo, upload)
    try:
        yield photo
    except BaseException:
        delete_files(photo)
        raise


def delete_files(photo):
    """Remove a photo's stored files (used when a save fails or a staged photo is dropped)."""
    for field in (photo.image, photo.display, photo.thumbnail):
        if field and field.name:
            field.storage.delete(field.name)
