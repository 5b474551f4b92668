"""Attachments (PDF or Word), judged by their content, never by their name.

The type from the first bytes (detect_document), then what the content holds
(submissions/platform/attachments.py): a Word file meets the same guard as 从 Word 导入 and is refused
with its reason; a PDF with JavaScript or automatic actions is stored with a warning for editors.
The form, 从 Word 导入 and the mailbox all call check_attachment.
"""

import os
import zipfile
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from submissions.platform import attachments as attachment_check

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 3
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
}


@dataclass
class CheckedFile:
    """An upload that passed the checks, with the type found in its content."""

    upload: object
    ext: str
    content_type: str
    name: str
    warning: str = ""  # for editors (Attachment.warning): what the content holds that they should know

    @property
    def size(self):
        return self.upload.size


def detect_document(upload):
    """'pdf', 'docx' or 'doc' from the file's first bytes (and, for .docx, its zip directory); else None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == OLE_MAGIC:
        return "doc"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(upload) as archive:
                is_word = "word/document.xml" in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            is_word = False
        finally:
            upload.seek(0)
        return "docx" if is_word else None
    return None


def clean_name(name, ext):
    """The file name shown on download: no folders, no control characters, the extension its content has."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/|?*').strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{(stem or _('附件'))[:180]}.{ext}"


def check_attachment(upload):
    """A CheckedFile, or ValidationError with a message in Chinese."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("附件“%(name)s”超过 20 MB，请压缩或拆分后再上传。") % {"name": name}, code="too_big")
    if upload.size == 0:
        raise ValidationError(_("附件“%(name)s”是空文件。") % {"name": name}, code="empty")
    ext = detect_document(upload)
    if ext is None:
        raise ValidationError(
            _("附件“%(name)s”不是 PDF 或 Word 文件（只接受 .pdf、.doc、.docx）。") % {"name": name}, code="wrong_type"
        )
    try:
        warning = attachment_check.inspect(upload, ext, name)
    except ValidationError as exc:  # documents.DocumentRefused among them
        reason = exc.messages[0]
        raise ValidationError(
            _("附件“%(name)s”未能接受：%(reason)s") % {"name": name, "reason": reason}, code=exc.code or "refused"
        ) from None
    finally:
        upload.seek(0)
    return CheckedFile(upload=upload, ext=ext, content_type=TYPES[ext], name=clean_name(name, ext), warning=warning)


def word_document(upload):
    """The CheckedFile of a .docx that 从 Word 导入 has just read (it passed the same guard)."""
    return CheckedFile(
        upload=upload,
        ext="docx",
        content_type=TYPES["docx"],
        name=clean_name(getattr(upload, "name", ""), "docx"),
        warning=attachment_check.docx_warning(upload),
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once; cleans to the list of uploads (the form checks each, see check_attachments)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.doc,.docx,application/pdf,application/msword"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        return [item for item in (data if isinstance(data, list | tuple) else [data]) if item]


def check_attachments(uploads):
    """(the CheckedFiles that passed, the messages about those that did not). Only the first
    MAX_ATTACHMENTS are checked (a post carries up to DATA_UPLOAD_MAX_NUMBER_FILES, and checking
    a Word file by content costs); the rest are refused unread."""
    checked, errors = [], []
    for upload in uploads[:MAX_ATTACHMENTS]:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    extra = [getattr(upload, "name", "") or "" for upload in uploads[MAX_ATTACHMENTS:]]
    if extra:
        names = "、".join(extra[:5]) + ("…" if len(extra) > 5 else "")
        errors.append(_("附件最多 %(count)s 个，以下文件未接受：%(names)s") % {"count": MAX_ATTACHMENTS, "names": names})
    return checked, errors
