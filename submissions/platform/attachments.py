"""What an attachment holds, judged by its content before it is stored (issue 23, finding 7).

    warning = attachment_check.inspect(upload, ext, name)   # "" or a warning for editors
                                                            # raises ValidationError (Chinese) to refuse

- .docx: the import's own guard, documents.guard.check_package (macros and ActiveX, external
  templates and images, zip bombs, XML entities, encryption: refused with its reason). A package
  that passes but embeds other files or objects (word/embeddings/) is stored with a warning.
- .doc (an OLE2 compound file): refused when it holds VBA macros (a storage or stream named
  Macros, _VBA_PROJECT_CUR or VBA), when it is encrypted (an EncryptionInfo / EncryptedPackage
  stream: an encrypted .docx; or the Word binary's fEncrypted flag), or when it has no
  WordDocument stream at all (a spreadsheet, an installer … renamed .doc).
- .pdf: stored, with a warning for editors, when a name in it asks for JavaScript (/JS,
  /JavaScript), an automatic action (/AA, /Launch), rich media or scripted forms (/RichMedia,
  /XFA), or embedded files (/EmbeddedFile(s), /FileAttachment). Names are read with their #xx
  escapes undone (/J#61vaScript is /JavaScript). Object streams, where PDF 1.5 hides
  dictionaries in compressed data, are found by content (zlib data that inflates to "number 0
  number …", whatever the dictionary says) and inflated a piece at a time and read the same way,
  within MAX_INFLATED bytes in all; when the file declares more /ObjStm than could be read
  (another filter, encrypted, damaged, past the budget) that is itself a warning
  ("未能完全检查"), so hiding behind one is noticed. Names of three letters or fewer (/JS, /AA,
  /XFA) occur by chance in compressed image data: they are looked for between streams only.

Bounded cost: the upload (≤ 20 MB) is read once; a few regular-expression passes over it; at
most MAX_STREAMS streams looked at (a 1 kB peek each) and MAX_INFLATED bytes inflated, never more
than CHUNK held at a time. Nothing recursive, nothing fetched, nothing executed. Measured on
20 MB files: a PDF of dense names 0.5–1 s, of image streams 25 ms, an object-stream bomb
40 ms at 2 MB; a .doc 20 ms.

Not caught (also in docs/submit.md): Word 6/95 macros kept inside the WordDocument stream;
embedded OLE objects of a .doc other than a macro document stored whole; a .docx's own
embeddings are only a warning; a PDF object stream whose data does not start like one and whose
/Type is hidden (an indirect object); a short name placed after a fake "stream" keyword (a
JavaScript action still names /S /JavaScript, a launch /S /Launch: those are seen everywhere);
scripts reached only through an XFA form's XML (/XFA itself is flagged).

Why our own reading of the OLE2 directory rather than olefile: the question is only "is there a
directory entry with one of these names", which is a 128-byte-aligned record in a sector, found
by one linear scan without walking the FAT; olefile (2,700 lines) walks the FAT and builds the
directory tree recursively, which a hostile file with a long sibling chain turns into a
RecursionError, and it reads nothing we need beyond the names. Ours also sees a macro document
embedded whole inside another one.
"""

import re
import struct
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from submissions.platform.documents import guard

MAX_STREAMS = 20_000  # streams looked at per PDF (a peek at the first bytes of each)
MAX_INFLATED = 32 * 1024 * 1024  # bytes inflated from object streams, in all
CHUNK = 256 * 1024
NAME_SPAN = 64  # bytes kept between inflated pieces: longer than any name looked for, #xx escaped
WARNING_LENGTH = 300  # Attachment.warning


def inspect(upload, ext, name=""):
    """The warning editors should see ("" when none); ValidationError (Chinese) when refused."""
    if ext == "docx":
        return check_docx(upload, name)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if ext == "doc":
        check_doc(data)
        return ""
    if ext == "pdf":
        return pdf_warning(data)
    return ""


# Word (.docx) ------------------------------------------------------------------------------


def check_docx(upload, name):
    guard.check_package(upload, name)  # raises documents.DocumentRefused, a ValidationError in Chinese
    return docx_warning(upload)


def docx_warning(upload):
    """The warning of a .docx that passed the guard (the attachment check, or 从 Word 导入's read):
    the files and objects it embeds, found by the zip's names alone."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            embedded = [item for item in archive.namelist() if item.lower().startswith("word/embeddings/")]
    finally:
        upload.seek(0)
    if embedded:
        return _("Word 文档内嵌了其他文件或对象（%(count)s 个），请勿打开其中的对象。") % {"count": len(embedded)}
    return ""


# Word 97–2003 (.doc, OLE2) ---------------------------------------------------------------------

ENTRY = 128  # a directory entry's size; entries start at multiples of it, after the 512-byte header
STORAGE, STREAM = 1, 2
MACRO_NAMES = ("Macros", "_VBA_PROJECT_CUR", "VBA")
ENCRYPTED_NAMES = ("EncryptionInfo", "EncryptedPackage")
WORD_STREAM = "WordDocument"
FIB_IDENTS = (0xA5EC, 0xA5DC)  # Word 97–2003, Word 6/95
F_ENCRYPTED = 0x0100


_NAMED = {name.upper(): kind for names, kind in ((MACRO_NAMES, "macro"), (ENCRYPTED_NAMES, "encrypted")) for name in names}
_NAMED[WORD_STREAM.upper()] = "word"
_LENGTHS = {(len(name) + 1) * 2 for name in _NAMED}  # a name's length field counts its UTF-16 NUL


def ole_entries(data):
    """(kind, entry offset) of every directory entry named as above (any letter case, as Word
    reads them), wherever its sector is: every 128-byte record after the header is looked at."""
    found = []
    for offset in range(512, len(data) - ENTRY + 1, ENTRY):
        length = data[offset + 64] | data[offset + 65] << 8
        if length not in _LENGTHS or data[offset + 66] not in (STORAGE, STREAM):
            continue
        kind = _NAMED.get(data[offset : offset + length - 2].decode("utf-16-le", "replace").upper())
        if kind is not None:
            found.append((kind, offset))
    return found


def check_doc(data):
    found = ole_entries(data)
    kinds = {kind for kind, _offset in found}
    if "macro" in kinds:
        raise ValidationError(_("文档含有宏，出于安全考虑不能接受。请另存为不含宏的 .docx 或 PDF 后再上传。"), code="macro")
    if "encrypted" in kinds or any(_fib_encrypted(data, offset) for kind, offset in found if kind == "word"):
        raise ValidationError(_("文档已加密，请取消密码后再上传。"), code="encrypted")
    if "word" not in kinds:
        raise ValidationError(_("文件不是 Word 文档（可能是改了扩展名的其他文件）。"), code="not_word")


def _fib_encrypted(data, offset):
    """The Word binary's own flag, in the first sector of the WordDocument stream (its FIB)."""
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        return False
    start, size = struct.unpack_from("<II", data, offset + 116)
    cutoff = struct.unpack_from("<I", data, 56)[0]
    position = (start + 1) << shift
    if size < cutoff or position + 12 > len(data):  # in the mini stream: not a Word binary's
        return False
    ident, _version, _product, _language, _next, flags = struct.unpack_from("<HHHHHH", data, position)
    return ident in FIB_IDENTS and bool(flags & F_ENCRYPTED)


# PDF -----------------------------------------------------------------------------------------

SCRIPT_NAMES = ("JS", "JavaScript", "AA", "Launch", "RichMedia", "XFA")
EMBEDDED_NAMES = ("EmbeddedFile", "EmbeddedFiles", "FileAttachment")
# Names of three letters or fewer turn up by chance in 20 MB of compressed image data (about one
# file in ten would be flagged for nothing): those are looked for between streams only. The long
# ones are looked for everywhere, so that a fake "stream" keyword cannot hide them; a JavaScript
# action always names /S /JavaScript, a launch /S /Launch.
SHORT_NAMES = ("JS", "AA", "XFA")
REGULAR = rb"[^\x00\t\n\x0c\r /<>\[\]()%{}]"  # a character that continues a name


def _escapable(name):
    """A name as a pattern: each character as itself or as its #xx escape."""
    parts = []
    for ch in name:
        code = f"{ord(ch):02x}"
        hexed = b"".join(f"[{c}{c.upper()}]".encode() if c.isalpha() else c.encode() for c in code)
        parts.append(b"(?:" + re.escape(ch.encode()) + b"|#" + hexed + b")")
    return b"".join(parts)


def _names_pattern(names):
    """A pattern for these names, escaped or not (a look at the first character first: faster)."""
    first = re.escape("".join(sorted({name[0] for name in names})).encode())
    alternatives = b"|".join(_escapable(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(b"/(?=[" + first + b"#])(" + alternatives + b")(?!" + REGULAR + b")")


_ALL = _names_pattern((*SCRIPT_NAMES, *EMBEDDED_NAMES))
# The long names, and ObjStm (object streams the file declares), in one pass over the file
_LONG = _names_pattern([name for name in (*SCRIPT_NAMES, *EMBEDDED_NAMES, "ObjStm") if name not in SHORT_NAMES])
_SHORT = _names_pattern(SHORT_NAMES)
_OBJSTM = _names_pattern(("ObjStm",))
# An object stream starts with pairs of numbers (object, offset; the first offset 0), then the
# first object; a page's drawing that starts with numbers goes on with an operator (cm, re, Td …).
_OBJSTM_HEAD = re.compile(rb"\s*\d+\s+0\s+(?:\d+\s+)*(?:<<|\[|/|\(|<|\d*\Z)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")


def unescape(name):
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


def _names(pattern, data, start=0, end=None):
    return {unescape(match.group(1)) for match in pattern.finditer(data, start, len(data) if end is None else end)}


def pdf_warning(data):
    """The warning for a PDF's names: in its own bytes, and in its object streams inflated."""
    found_long = [unescape(name) for name in _LONG.findall(data)]
    declared = found_long.count("ObjStm")
    names = set(found_long) - {"ObjStm"}
    streams, read, inflated, cursor, unchecked = 0, 0, 0, 0, False
    while (found := _STREAM.search(data, cursor)) is not None:  # from the end of the stream before
        if streams >= MAX_STREAMS or inflated >= MAX_INFLATED:
            unchecked = inflated >= MAX_INFLATED or read < declared
            break
        streams += 1
        names |= _names(_SHORT, data, cursor, found.end())
        declared_here = _OBJSTM.search(data, cursor, found.start()) is not None  # in this stream's dictionary
        end = data.find(b"endstream", found.end())
        end = len(data) if end < 0 else end
        cursor = end + len(b"endstream")
        if not _is_object_stream(data, found.end()):
            unchecked = unchecked or declared_here  # another filter, encrypted, damaged: not read
            continue
        read += declared_here  # (one that only looks like an object stream is read, not counted)
        in_stream, size, whole = _inflate_names(memoryview(data)[found.end() : end], MAX_INFLATED - inflated)
        inflated += size
        names |= in_stream
        unchecked = unchecked or not whole
    names |= _names(_SHORT, data, cursor)
    if read < declared:
        unchecked = True  # declared where no stream we could read follows: something hides there
    return _pdf_message(names, unchecked)


def _is_object_stream(data, begin):
    """Whether the stream starting at `begin` is a FlateDecode object stream: zlib data whose
    start inflates to pairs of numbers (a peek at its first kilobyte)."""
    head = data[begin : begin + 2]
    if len(head) < 2 or head[0] & 0x0F != 8 or (head[0] << 8 | head[1]) % 31:
        return False
    try:
        peek = zlib.decompressobj().decompress(data[begin : begin + 4096], 1024)
    except zlib.error:
        return False
    return _OBJSTM_HEAD.match(peek) is not None  # else a page's drawing, a font, an image


def _inflate_names(source, budget):
    """(the names found, bytes inflated, whether read whole) of zlib data, inflated a piece at a
    time (never more than CHUNK held) up to `budget` bytes."""
    inflater, names, size, tail, position, pending = zlib.decompressobj(), set(), 0, b"", 0, b""
    try:
        while size <= budget:
            if not pending:
                if position >= len(source):
                    break
                pending, position = source[position : position + CHUNK], position + CHUNK
            piece = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            window = tail + piece
            last = inflater.eof or (not pending and position >= len(source))
            # a name cut at the window's end is looked at again with the next piece
            names |= {unescape(m.group(1)) for m in _ALL.finditer(window) if last or m.end() < len(window)}
            tail, size = window[-NAME_SPAN:], size + len(piece)
            if inflater.eof:
                return names, size, True
    except zlib.error:
        return names, size, False
    return names, size, False  # past the budget, or the data ends before the stream does


def _pdf_message(names, unchecked):
    script = sorted(name for name in names if name in SCRIPT_NAMES)
    embedded = sorted(name for name in names if name in EMBEDDED_NAMES)
    parts = []
    if script:
        listed = "、".join(f"/{name}" for name in script)
        parts.append(_("PDF 含有 JavaScript 或自动执行的动作（%(names)s），请勿在浏览器外直接打开。") % {"names": listed})
    if embedded:
        listed = "、".join(f"/{name}" for name in embedded)
        parts.append(_("PDF 内嵌了其他文件（%(names)s），请勿打开其中的文件。") % {"names": listed})
    if unchecked:
        parts.append(_("PDF 中有压缩的对象未能完全检查（过多、过大、加密或已损坏），请谨慎打开。"))
    return " ".join(parts)[:WARNING_LENGTH]
