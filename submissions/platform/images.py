"""All image handling: checking an upload, and making the clean renditions that are stored.

An upload is judged by its content (Pillow's own detection), never by its name. Its pixel
count is checked from the header before anything is decoded, so decompression bombs are
refused cheaply; then it is decoded fully, so truncated files are refused. What is stored
is re-encoded from pixels only: EXIF orientation applied, every piece of metadata (GPS
included) dropped, under random names. The upload itself is never stored or served.
"""

import hashlib
import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageFile, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MASTER_EDGE = 2560  # longest edge kept for print and the Word export
DISPLAY_WIDTH = 1080
THUMB_SIZE = (480, 360)
JPEG_QUALITY = 85
TOO_MUCH_MEMORY = gettext_lazy("图片过大，处理所需的内存超出限制，请缩小后再上传。")

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

    @property
    def size(self):
        """Bytes the three renditions take on disk."""
        return self.image.size + self.display.size + self.thumbnail.size


def _reject(message):
    raise ValidationError(message, code="invalid_image")


def fit_size(size, edge):
    """`size` scaled down so that its longer side is `edge` (unchanged when it fits)."""
    width, height = size
    if max(width, height) <= edge:
        return width, height
    scale = edge / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def open_checked(upload, *, reduce_to=None):
    """Open an upload as a fully decoded Pillow image, or raise ValidationError (in Chinese).

    `reduce_to` (a longest edge): a JPEG at least twice as large is decoded at 1/2, 1/4 or 1/8
    of its size (Pillow's draft mode: libjpeg scales while decoding), never below the edge. It
    is still a full decode: every block is read, so a truncated file is refused all the same
    (tests/platform/test_images_draft.py)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        _reject(_("图片“%(name)s”超过 10 MB，请压缩后再上传。") % {"name": getattr(upload, "name", "")})
    if size == 0:
        _reject(_("图片文件是空的，请重新选择。"))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # a refusal, not a log line
            with Image.open(upload) as probe:
                fmt = probe.format
                width, height = probe.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _reject(_("图片像素过大（超过 4000 万像素），请缩小后再上传。"))
    except Exception:
        _reject(_("无法识别该文件为图片，请上传 JPG、PNG 或 WebP 格式的照片。"))
    if fmt not in FORMATS:
        _reject(_("只接受 JPG、PNG 或 WebP 格式的照片。"))
    if width * height > MAX_PIXELS:
        _reject(_("图片像素过大（超过 4000 万像素），请缩小后再上传。"))
    upload.seek(0)
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # strict, whatever a library imported in this process set
    try:
        image = Image.open(upload)
        if reduce_to and image.format == "JPEG":
            image.draft(None, fit_size(image.size, reduce_to))  # a no-op below twice the edge
        image.load()  # decode every pixel: a truncated file fails here
    except Image.DecompressionBombError:
        _reject(_("图片像素过大（超过 4000 万像素），请缩小后再上传。"))
    except MemoryError:  # under a process's memory ceiling (the Word reader's sandbox): not damage
        _reject(TOO_MUCH_MEMORY)
    except Exception:
        _reject(_("图片文件已损坏或不完整，请重新上传。"))
    return image


# EXIF orientation -> the turn that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image):
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # unreadable EXIF: take the picture as it is
        return 1


def _upright(image, orientation):
    """The picture turned as its EXIF orientation says: done on the shrunk master, which is
    cheaper than turning all 12 megapixels first (bench/photos.py)."""
    method = _UPRIGHT.get(orientation)
    return image.transpose(method) if method is not None else image


def _pixels_only(image):
    """The picture in RGB, with no metadata of any kind (not yet turned upright: see _upright)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _jpeg(image, name, *, progressive=True):
    """Re-encode as JPEG, from the pixels alone. Progressive for what phones load (shows early, a
    little smaller); baseline for the master, which is only downloaded whole (progressive costs
    ~5× the time).

    `image.info` is emptied first: Pillow carries an upload's comment segment (where a polyglot
    file keeps its HTML), EXIF and the like through resize and transpose, and writes the comment
    back when saving. Emptying it costs nothing, unlike copying the pixels into a new image.
    """
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=progressive)
    return ContentFile(buffer.getvalue(), name=name)


def _shrink(image, size, resample=Image.Resampling.BICUBIC):
    """A new image of `size`; bicubic (Pillow's thumbnail default) is sharp enough to shrink
    photos and half the cost of Lanczos on 12 megapixels."""
    return image.resize(size, resample, reducing_gap=3.0)


def _fit_width(image, width):
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return _shrink(image, (width, height))


def make_renditions(upload, *, reduced_decode=True):
    """Check an upload and return the three clean renditions to store (raises ValidationError).

    A large JPEG is decoded at reduced scale (open_checked's reduce_to); `reduced_decode=False`
    decodes at full size, as before (bench/phones.py measures the two side by side)."""
    image = open_checked(upload, reduce_to=MASTER_EDGE if reduced_decode else None)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    orientation = _orientation(image)
    try:
        clean = _pixels_only(image)
    except MemoryError:
        image.close()
        _reject(TOO_MUCH_MEMORY)
    except Exception:  # an exotic pixel mode or a broken block: refuse rather than fail
        image.close()
        _reject(_("图片文件已损坏或不完整，请重新上传。"))
    master = clean
    if max(master.size) > MASTER_EDGE:
        master = _shrink(clean, fit_size(clean.size, MASTER_EDGE))
        clean.close()  # release the full-size pixels before encoding
    master = _upright(master, orientation)
    if image is not master:
        image.close()
    display = _fit_width(master, DISPLAY_WIDTH)
    thumb = ImageOps.fit(display, THUMB_SIZE, Image.Resampling.BICUBIC)
    return Renditions(
        image=_jpeg(master, "image.jpg", progressive=False),
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
    """Fill a Photo's files from an upload (not saving the row). Raises ValidationError."""
    return store_renditions(photo, make_renditions(upload))


def store_renditions(photo, renditions):
    """Write checked renditions (from make_renditions) into a Photo's files, not saving the row.

    All three renditions are written or none: if one write fails, those already written
    (and the partial one) are removed before the error goes on.
    """
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
