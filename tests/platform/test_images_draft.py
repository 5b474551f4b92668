"""Renditions from a reduced decode (Pillow's draft mode for JPEG, images.open_checked's reduce_to):
the sizes stay exact, a truncated file is still refused, EXIF orientation is still applied, and
the reduced decode is really used where the photo is at least twice the master's edge."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions.platform import images


def jpeg(size, orientation=1, marked=False, quality=85):
    """A JPEG with a green mark on the sensor's top left corner, noise enough to have real blocks."""
    picture = Image.merge(
        "RGB", [Image.effect_noise(size, 30), Image.linear_gradient("L").resize(size), Image.new("L", size, 60)]
    )
    picture.paste((255, 0, 0), (0, 0, size[0], size[1] // 20))  # a red band along the sensor's top
    if marked:
        picture.paste((0, 255, 0), (0, 0, size[0] // 10, size[1] // 10))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPS: must not survive
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def upload(data):
    return SimpleUploadedFile("p.jpg", data, content_type="image/jpeg")


def opened(content):
    content.seek(0)
    return Image.open(io.BytesIO(content.read()))


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The sizes Pillow actually decoded at (after draft), in order."""
    seen = []
    real_load = Image.Image.load

    def load(self):
        if getattr(self, "format", None) == "JPEG" and getattr(self, "tile", None):
            seen.append(self.size)
        return real_load(self)

    monkeypatch.setattr(Image.Image, "load", load)
    return seen


def test_a_photo_twice_the_edge_is_decoded_at_half_size_and_stored_at_the_edge(decoded_sizes):
    made = images.make_renditions(upload(jpeg((6000, 4500))))
    assert decoded_sizes[-1] == (3000, 2250)  # 1/2 scale: still above 2560, never below
    assert (made.width, made.height) == (2560, 1920)
    assert opened(made.image).size == (2560, 1920)
    assert opened(made.display).size == (1080, 810)
    assert opened(made.thumbnail).size == (480, 360)


def test_without_the_reduced_decode_the_full_size_is_decoded(decoded_sizes):
    made = images.make_renditions(upload(jpeg((6000, 4500))), reduced_decode=False)
    assert decoded_sizes[-1] == (6000, 4500)
    assert (made.width, made.height) == (2560, 1920)


def test_a_phone_photo_under_twice_the_edge_is_decoded_whole(decoded_sizes):
    made = images.make_renditions(upload(jpeg((4000, 3000))))
    assert decoded_sizes[-1] == (4000, 3000)  # half would be 2000 px, below the master's 2560
    assert (made.width, made.height) == (2560, 1920)


def test_a_very_large_photo_is_decoded_at_a_quarter():
    data = jpeg((10240, 3840), quality=40)  # 39 MP, under the 40 MP limit
    image = images.open_checked(upload(data), reduce_to=images.MASTER_EDGE)
    assert image.size == (2560, 960)


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_a_truncated_jpeg_is_refused_also_when_decoded_reduced(cut):
    data = jpeg((6000, 4500))
    short = data[: int(len(data) * cut)]
    for reduced in (True, False):
        with pytest.raises(ValidationError) as exc:
            images.make_renditions(upload(short), reduced_decode=reduced)
        assert "损坏或不完整" in exc.value.messages[0]


@pytest.mark.parametrize(("orientation", "size"), [(1, (2560, 1920)), (3, (2560, 1920)), (6, (1920, 2560)), (8, (1920, 2560))])
def test_the_orientation_is_applied_to_a_reduced_decode(orientation, size):
    made = images.make_renditions(upload(jpeg((6000, 4500), orientation=orientation, marked=True)))
    master = opened(made.image).convert("RGB")
    assert master.size == size
    assert not master.getexif() and "exif" not in master.info
    # The green mark (the sensor's top left) lands where the orientation says.
    w, h = size
    corner = {1: (20, 20), 3: (w - 20, h - 20), 6: (w - 20, 20), 8: (20, h - 20)}[orientation]
    red, green, _blue = master.getpixel(corner)
    assert green > 200 and red < 60, master.getpixel(corner)


def test_png_and_small_jpegs_are_unchanged_by_the_reduced_decode():
    png = io.BytesIO()
    Image.new("RGB", (6000, 4000), (10, 20, 30)).save(png, "PNG")
    made = images.make_renditions(upload(png.getvalue()))
    assert (made.width, made.height) == (2560, 1707)
    small = images.make_renditions(upload(jpeg((1200, 900))))
    assert (small.width, small.height) == (1200, 900)
