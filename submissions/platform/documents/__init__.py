"""Documents in: a practice written in Word (.docx, from Word or WPS) read into the parts of an entry.

    practice = documents.read_practice(upload)   # raises documents.DocumentRefused (in Chinese)

The whole read happens in a child process inside memory, CPU-time and wall-clock ceilings
(sandbox.py), so that no document can take a web or task worker down: there, guard.py checks
the package (by content, bounded before and while reading, every XML part inside the bounds of
xmlbounds.py, nothing fetched); reader.py opens it with python-docx; structure.py finds the
title, fields, sections, results, the model person's story and the pictures with their
captions; the pictures go through submissions.platform.images, the same checks and clean renditions as
uploaded photos. What comes back is plain data (text, and the renditions' bytes), made here
into a Practice. Nothing is stored here: the caller (the form, the mailbox import) stages or
saves what it keeps.
"""

import io
import logging
import traceback
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from submissions.platform import images
from submissions.platform.documents import guard, labels, reader, sandbox, structure
from submissions.platform.documents.guard import MAX_BYTES, DocumentRefused, check_package

log = logging.getLogger(__name__)

MAX_PHOTOS = 9
# The fields a document may fill (labels.py names them). org_type, sector and region are the
# document's own words: the form layer (submissions/intake/forms/word.py) matches them to its choices.
FIELDS = labels.FIELDS
RENDITIONS = ("image", "display", "thumbnail")

__all__ = ["MAX_BYTES", "MAX_PHOTOS", "DocPhoto", "DocumentRefused", "Practice", "check_package", "read_practice"]


@dataclass
class DocPhoto:
    renditions: images.Renditions
    caption: str
    section: int | None = None  # the number (1…) of the section it stands in; None: before or after them


@dataclass
class Practice:
    """What a document gave: the entry's fields (only those found), sections, photos, and notices
    for the submitter (photos left out, and why)."""

    fields: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    def get(self, name, default=""):
        return self.fields.get(name, default)


def read_practice(upload, name=None, *, photos=True):
    """Read an uploaded .docx into a Practice; raises DocumentRefused with a message in Chinese."""
    name = name if name is not None else getattr(upload, "name", "")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)  # one byte more than allowed is enough to refuse it
    upload.seek(0)
    outcome = sandbox.run(read_plain, data, name, photos)
    if outcome.failure:
        log.warning(
            "a Word document's read ended (%s) after %.1f s at %s kB: %s",
            outcome.failure,
            outcome.seconds,
            outcome.peak_kb,
            outcome.detail,
        )
        raise _refusal(outcome.failure)
    refused = outcome.value.get("refused")
    if refused:
        if refused.get("detail"):
            log.warning("a checked Word document could not be read: %s", refused["detail"])
        raise DocumentRefused(str(refused["message"]), str(refused["code"]))
    return practice_of(outcome.value, outcome.blobs)


def _refusal(failure):
    if failure == "memory":
        return DocumentRefused(
            _("文档过于复杂，读取所需的内存超出限制，不能读取。请压缩其中的图片，或删去不需要的内容后再上传。"), "too_much_memory"
        )
    if failure in ("time", "cpu"):
        return DocumentRefused(
            _("文档过于复杂，无法在限定时间内读取。请在 Word 或 WPS 中另存为新文档，或删去不需要的内容后再上传。"), "too_slow"
        )
    return DocumentRefused(_("文档读取时意外中止，不能读取。请在 Word 或 WPS 中另存为新文档后再上传。"), "crashed")


def read_plain(data, name, photos=True):
    """The read itself (in the child): (plain dict, [renditions' bytes]). A refusal is an answer
    too ({"refused": {...}}); nothing here is an object that crosses the process boundary."""
    try:
        package = guard.inspect(io.BytesIO(data), name)
        try:
            parsed = structure.build(reader.read_blocks(package.rebuilt(), package.skipped))
        except DocumentRefused:
            raise
        except Exception as exc:  # a package that passed the checks but python-docx cannot make sense of
            if _out_of_memory(exc):
                raise MemoryError from exc
            message = _("文件已损坏或不是 Word 文档（.docx），请重新保存后再上传。")
            return {"refused": {"code": "unreadable", "message": message, "detail": traceback.format_exc()[-4000:]}}, []
    except DocumentRefused as exc:
        return {"refused": {"code": exc.code, "message": exc.messages[0]}}, []
    value = {
        "fields": {k: v for k, v in parsed.fields.items() if k in FIELDS and v},
        "sections": [[heading, body] for heading, body in parsed.sections],
        "photos": [],
        "notices": [],
    }
    blobs = []
    if photos:
        _photos(value, blobs, parsed.pictures)
    return value, blobs


def _out_of_memory(exc):
    """Whether a MemoryError is behind this exception (zipfile and python-docx turn one into a
    "closed file" ValueError while cleaning up)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MemoryError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def practice_of(value, blobs):
    """The Practice from the child's plain answer (JSON types and bytes only)."""
    practice = Practice(
        fields={str(k): str(v) for k, v in value["fields"].items() if k in FIELDS},
        sections=[(str(heading), str(body)) for heading, body in value["sections"]],
        notices=[str(notice) for notice in value["notices"]],
    )
    for index, photo in enumerate(value["photos"]):
        image, display, thumbnail = blobs[3 * index : 3 * index + 3]
        renditions = images.Renditions(
            image=ContentFile(image, name="image.jpg"),
            display=ContentFile(display, name="display.jpg"),
            thumbnail=ContentFile(thumbnail, name="thumb.jpg"),
            width=int(photo["width"]),
            height=int(photo["height"]),
            sha256=str(photo["sha256"]),
        )
        section = photo.get("section")
        section = int(section) if isinstance(section, int) and section > 0 else None
        practice.photos.append(DocPhoto(renditions=renditions, caption=str(photo["caption"]), section=section))
    return practice


def _photos(value, blobs, pictures):
    notices = value["notices"]
    if len(pictures) > MAX_PHOTOS:
        notices.append(_("文档中有 %(count)s 张图片，只导入了前 %(max)s 张。") % {"count": len(pictures), "max": MAX_PHOTOS})
    for number, (blob, caption, section) in enumerate(pictures[:MAX_PHOTOS], 1):
        try:
            renditions = _renditions(blob, number)
        except ValidationError as exc:
            notices.append(_("文档中的第 %(number)s 张图片未导入：%(reason)s") % {"number": number, "reason": exc.messages[0]})
            continue
        value["photos"].append(
            {
                "caption": caption,
                "section": section,
                "width": renditions.width,
                "height": renditions.height,
                "sha256": renditions.sha256,
            }
        )
        for name in RENDITIONS:
            content = getattr(renditions, name)
            content.seek(0)
            blobs.append(content.read())


def _renditions(blob, number):
    """One picture's renditions; any failure of this picture alone is a ValidationError with its reason."""
    name = f"picture{number}"
    if isinstance(blob, reader.Unexpanded):  # the guard did not expand it: over the photo size limit
        raise ValidationError(_("图片“%(name)s”超过 10 MB，请压缩后再上传。") % {"name": name})
    try:
        return images.make_renditions(ContentFile(blob, name=name))
    except ValidationError:
        raise
    except MemoryError:
        raise ValidationError(images.TOO_MUCH_MEMORY) from None
    except Exception:  # a picture Pillow fails on past the checks: this picture only
        log.warning("a picture in a Word document could not be processed", exc_info=True)
        raise ValidationError(_("图片文件已损坏或不完整，请重新上传。")) from None
