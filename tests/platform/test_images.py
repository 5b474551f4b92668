"""Photos are judged by content; bombs, truncated and disguised files are refused; what is stored is
clean pixels only: upright, re-encoded, without any metadata (GPS included) or appended payload."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from submissions.platform import images
from tests.submit_data import image_bytes


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def refused(data, name="photo.jpg"):
    with pytest.raises(ValidationError) as exc:
        images.make_renditions(upload(data, name))
    return " ".join(exc.value.messages)


def png_header_claiming(width, height):
    """A tiny PNG file whose header claims a huge picture (a decompression bomb's calling card)."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_jpeg_png_and_webp_are_accepted_and_get_a_display_and_a_thumbnail():
    for fmt in ("JPEG", "PNG", "WEBP"):
        result = images.make_renditions(upload(image_bytes(size=(2000, 1500), fmt=fmt), name="x.bin"))
        display = Image.open(io.BytesIO(result.display.read()))
        thumb = Image.open(io.BytesIO(result.thumbnail.read()))
        assert display.format == "JPEG" and display.width == images.DISPLAY_WIDTH
        assert thumb.size == images.THUMB_SIZE


def test_oversize_file_is_refused_before_reading():
    big = upload(b"\xff\xd8" + b"0" * (images.MAX_BYTES + 1))
    with pytest.raises(ValidationError) as exc:
        images.make_renditions(big)
    assert "10 MB" in exc.value.messages[0]


@pytest.mark.parametrize("fmt", ["GIF", "BMP"])
def test_other_image_formats_are_refused_even_when_named_jpg(fmt):
    assert "JPG、PNG 或 WebP" in refused(image_bytes(fmt=fmt), name="disguised.jpg")


def test_text_renamed_jpg_is_refused():
    assert "无法识别" in refused(b"<html><script>alert(1)</script></html>", name="photo.jpg")


def test_empty_file_is_refused():
    assert "空" in refused(b"")


def test_decompression_bomb_is_refused_from_its_header(monkeypatch):
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self) or None)
    assert "4000 万像素" in refused(png_header_claiming(10000, 10000), name="bomb.png")  # 100 MP
    assert "4000 万像素" in refused(png_header_claiming(50000, 50000), name="bomb.png")  # past Pillow's own guard
    assert decoded == [], "nothing may be decoded"


def test_truncated_jpeg_is_refused():
    data = image_bytes(size=(800, 600))
    assert "损坏" in refused(data[: len(data) // 2])


def test_truncated_jpeg_is_refused_in_a_process_that_renders_certificates(monkeypatch):
    """WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on when imported (the worker renders
    certificates and checks mailed photos in one process): the check stays strict."""
    import importlib

    import weasyprint.images
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", ImageFile.LOAD_TRUNCATED_IMAGES)
    importlib.reload(weasyprint.images)  # what importing WeasyPrint does to the process
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    data = image_bytes(size=(800, 600))
    assert "损坏" in refused(data[: len(data) // 2])
    from submissions.results import pdf

    importlib.reload(pdf)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_polyglot_payload_is_not_in_the_stored_renditions():
    payload = b"<script>alert('x')</script><html><body onload=alert(1)>"
    result = images.make_renditions(upload(image_bytes() + payload))
    for rendition in (result.image, result.display, result.thumbnail):
        stored = rendition.read()
        assert b"<script>" not in stored and b"onload" not in stored
        assert stored.rstrip(b"\x00").endswith(b"\xff\xd9")  # a plain JPEG ends with its EOI marker


def gps_jpeg(orientation=1, size=(400, 200)):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (36.0, 40.0, 0.0), "E", (117.0, 0.0, 0.0)
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))  # left half blue
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_gps_and_all_metadata_are_stripped():
    data = gps_jpeg()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test image really carries GPS"
    result = images.make_renditions(upload(data))
    for rendition in (result.image, result.display, result.thumbnail):
        stored = rendition.read()
        opened = Image.open(io.BytesIO(stored))
        assert not opened.getexif()
        assert b"Exif" not in stored and b"PhoneMaker" not in stored
        assert "exif" not in opened.info and "icc_profile" not in opened.info


def test_exif_orientation_is_applied():
    result = images.make_renditions(upload(gps_jpeg(orientation=6, size=(400, 200))))  # 6: rotate 90° clockwise
    stored = Image.open(io.BytesIO(result.image.read())).convert("RGB")
    assert stored.size == (200, 400)
    # The blue left half is now on top.
    assert stored.getpixel((100, 20))[2] > 200 and stored.getpixel((100, 380))[0] > 200


@pytest.mark.django_db
def test_stored_photo_has_random_names_and_delete_files_removes_them(settings):
    from submissions.models import Photo

    photo = Photo(upload_key="k")
    images.save_photo(photo, upload(image_bytes(), name="我的照片.jpg"))
    names = [photo.image.name, photo.display.name, photo.thumbnail.name]
    assert all("我的照片" not in name for name in names) and len(set(names)) == 3
    storage = photo.image.storage
    assert all(storage.exists(name) for name in names)
    images.delete_files(photo)
    assert not any(storage.exists(name) for name in names)
