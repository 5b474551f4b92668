"""A corpus of hostile files, made at test time (nothing binary is committed): pictures, and
Word documents (HOSTILE_DOCUMENTS, for the tests and bench/documents_hostile.py).

    from tests.hostile_files import HOSTILE_IMAGES, POLYGLOT
    for name, make in HOSTILE_IMAGES.items():
        upload = make()          # a fresh SimpleUploadedFile each call
        ...post it to a form and expect a clear refusal...

Each maker returns a SimpleUploadedFile with an innocent-looking name (photo.jpg) and
content_type, because neither can be trusted: only the content counts.
"""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions.platform import images
from tests import docx_corpus as corpus

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


# Hostile documents -----------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def repack(data, *, replace=None, add=None, drop=(), compression=zipfile.ZIP_DEFLATED):
    """The package with parts replaced, added or dropped."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def good():
    return corpus.build(corpus.CASES[0])


def part(data, name):
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def with_body(inner, *, name="word/document.xml"):
    """The good document with `inner` (XML text) put at the start of its body."""
    data = good()
    xml = part(data, "word/document.xml").replace("<w:body>", "<w:body>" + inner, 1)
    return repack(data, replace={name: xml})


def paragraph_bomb():
    """15.6 MB of empty paragraphs (under the 16 MB part limit; 2.6 million elements)."""
    return with_body("<w:p/>" * 2_600_000)


def deep_bomb(depth=100_000):
    """Paragraph properties nested 100,000 deep (few elements, under the element ceiling)."""
    return with_body("<w:p>" + "<w:sdt><w:sdtContent>" * (depth // 2) + "</w:sdtContent></w:sdt>" * (depth // 2) + "</w:p>")


def wide_bomb(attributes=1_000_000):
    """One element with a million attributes: a 14 MB tag."""
    return with_body("<w:p " + " ".join(f'a{n}=""' for n in range(attributes)) + "/>")


def disguised_xml_bomb():
    """The main part named .bin (python-docx goes by its content type and parses it): 9 MB of paragraphs."""
    data = good()
    xml = part(data, "word/document.xml").replace("<w:body>", "<w:body>" + "<w:p/>" * 1_500_000, 1)
    types = part(data, "[Content_Types].xml").replace("/word/document.xml", "/word/document.bin")
    rels = part(data, "_rels/.rels").replace("word/document.xml", "word/document.bin")
    doc_rels = part(data, "word/_rels/document.xml.rels")
    replaced = {"[Content_Types].xml": types, "_rels/.rels": rels}
    drop = ("word/document.xml", "word/_rels/document.xml.rels")
    return repack(data, replace=replaced, drop=drop, add={"word/document.bin": xml, "word/_rels/document.bin.rels": doc_rels})


def many_paragraphs(count=19_000):
    """Just under the paragraph ceiling, each with a line of text: the most reading work that passes."""
    line = "<w:p><w:r><w:t>支部坚持把党建工作融入收费服务全过程。</w:t></w:r></w:p>"
    return with_body(line * count)


def many_runs(count=70_000):
    """Just under the element ceiling in runs of text (4 elements each) in 1,000 paragraphs."""
    run = "<w:r><w:rPr><w:b/></w:rPr><w:t>字</w:t></w:r>"
    return with_body(("<w:p>" + run * (count // 1000) + "</w:p>") * 1000)


def zip_bomb():
    """Nine parts of 9.5 MB of zeros (each within its own limit), 85.5 MB together."""
    return repack(good(), add={f"word/media/bomb{n}.bin": b"\x00" * (9_961_472) for n in range(9)})


def with_doctype(doctype):
    data = good()
    head, rest = part(data, "word/document.xml").split("?>", 1)
    return repack(data, replace={"word/document.xml": head + "?>" + doctype + rest})


def with_relationship(rel_type, target="http://127.0.0.1:9/tracker.png"):
    data = good()
    rels = part(data, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        f'<Relationship Id="rId99" Type="{REL_NS}/{rel_type}" Target="{target}" TargetMode="External"/></Relationships>',
    )
    return repack(data, replace={"word/_rels/document.xml.rels": rels})


def with_picture(picture):
    """The corpus case with one photo, its picture replaced."""
    data = corpus.build(next(case for case in corpus.CASES if case.get("photos") == 1))
    name = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/"))
    return repack(data, replace={name: picture})


def bmp_bytes(size=(5000, 6000)):
    """An uncompressed picture of 90 MB (5000 x 6000 x 3) that zips to ~90 kB."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "BMP")
    return buffer.getvalue()


def gradient_jpeg(size):
    """A large JPEG that stays small on disk (a smooth gradient): costly only once decoded."""
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def gradient_png(size):
    """A large PNG that stays small on disk: unlike a JPEG (decoded at a reduced scale where the
    renditions allow: platform/images.py), a PNG is always decoded at its full size."""
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def macro_type():
    data = good()
    types = part(data, "[Content_Types].xml").replace(
        "wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml"
    )
    return repack(data, replace={"[Content_Types].xml": types})


def _not_word():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return out.getvalue()


LAUGHS = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
# name: (maker, the refusal codes expected; empty: read, with a notice where said)
HOSTILE_DOCUMENTS = {
    "paragraph_bomb": (paragraph_bomb, ("too_complex",)),
    "deep_bomb": (deep_bomb, ("too_complex",)),
    "wide_bomb": (wide_bomb, ("too_complex",)),
    "disguised_xml_bomb": (disguised_xml_bomb, ("too_complex",)),
    "zip_bomb": (zip_bomb, ("zip_bomb",)),
    "billion_laughs": (lambda: with_doctype(LAUGHS), ("xml_entity",)),
    "xxe": (lambda: with_doctype('<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), ("xml_entity",)),
    "macro_part": (lambda: repack(good(), add={"word/vbaProject.bin": b"\x00" * 100}), ("macro",)),
    "macro_content_type": (macro_type, ("macro",)),
    "external_image": (lambda: with_relationship("image"), ("external",)),
    "external_template": (lambda: with_relationship("attachedTemplate"), ("external",)),
    "truncated": (lambda: good()[:3000], ("bad_zip",)),
    "too_many_parts": (lambda: repack(good(), add={f"customXml/x{n}.xml": "<a/>" for n in range(400)}), ("too_many_parts",)),
    "over_20_mb": (lambda: good() + b"\x00" * (20 * 1024 * 1024), ("too_big",)),
    "not_a_zip": (lambda: b"%PDF-1.7 " + b"0" * 100, ("not_docx",)),
    "not_word": (_not_word, ("not_docx",)),
    "old_doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, ("old_doc",)),
    "oversized_picture": (lambda: with_picture(bmp_bytes()), ()),
    "image_bomb_inside": (lambda: with_picture(png_declaring(30000, 30000)), ()),
    "many_paragraphs": (many_paragraphs, ()),
    "many_runs": (many_runs, ()),
}
