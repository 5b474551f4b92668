"""Attachments made at test time (nothing binary is committed): Word 97-2003 files (OLE2 compound
files, written here from the format's description) and PDFs, clean and hostile.

    doc_file()                              # a .doc with a WordDocument stream: accepted
    doc_file(macros=True)                   # with the Macros/VBA storages Word writes: refused
    pdf_file(catalog_extra="/OpenAction 5 0 R", objects={5: b"<< /S /JavaScript /JS (app.alert(1)) >>"})
    pdf_with_object_stream({5: b"<< /S /JavaScript /JS (app.alert(1)) >>"})
"""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import docx_corpus as corpus
from tests.hostile_files import part, repack

SECTOR = 512
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def fib(encrypted=False):
    """The start of a Word 97-2003 WordDocument stream: the FIB's base (wIdent 0xA5EC, nFib 193)."""
    flags = 0x0100 if encrypted else 0
    base = struct.pack("<HHHHHH", 0xA5EC, 193, 0x6A62, 0x0804, 0, flags)
    return base + b"\x00" * (4096 + 512 - len(base))  # above the mini stream cutoff: in ordinary sectors


def _entry(name, kind, *, child=NONE, right=NONE, start=END, size=0):
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    entry = encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
    entry += struct.pack("<III", NONE, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
    entry += struct.pack("<IQ", start, size)
    assert len(entry) == 128
    return entry


def compound_file(tree):
    """An OLE2 compound file (version 3, 512-byte sectors) of `tree`: [(name, bytes | subtree)].
    Streams are written in ordinary sectors (each at least 4096 bytes, so no mini stream)."""
    entries, data_sectors = [], []

    def add(items):
        """Entries for these siblings (a chain to the right); the index of the first."""
        first = None
        previous = None
        for name, content in items:
            index = len(entries)
            entries.append(None)
            if previous is not None:
                entries[previous]["right"] = index
            first = index if first is None else first
            if isinstance(content, list):
                entries[index] = {"name": name, "kind": 1, "right": NONE, "child": NONE}
                entries[index]["child"] = add(content) if content else NONE
            else:
                padded = content.ljust(max(4096, -(-len(content) // SECTOR) * SECTOR), b"\x00")
                start = len(data_sectors)
                data_sectors.extend(padded[i : i + SECTOR] for i in range(0, len(padded), SECTOR))
                entries[index] = {"name": name, "kind": 2, "right": NONE, "child": NONE, "start": start}
                entries[index]["size"] = len(content) if len(content) >= 4096 else 4096
                entries[index]["count"] = len(padded) // SECTOR
            previous = index
        return NONE if first is None else first

    entries.append({"name": "Root Entry", "kind": 5, "right": NONE, "child": NONE})
    entries[0]["child"] = add(tree)
    directory = b""
    dir_count = -(-len(entries) * 128 // SECTOR)
    # Sector layout: [FAT] [directory] [streams]
    fat_count = 1
    while (fat_count + dir_count + len(data_sectors)) > fat_count * (SECTOR // 4):
        fat_count += 1
    data_base = fat_count + dir_count
    for entry in entries:
        start = entry.get("start")
        directory += _entry(
            entry["name"],
            entry["kind"],
            child=entry["child"],
            right=entry["right"],
            start=END if start is None else data_base + start,
            size=entry.get("size", 0),
        )
    directory = directory.ljust(dir_count * SECTOR, b"\x00")
    fat = [FAT_SECTOR] * fat_count
    fat += [fat_count + i + 1 for i in range(dir_count - 1)] + [END]
    for entry in entries:
        if "count" in entry:
            begin = data_base + entry["start"]
            fat += [begin + i + 1 for i in range(entry["count"] - 1)] + [END]
    fat += [FREE] * (fat_count * (SECTOR // 4) - len(fat))
    header = OLE_MAGIC + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, fat_count, fat_count, 0, 4096, END, 0, END, 0)
    header += struct.pack("<109I", *(list(range(fat_count)) + [FREE] * (109 - fat_count)))
    assert len(header) == SECTOR
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(data_sectors)


def doc_file(*, macros=False, encrypted=False, encrypted_package=False, word=True, extra=()):
    tree = []
    if word:
        tree.append(("WordDocument", fib(encrypted=encrypted)))
        tree.append(("1Table", b"\x00" * 4096))
    if macros:
        tree.append(("Macros", [("VBA", [("dir", b"\x01" * 4096), ("ThisDocument", b"Attribute VB_Name" * 300)])]))
    if encrypted_package:
        tree += [("EncryptionInfo", b"\x04\x00\x04\x00" + b"\x00" * 4092), ("EncryptedPackage", b"\x00" * 8192)]
    tree += list(extra)
    return compound_file(tree)


def doc_upload(content, name="材料.doc"):
    return SimpleUploadedFile(name, content, content_type="application/msword")


# PDF ------------------------------------------------------------------------------------------


def _assemble(objects, root=1, trailer_extra=b""):
    """A PDF 1.7 file with these {number: bytes} objects and a cross-reference table."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer_extra, xref)
    return out


def stream(content, extra=b"", *, flate=False):
    data = zlib.compress(content) if flate else content
    filters = b"/Filter /FlateDecode " if flate else b""
    return b"<< /Length %d %s%s>>\nstream\n" % (len(data), filters, extra) + data + b"\nendstream"


def pdf_file(*, catalog_extra=b"", objects=None, page_content=b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"):
    """A one-page PDF; `catalog_extra` goes into the catalog, `objects` are added as they are."""
    base = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        4: stream(page_content, flate=True),
    }
    base.update(objects or {})
    return _assemble(base)


def pdf_with_object_stream(hidden, *, catalog_extra=b"", hex_encoded=False):
    """A PDF whose objects `hidden` ({number: bytes}) live in a FlateDecode object stream, and the
    catalog points at them; nothing of them is in the file's own bytes."""
    numbers = sorted(hidden)
    body, header = b"", []
    for number in numbers:
        header.append(b"%d %d" % (number, len(body)))
        body += hidden[number] + b"\n"
    head = b" ".join(header) + b"\n"
    content = head + body
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        4: stream(b"1 0 0 1 72 720 cm BT /F1 12 Tf (Hello) Tj ET", flate=True),
        9: stream(content, b"/Type /ObjStm /N %d /First %d " % (len(numbers), len(head)), flate=True),
    }
    if hex_encoded:  # the compressed data written as hex digits: [/ASCIIHexDecode /FlateDecode]
        data = zlib.compress(content).hex().encode() + b">"
        objects[9] = b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter [/ASCIIHexDecode /FlateDecode] >>\nstream\n" % (
            len(numbers),
            len(head),
            len(data),
        )
        objects[9] += data + b"\nendstream"
    return _assemble(objects)


def pdf_upload(content, name="材料.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Word (.docx) the import's guard refuses ----------------------------------------------------------


def clean_docx():
    return corpus.build(corpus.CASES[0])


def macro_docx():
    """A .docx whose main part is declared macro-enabled, with a VBA project beside it."""
    data = clean_docx()
    types = part(data, "[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return repack(data, replace={"[Content_Types].xml": types}, add={"word/vbaProject.bin": b"\x00" * 512})


def external_template_docx():
    """A .docx that makes Word fetch its template from a server when opened."""
    data = clean_docx()
    rels = part(data, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        'Target="http://127.0.0.1:9/template.dotm" TargetMode="External"/></Relationships>',
    )
    return repack(data, replace={"word/_rels/document.xml.rels": rels})


def zip_bomb_docx():
    """A small .docx (under 1 MB) with an XML part that expands to 100 MB."""
    return repack(clean_docx(), add={"customXml/item9.xml": b" " * (100 * 1024 * 1024)})


def docx_upload(content, name="说明.docx"):
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
