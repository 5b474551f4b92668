"""Checking a Word package before anything parses it: judged by content, bounded before it is read.

The order matters. The upload's size and first bytes first (an old binary .doc, or not a zip at
all); then the zip's central directory (number of parts, declared expanded size, encryption)
without expanding anything; then every part is expanded in chunks with a running count, so a
directory that lies about sizes is caught while reading (a part we never need whole, such as a
picture over the photo limit, is left unexpanded past that limit and noted in `Package.skipped`);
every XML part (by name or by its declared content type) is measured, then parsed with
defusedxml (no DOCTYPE, no entity, no external reference) inside the bounds of xmlbounds.py
(elements, nesting, attributes, time); the relationships are read for external targets (a
linked image or template would be fetched by Word: refused; plain hyperlinks are only links and
are allowed); macro and ActiveX parts are refused.

Only once all of this passed does python-docx open the package (reader.py), rebuilt from the
very bytes checked here (`Package.rebuilt()`), never the upload again.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from submissions.platform import images
from submissions.platform.documents import ole, xmlbounds

MAX_BYTES = 20 * 1024 * 1024  # the upload itself
MAX_PARTS = 400  # parts in the zip directory
MAX_EXPANDED = 80 * 1024 * 1024  # all parts kept, expanded, together
MAX_XML_PART = 16 * 1024 * 1024  # one XML part expanded
# Any other part (pictures, embedded fonts and files) is expanded to this at most: a picture
# over it would be refused by the photo pipeline anyway, so it is left out with its reason
# (its bytes never held) rather than refusing the whole document.
MAX_OTHER_PART = images.MAX_BYTES
CHUNK = 256 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroenabled.main+xml"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


class DocumentRefused(ValidationError):
    """A document that is not read, with the reason in Chinese for the submitter."""

    def __init__(self, message, code):
        super().__init__(message, code=code)


def refuse(message, code):
    raise DocumentRefused(message, code)


def _corrupt():
    refuse(_("文件已损坏或不是 Word 文档（.docx），请重新保存后再上传。"), "bad_zip")


def _not_docx():
    refuse(_("这不是 Word 文档（.docx），请选择用 Word 或 WPS 保存的 .docx 文件。"), "not_docx")


def _bomb():
    refuse(_("文档解压后过大（可能是压缩炸弹），不能读取。"), "zip_bomb")


@dataclass
class Package:
    """A checked package: every part's bytes (b"" for a part left unexpanded) and those left
    unexpanded, {part name: why} ("oversized")."""

    parts: dict
    skipped: dict = field(default_factory=dict)

    def rebuilt(self):
        """The checked parts as a new zip (stored, not compressed: fast), for python-docx."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)
        return out.getvalue()


def _head(upload):
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return head


def _size(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return size


def sniff(upload):
    """What a Word upload is, by its content (bounded before it is read): "docx" (a zip: `inspect`
    judges it) or "doc" (Word 97-2003 or WPS: an OLE2 compound file with a WordDocument stream,
    converted by convert.py). Anything else is refused here, with a message in Chinese: an RTF
    or HTML file saved as .doc, another OLE2 file (Excel, PowerPoint, MS Works), a damaged one."""
    size = _size(upload)
    if size > MAX_BYTES:
        refuse(_("Word 文档超过 20 MB，请压缩其中的图片后再上传。"), "too_big")
    if size == 0:
        refuse(_("上传的文件是空的，请重新选择。"), "empty")
    upload.seek(0)
    start = upload.read(1024)
    upload.seek(0)
    if start.startswith(ZIP_MAGIC):
        return "docx"
    if start.startswith(OLE_MAGIC):
        data = upload.read(MAX_BYTES + 1)
        upload.seek(0)
        try:
            names = ole.stream_names(data)
        except ole.Damaged:
            refuse(_("文件已损坏或不完整，不能读取。请在 Word 或 WPS 中重新保存后再上传。"), "bad_ole")
        if "EncryptedPackage" in names:  # a .docx with a password is stored as OLE2
            refuse(_("文档已加密，请取消密码后再上传。"), "encrypted")
        if "WordDocument" not in names:
            refuse(_("这不是 Word 文档（可能是 Excel、PowerPoint 或其他格式），请选择 Word 文档后再上传。"), "not_word")
        return "doc"
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"{\\rtf"):
        refuse(_("这是 RTF 格式的文件，请另存为 Word 文档（.docx）后再上传。"), "rtf")
    if text.startswith(b"<?xml") and b"<html" not in text:
        refuse(_("这是 XML 格式的文件，请另存为 Word 文档（.docx）后再上传。"), "xml")
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"mime-version:")) or b"<html" in text:
        refuse(_("这是网页（HTML）格式的文件，请另存为 Word 文档（.docx）后再上传。"), "html")
    _not_docx()


def check_package(upload, name=""):
    """Check an upload (a file object) as a Word package; returns {part name: bytes} of every
    part, read within the limits (b"" for a part left unexpanded, see `inspect`). Raises
    DocumentRefused with a message in Chinese. Bounded in time and memory, so it can run in
    the calling process (the attachment check does)."""
    return inspect(upload, name).parts


def inspect(upload, name="", bounds=None):
    """check_package's work, as a Package (with the parts left unexpanded)."""
    size = _size(upload)
    if size > MAX_BYTES:
        refuse(_("Word 文档超过 20 MB，请压缩其中的图片后再上传。"), "too_big")
    if size == 0:
        refuse(_("上传的文件是空的，请重新选择。"), "empty")
    head = _head(upload)
    if head == OLE_MAGIC:
        refuse(
            _("这是旧版 Word（.doc）文件或加密的文档，暂不能读取。请在 Word 或 WPS 中“另存为” .docx 格式（不加密码）后再上传。"),
            "old_doc",
        )
    if not head.startswith(ZIP_MAGIC):
        _not_docx()
    if (name or "").lower().endswith((".docm", ".dotm")):
        refuse(_("文档含有宏（.docm），出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
    try:
        archive = zipfile.ZipFile(upload)
    except MemoryError:
        raise
    except Exception:  # BadZipFile, or NotImplementedError / struct.error / … from a damaged directory
        _corrupt()
    with archive:
        package = _read_parts(archive)
    upload.seek(0)
    _check_content(package, bounds or xmlbounds.Bounds())
    return package


def _limit(filename):
    return MAX_XML_PART if _is_xml(filename) else MAX_OTHER_PART


def _read_parts(archive):
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        refuse(_("文档结构异常（包含的部件过多），不能读取。"), "too_many_parts")
    for info in infos:
        if info.flag_bits & 0x1:
            refuse(_("文档已加密，请取消密码后再上传。"), "encrypted")
        lowered = info.filename.lower()
        if "vbaproject" in lowered or "vbadata" in lowered or lowered.startswith("word/activex/"):
            refuse(_("文档含有宏或控件，出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
        if _is_xml(info.filename) and info.file_size > MAX_XML_PART:
            _bomb()
    # What the directory declares, each part counted up to what would be kept of it.
    if sum(min(info.file_size, _limit(info.filename)) for info in infos) > MAX_EXPANDED:
        _bomb()
    package, total = Package(parts={}), 0
    for info in infos:
        if info.is_dir():
            continue
        limit = _limit(info.filename)
        chunks, read = [], 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    if read > limit:
                        break
                    total += len(chunk)
                    if total > MAX_EXPANDED:
                        _bomb()
                    chunks.append(chunk)
        except (DocumentRefused, MemoryError):
            raise
        except Exception:  # a damaged entry: bad CRC, unknown compression, truncated data …
            _corrupt()
        if read > limit:
            if _is_xml(info.filename):
                _bomb()
            total -= sum(len(chunk) for chunk in chunks)
            package.parts[info.filename], package.skipped[info.filename] = b"", "oversized"
            continue
        package.parts[info.filename] = b"".join(chunks)
    return package


def _is_xml(filename):
    return filename.lower().endswith((".xml", ".rels"))


def _parse(data, bounds, keep):
    """An XML part parsed with defusedxml inside the bounds (xmlbounds.py)."""
    try:
        return xmlbounds.parse(data, bounds, keep=keep)
    except xmlbounds.TooComplex:
        refuse(xmlbounds.message(), "too_complex")
    except xmlbounds.Unsafe:
        refuse(_("文档含有不安全的 XML 结构（DOCTYPE 或实体定义），不能读取。"), "xml_entity")
    except xmlbounds.Malformed:
        refuse(_("文件已损坏或不是 Word 文档（.docx），请重新保存后再上传。"), "bad_xml")


def _xml_type(content_type):
    """A content type python-docx parses as XML (a picture, even SVG, is never parsed: the photo
    pipeline judges it)."""
    return content_type.endswith(("+xml", "/xml")) and not content_type.startswith("image/")


def _content_types(types):
    """{part name: content type} from [Content_Types].xml (overrides, then defaults by extension)."""
    overrides, defaults = {}, {}
    for element in types:
        value = (element.get("ContentType") or "").lower()
        if "macroenabled" in value or "vbaproject" in value or "activex" in value:
            refuse(_("文档含有宏或控件，出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
        if element.tag == f"{CT_NS}Override":
            overrides[(element.get("PartName") or "").lstrip("/")] = value
        elif element.tag == f"{CT_NS}Default":
            defaults[(element.get("Extension") or "").lower()] = value
    return overrides, defaults


def _check_content(package, bounds):
    parts = package.parts
    if "[Content_Types].xml" not in parts or "_rels/.rels" not in parts:
        _not_docx()
    # The content types and relationships are kept as trees (small); the rest only checked.
    trees = {name: _parse(data, bounds, True) for name, data in parts.items() if name.endswith(".rels")}
    overrides, defaults = _content_types(_parse(parts["[Content_Types].xml"], bounds, True))
    for name, data in parts.items():
        declared = overrides.get(name) or defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")
        if name.endswith(".rels") or name == "[Content_Types].xml" or not (_is_xml(name) or _xml_type(declared)):
            continue
        if name in package.skipped:  # declared XML, but too big to have been read as a picture
            _bomb()
        _parse(data, bounds, False)  # python-docx parses by content type: every XML part is checked
    main = None
    for name, tree in trees.items():
        for rel in tree.iter(f"{REL_NS}Relationship"):
            external = (rel.get("TargetMode") or "").lower() == "external"
            if external and rel.get("Type") != HYPERLINK:
                refuse(
                    _("文档引用了外部文件或网址（链接的图片或模板），出于安全考虑不能读取。请把图片直接插入文档后再上传。"),
                    "external",
                )
            if name == "_rels/.rels" and rel.get("Type") == OFFICE_DOCUMENT:
                main = posixpath.normpath(rel.get("Target", "").lstrip("/"))
    if main is None or main not in parts:
        _not_docx()
    if overrides.get(main) == MACRO_MAIN:
        refuse(_("文档含有宏（.docm），出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
    if overrides.get(main) != WORD_MAIN:
        _not_docx()
