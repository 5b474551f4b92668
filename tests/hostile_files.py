"""A corpus of hostile files, made at test time (nothing binary is committed).

    from tests.hostile_files import HOSTILE_IMAGES, POLYGLOT
    for name, make in HOSTILE_IMAGES.items():
        upload = make()          # a fresh SimpleUploadedFile each call
        ...post it to a form and expect a clear refusal...

Each maker returns a SimpleUploadedFile with an innocent-looking name (photo.jpg) and
content_type, because neither can be trusted: only the content counts.
"""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions import images

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_bytes(size=(640, 480), color=(180, 40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width, height):
    """A tiny PNG whose header claims width x height pixels (a decompression bomb, cheap to refuse)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * min(width, 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * 4)) + _chunk(b"IEND", b"")


def png_zeros(width, height):
    """A real PNG of width x height black pixels: tiny on disk, huge once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def truncated_jpeg():
    data = jpeg_bytes()
    return data[: len(data) // 2]


def polyglot_html_jpeg():
    """A valid JPEG that is also an HTML page: script in a comment segment and after the end."""
    data = jpeg_bytes()
    comment = b"\xff\xfe" + struct.pack(">H", len(SCRIPT) + 2) + SCRIPT
    return data[:2] + comment + data[2:] + SCRIPT


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(1)">'
    b'<script>alert(document.domain)</script><rect width="100" height="100"/></svg>'
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00" + b"\x00" * 56 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("P", (50, 50)).save(buffer, "GIF")
    return buffer.getvalue()


HOSTILE_IMAGES = {
    "bomb_declared_png": lambda: upload(png_declaring(100_000, 100_000), "bomb.png", "image/png"),
    "bomb_real_png": lambda: upload(png_zeros(6_400, 6_400), "bomb2.png", "image/png"),
    "truncated_jpeg": lambda: upload(truncated_jpeg()),
    "svg_with_script": lambda: upload(SVG_WITH_SCRIPT, "photo.svg", "image/svg+xml"),
    "svg_named_jpg": lambda: upload(SVG_WITH_SCRIPT),
    "elf_named_jpg": lambda: upload(ELF),
    "pe_named_jpg": lambda: upload(PE),
    "html_named_jpg": lambda: upload(SCRIPT),
    "zero_bytes": lambda: upload(b""),
    "over_the_limit": lambda: upload(jpeg_bytes()[:-2] + b"\x00" * (images.MAX_BYTES + 1) + b"\xff\xd9"),
    "gif_not_allowed": lambda: upload(gif_bytes(), "anim.gif", "image/gif"),
}

# Accepted as an image (it is one), but what is stored must carry none of the HTML.
POLYGLOT = lambda: upload(polyglot_html_jpeg())  # noqa: E731
