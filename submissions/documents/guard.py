"""Checking a Word package before anything parses it: judged by content, bounded before it is read.

The order matters. The upload's size and first bytes first (an old binary .doc, or not a zip at
all); then the zip's central directory (number of parts, declared expanded size, encryption)
without expanding anything; then every part is expanded in chunks with a running count, so a
directory that lies about sizes is caught while reading; every XML part is parsed with
defusedxml (no DOCTYPE, no entity, no external reference); the relationships are read for
external targets (a linked image or template would be fetched by Word: refused; plain
hyperlinks are only links and are allowed); macro and ActiveX parts are refused.

Only once all of this passed does python-docx open the package (reader.py).
"""

import io
import posixpath
import zipfile

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024  # the upload itself
MAX_PARTS = 400  # parts in the zip directory
MAX_EXPANDED = 80 * 1024 * 1024  # all parts expanded, together
MAX_XML_PART = 16 * 1024 * 1024  # one XML part expanded
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


def check_package(upload, name=""):
    """Check an upload (a file object) as a Word package; returns {part name: bytes} of every
    part, read within the limits. Raises DocumentRefused with a message in Chinese."""
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
        refuse(_("这不是 Word 文档（.docx），请选择用 Word 或 WPS 保存的 .docx 文件。"), "not_docx")
    if (name or "").lower().endswith((".docm", ".dotm")):
        refuse(_("文档含有宏（.docm），出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
    try:
        archive = zipfile.ZipFile(upload)
    except Exception:  # BadZipFile, or NotImplementedError / struct.error / … from a damaged directory
        refuse(_("文件已损坏或不是 Word 文档（.docx），请重新保存后再上传。"), "bad_zip")
    with archive:
        parts = _read_parts(archive)
    upload.seek(0)
    _check_content(parts)
    return parts


def _read_parts(archive):
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        refuse(_("文档结构异常（包含的部件过多），不能读取。"), "too_many_parts")
    if sum(info.file_size for info in infos) > MAX_EXPANDED:
        refuse(_("文档解压后过大（可能是压缩炸弹），不能读取。"), "zip_bomb")
    for info in infos:
        if info.flag_bits & 0x1:
            refuse(_("文档已加密，请取消密码后再上传。"), "encrypted")
        lowered = info.filename.lower()
        if "vbaproject" in lowered or "vbadata" in lowered or lowered.startswith("word/activex/"):
            refuse(_("文档含有宏或控件，出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
    parts, total = {}, 0
    for info in infos:
        if info.is_dir():
            continue
        limit = MAX_XML_PART if _is_xml(info.filename) else MAX_EXPANDED
        chunks, read = [], 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    total += len(chunk)
                    if read > limit or total > MAX_EXPANDED:
                        refuse(_("文档解压后过大（可能是压缩炸弹），不能读取。"), "zip_bomb")
                    chunks.append(chunk)
        except DocumentRefused:
            raise
        except Exception:  # a damaged entry: bad CRC, unknown compression, truncated data …
            refuse(_("文件已损坏或不是 Word 文档（.docx），请重新保存后再上传。"), "bad_zip")
        parts[info.filename] = b"".join(chunks)
    return parts


def _is_xml(filename):
    return filename.lower().endswith((".xml", ".rels"))


def _parse(data):
    """An XML part parsed with defusedxml: a DOCTYPE, an entity or an external reference is refused."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        refuse(_("文档含有不安全的 XML 结构（DOCTYPE 或实体定义），不能读取。"), "xml_entity")
    except SafeET.ParseError:
        refuse(_("文件已损坏或不是 Word 文档（.docx），请重新保存后再上传。"), "bad_xml")


def _check_content(parts):
    trees = {name: _parse(data) for name, data in parts.items() if _is_xml(name)}
    types = trees.get("[Content_Types].xml")
    if types is None or "_rels/.rels" not in trees:
        refuse(_("这不是 Word 文档（.docx），请选择用 Word 或 WPS 保存的 .docx 文件。"), "not_docx")
    content_types = {}
    for element in types:
        value = (element.get("ContentType") or "").lower()
        if "macroenabled" in value or "vbaproject" in value or "activex" in value:
            refuse(_("文档含有宏或控件，出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
        if element.tag == f"{CT_NS}Override":
            content_types[(element.get("PartName") or "").lstrip("/")] = value
    main = None
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
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
        refuse(_("这不是 Word 文档（.docx），请选择用 Word 或 WPS 保存的 .docx 文件。"), "not_docx")
    if content_types.get(main) == MACRO_MAIN:
        refuse(_("文档含有宏（.docm），出于安全考虑不能读取。请另存为普通的 .docx 文档后再上传。"), "macro")
    if content_types.get(main) != WORD_MAIN:
        refuse(_("这不是 Word 文档（.docx），请选择用 Word 或 WPS 保存的 .docx 文件。"), "not_docx")
