"""Renditions after the speed work in images.py (bench/photos.py): upright, sized, stripped."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions.platform import images


def upload(size, orientation=1, marked=False):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretCam"
    buffer = io.BytesIO()
    picture = Image.new("RGB", size, (200, 30, 30))
    if marked:
        picture.paste((20, 220, 20), (0, 0, 60, 60))
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def opened(content):
    return Image.open(io.BytesIO(content.read() if hasattr(content, "read") else content))


def test_a_small_photo_is_kept_at_its_size_without_its_metadata():
    made = images.make_renditions(upload((800, 600)))
    assert (made.width, made.height) == (800, 600)
    master = opened(made.image)
    assert master.size == (800, 600) and not master.getexif()
    assert opened(made.thumbnail).size == images.THUMB_SIZE


@pytest.mark.parametrize(("orientation", "size"), [(3, (800, 600)), (6, (600, 800)), (8, (600, 800)), (5, (600, 800))])
def test_every_orientation_is_turned_upright(orientation, size):
    made = images.make_renditions(upload((800, 600), orientation=orientation, marked=True))
    master = opened(made.image).convert("RGB")
    assert master.size == size
    # The marked corner (top left of the sensor) lands where the orientation says.
    corner = {3: (size[0] - 5, size[1] - 5), 6: (size[0] - 5, 5), 8: (5, size[1] - 5), 5: (5, 5)}[orientation]
    red, green, _blue = master.getpixel(corner)
    assert green > 150 and red < 100, master.getpixel(corner)


def test_a_large_sideways_photo_is_turned_upright_shrunk_and_stripped():
    made = images.make_renditions(upload((4000, 3000), orientation=6))
    assert (made.width, made.height) == (1920, 2560)
    master, display = opened(made.image), opened(made.display)
    assert master.size == (1920, 2560)
    assert display.width == images.DISPLAY_WIDTH
    assert not master.getexif() and "exif" not in master.info
    assert display.info.get("progressive") and not master.info.get("progressive")
