"""One fetched message into the intake queue, on its own: stored first, read second.

    store.handle(campaign, raw, head)   # IMPORTED, SKIPPED or QUARANTINED
    store.read(item, raw)               # (again) parse a stored message into its draft

`handle` stores the row with its raw bytes at once, quarantined ("读取中断") until it is read,
so a worker that dies while reading leaves a row an editor can see, download and retry, never
a message tried again and again. `read` parses it in its own transaction: the text body (any
charset) and the contact it names (parse.contacts), the first Word attachment read as on the public form (submissions.platform.documents), photos
through submissions.platform.images, PDF/Word files as attachments, all staged through
forms.bundle.Staging (the one staging path of every way in); a refused file is a note on the
message. Any exception while reading (a recursion, a crash in a reader, a row the database
refuses) quarantines the message with its reason; its staged files go.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from submissions.intake import services as intake
from submissions.intake.forms import uploads, word_choices
from submissions.intake.forms.bundle import Staging
from submissions.intake.mailbox import parse, senders
from submissions.models import MailboxMessage
from submissions.platform import documents, images
from submissions.platform.documents import convert

log = logging.getLogger(__name__)

IMPORTED, SKIPPED, QUARANTINED = "imported", "skipped", "quarantined"
MAX_ATTACHMENTS = 12  # parts with a file name, per message
MAX_BODY_CHARS = 20000
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
Q = MailboxMessage.Outcome.QUARANTINED


def interrupted():
    return _("读取中断（处理这封邮件时程序停止），请重新读取或下载原始邮件查看。")


def reason(exc):
    """The editors' reason for a failed read: in Chinese, with the exception's class."""
    if isinstance(exc, parse.Unreadable):
        return exc.reason
    if isinstance(exc, RecursionError):
        text = _("邮件结构或邮件头嵌套过深，未读取。")
    elif isinstance(exc, MemoryError):
        text = _("读取邮件时内存不足。")
    else:
        text = _("读取邮件时出错，请下载原始邮件查看。")
    return f"{text}（{type(exc).__name__}）"


def handle(campaign, raw, head, *, note=""):
    """Store one fetched message (raw None: too big to fetch, `note` says so) unless the same
    message is stored already. A Message-ID seen before with another sender or other content
    is stored too, pointing at the earlier message (`same_id_as`)."""
    earlier = list(
        MailboxMessage.objects.filter(campaign=campaign, message_key=head.key).order_by("pk").values_list("pk", "fingerprint")
    )
    if any(fingerprint in (head.fingerprint, "") for _pk, fingerprint in earlier):  # "": keyed before fingerprints
        return SKIPPED
    item = MailboxMessage(
        campaign=campaign,
        message_id=head.message_id_text,
        message_key=head.key,
        fingerprint=head.fingerprint,
        same_id_as_id=earlier[0][0] if earlier and head.message_id else None,
        sender=head.sender,
        sender_email=head.sender_email,
        subject=head.subject,
        sent_at=head.sent_at,
        sender_check=senders.check(head.auth_results, head.sender_domain),
        outcome=Q,
        failure=interrupted(),
        attempts=1,
    )
    if raw is not None:
        item.raw.save(f"{head.key[:24]}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            item.save()
    except BaseException as exc:
        if item.raw.name:
            item.raw.storage.delete(item.raw.name)
        if isinstance(exc, IntegrityError):  # the same message, stored meanwhile by another run
            return SKIPPED
        raise
    if raw is None:
        update(item, outcome=MailboxMessage.Outcome.PENDING, failure="", notes=note)
        return IMPORTED
    return IMPORTED if read(item, raw, head) else QUARANTINED


def update(item, **values):
    for name, value in values.items():
        setattr(item, name, value)
    MailboxMessage.objects.filter(pk=item.pk).update(**values)


def read(item, raw, head=None):
    """Parse the raw message into the item's draft: PENDING (True), or QUARANTINED with the reason (False)."""
    head = head or parse.head_of(raw)
    staged = _Staged()
    try:
        with transaction.atomic():
            message = parse.parse(raw)
            notes = []
            body = _body(message)
            draft = {"fields": sender_contact(head, body), "sections": []}
            _read_attachments(message, draft, notes, staged, item.campaign)
            values = {
                "body": parse.clean(body),
                "draft": parse.clean_tree(draft),
                "notes": parse.clean("\n".join(notes)),
                "photo_keys": [photo.upload_key for photo in staged.photos],
                "attachment_keys": [attachment.upload_key for attachment in staged.attachments],
                "outcome": MailboxMessage.Outcome.PENDING,
                "failure": "",
            }
            MailboxMessage.objects.filter(pk=item.pk).update(**values)
    except Exception as exc:
        intake.discard(staged.photos, staged.attachments)
        log.warning("mailbox message %s quarantined", item.pk, exc_info=True)
        update(item, outcome=Q, failure=reason(exc))
        return False
    except BaseException:
        intake.discard(staged.photos, staged.attachments)
        raise
    for name, value in values.items():
        setattr(item, name, value)
    return True


def sender_contact(head, body):
    """The contact fields a message gives before its document: the sender's name and address,
    then what the body's signature says (联系人 / 电话 / 邮箱 lines, or a mobile number in the
    text) in their place. A Word document's own fields, read after, go over these."""
    fields = {"contact_name": _person(head.sender_name), "contact_email": head.sender_email}
    fields.update(parse.contacts(body))
    return {name: value for name, value in fields.items() if value}


def _person(name):
    """The sender's display name as a contact's name: not an address, not a number, at most 30 characters."""
    name = (name or "").strip().strip("\"'")
    if not name or "@" in name or any(char.isdigit() for char in name) or len(name) > parse.MAX_NAME:
        return ""
    return name


def _body(message):
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, KeyError):  # an unknown charset: the bytes as GB18030, the widest Chinese one
        text = (part.get_payload(decode=True) or b"").decode("gb18030", "replace")
    if not isinstance(text, str):
        return ""
    if part.get_content_type() == "text/html":
        text = _strip_tags(text)
    return text.replace("\r\n", "\n").strip()[:MAX_BODY_CHARS]


def _strip_tags(text):
    """The text of an HTML body without its tags (str.find from left to right: linear on any input)."""
    out, start = [], 0
    while True:
        opening = text.find("<", start)
        closing = text.find(">", opening + 1) if opening >= 0 else -1
        if closing < 0:
            break
        out.append(text[start:opening])
        start = closing + 1
    out.append(text[start:])
    return "".join(out)


class _Staged:
    """What one message stages, through the one staging path of every way in (forms.bundle.Staging:
    its caps, no client allowance), kept to be discarded if the read fails."""

    def __init__(self):
        self.staging = Staging(prefix=intake.MAIL_KEY)
        self.photos, self.attachments = [], []

    def photo(self, renditions, caption):
        found = self.staging.photo(renditions, caption)
        if found is not None:
            self.photos.append(found)
        return found

    def attachment(self, checked):
        found = self.staging.attachment(checked)
        if found is not None:
            self.attachments.append(found)


def _read_attachments(message, draft, notes, staged, campaign):
    files = [part for part in message.iter_attachments() if part.get_filename() or part.get_content_maintype() == "image"]
    if len(files) > MAX_ATTACHMENTS:
        notes.append(_("邮件有 %(count)s 个附件，只读取了前 %(max)s 个。") % {"count": len(files), "max": MAX_ATTACHMENTS})
    word_read = False
    for part in files[:MAX_ATTACHMENTS]:
        filename = parse.clean(part.get_filename() or "").strip()[:200] or _("附件")
        data = part.get_payload(decode=True) or b""
        if len(data) > uploads.MAX_ATTACHMENT_BYTES:
            notes.append(_("附件“%(name)s”超过 20 MB，未读取。") % {"name": filename})
            continue
        upload = ContentFile(data, name=filename)
        if part.get_content_type() in IMAGE_TYPES or part.get_content_maintype() == "image":
            _photo(upload, filename, notes, staged)
            continue
        try:
            checked = uploads.check_attachment(upload)
        except ValidationError as exc:
            notes.append(exc.messages[0])
            continue
        if checked.ext in ("docx", "doc") and not word_read:
            word_read = _word(upload, filename, draft, notes, staged, campaign, old=checked.ext == "doc")
        upload.seek(0)
        staged.attachment(checked)


def _word(upload, filename, draft, notes, staged, campaign, *, old=False):
    try:
        if old:  # a .doc or .wps: converted by LibreOffice here, in the worker, within the reader's bounds
            converted = convert.to_docx(upload.read())
            practice = documents.read_practice(ContentFile(converted, name="converted.docx"), "converted.docx")
        else:
            practice = documents.read_practice(upload, filename)
    except documents.DocumentRefused as exc:  # a note for the editor, not a failure of the message
        notes.append(_("附件“%(name)s”未能读取：%(reason)s") % {"name": filename, "reason": exc.messages[0]})
        return False
    finally:
        upload.seek(0)
    fields, unmatched = word_choices.values_of(practice.fields, campaign)  # 党组织类型, 所在市 … as the form's choices
    draft["fields"].update({name: value for name, value in fields.items() if value})
    draft["sections"] = [list(pair) for pair in practice.sections]
    notes.extend([*practice.notices, *unmatched])
    placed = {}  # a picture's section (its number in the document's sections), by the staged photo's key
    for photo in practice.photos:
        found = staged.photo(photo.renditions, parse.clean(photo.caption))
        if found is not None and photo.section:
            placed[found.upload_key] = photo.section
    draft["photo_sections"] = placed
    return True


def _photo(upload, filename, notes, staged):
    if staged.staging.photo_room <= 0:
        notes.append(_("图片“%(name)s”未导入：图片最多 %(max)s 张。") % {"name": filename, "max": documents.MAX_PHOTOS})
        return
    try:
        renditions = images.make_renditions(upload)
    except ValidationError as exc:
        notes.append(_("图片“%(name)s”未导入：%(reason)s") % {"name": filename, "reason": exc.messages[0]})
        return
    staged.photo(renditions, filename.rsplit(".", 1)[0][:100])
