"""Documents in: a practice written in Word (.docx, from Word or WPS) read into the parts of an entry.

    practice = documents.read_practice(upload)   # raises documents.DocumentRefused (in Chinese)

guard.py checks the package (by content, bounded before and while reading, nothing fetched);
reader.py opens it with python-docx; structure.py finds the title, fields, sections, results,
the model person's story and the pictures with their captions. The pictures go through
submissions.images, the same checks and clean renditions as uploaded photos. Nothing is stored
here: the caller (the form, the mailbox import) stages or saves what it keeps.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from submissions import images
from submissions.documents import reader, structure
from submissions.documents.guard import MAX_BYTES, DocumentRefused, check_package

log = logging.getLogger(__name__)

MAX_PHOTOS = 9
FIELDS = ["org_name", "brand_name", "brand_slogan", "brand_idea", "introduction", "results", "model_story"]

__all__ = ["MAX_BYTES", "MAX_PHOTOS", "DocPhoto", "DocumentRefused", "Practice", "read_practice"]


@dataclass
class DocPhoto:
    renditions: images.Renditions
    caption: str


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
    parts = check_package(upload, name)
    del parts  # checked: python-docx reads the same bytes again, within the same sizes
    upload.seek(0)
    data = upload.read()
    try:
        parsed = structure.build(reader.read_blocks(data))
    except DocumentRefused:
        raise
    except Exception:  # a package that passed the checks but python-docx cannot make sense of
        log.warning("a checked Word document could not be read", exc_info=True)
        raise DocumentRefused(_("文件已损坏或不是 Word 文档（.docx），请重新保存后再上传。"), "unreadable") from None
    practice = Practice(fields={k: v for k, v in parsed.fields.items() if k in FIELDS and v}, sections=parsed.sections)
    if photos:
        _photos(practice, parsed.pictures)
    return practice


def _photos(practice, pictures):
    if len(pictures) > MAX_PHOTOS:
        practice.notices.append(
            _("文档中有 %(count)s 张图片，只导入了前 %(max)s 张。") % {"count": len(pictures), "max": MAX_PHOTOS}
        )
    for number, (blob, caption) in enumerate(pictures[:MAX_PHOTOS], 1):
        try:
            renditions = images.make_renditions(ContentFile(blob, name=f"picture{number}"))
        except ValidationError as exc:
            practice.notices.append(
                _("文档中的第 %(number)s 张图片未导入：%(reason)s") % {"number": number, "reason": exc.messages[0]}
            )
            continue
        practice.photos.append(DocPhoto(renditions=renditions, caption=caption))
