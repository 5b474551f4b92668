"""Renditions after the speed work in images.py (bench/photos.py): upright, sized, stripped."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions import images


def upload(size, orientation=1):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretCam"
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def opened(content):
    return Image.open(io.BytesIO(content.read() if hasattr(content, "read") else content))


def test_a_small_photo_is_kept_at_its_size():
    made = images.make_renditions(upload((800, 600)))
    assert (made.width, made.height) == (800, 600)
    assert opened(made.image).size == (800, 600)
    assert opened(made.thumbnail).size == images.THUMB_SIZE


def test_a_large_sideways_photo_is_turned_upright_shrunk_and_stripped():
    made = images.make_renditions(upload((4000, 3000), orientation=6))
    assert (made.width, made.height) == (1920, 2560)
    master, display = opened(made.image), opened(made.display)
    assert master.size == (1920, 2560)
    assert display.width == images.DISPLAY_WIDTH
    assert not master.getexif() and "exif" not in master.info
    assert display.info.get("progressive") and not master.info.get("progressive")
