"""从 Word 导入 on the entry form: a .docx read into the form for the submitter to check and send.

The import posts the whole form (button `action=import`, so it works without JavaScript):
what was typed and uploaded is checked and staged as on any re-shown page, then the page
comes back *unbound*, its initial values being what was typed, with the document filling only
the fields that were empty. Where the document differs from what was typed, the page lists
those fields with a choice (`action=import_replace`); the document's values travel in hidden
fields, so nothing is kept on the server between the two posts. The document's photos are
staged like uploads (submissions/platform/images.py checks them), with their captions; the document
itself is staged as an attachment if the submitter ticks the box. Nothing is submitted.

The import meets the page's own guards, through the page's Staging (forms/bundle.py): a post
refused as a bot (honeypot, too fast, forged stamp) stages nothing and the document is not even
read; the document's size counts against the address's daily allowance before it is read; its
photos and the kept copy are staged within the same caps and allowance as uploads.
"""

import json
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.intake.forms import uploads, word_choices
from submissions.intake.forms.bundle import is_disk_full, quota_message, storage_full_message
from submissions.intake.forms.parts import MAX_PHOTOS, MAX_SECTIONS
from submissions.platform import documents
from submissions.platform.documents import guard

TEXT_FIELDS = documents.FIELDS
PREFIX = "import"


class WordImportForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("选择 Word 文档（.docx / .doc / .wps）"),
        required=False,
        help_text=gettext_lazy("用 Word 或 WPS 保存的文档，不超过 20 MB；读出的内容填入下方表格，请核对后再提交。"),
        widget=forms.FileInput(
            attrs={
                "accept": ".docx,.doc,.wps,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/msword"
            }
        ),
    )
    keep = forms.BooleanField(label=gettext_lazy("同时把这份文档作为附件报送"), required=False)

    def __init__(self, *args, staging=None, **kwargs):
        """`staging`: the page's Staging (forms/bundle.py): its refusal and the address's allowance."""
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.practice = None
        self.staging = staging
        self.convert = False  # an old .doc / .wps: converted in the worker (doc_jobs.py), read after

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if self.staging is not None and self.staging.refused:  # a bot's post: the document is not read
            raise forms.ValidationError(self.staging.refused, code="refused")
        if not upload:
            raise forms.ValidationError(_("请先选择要导入的 Word 文档。"), code="required")
        if self.staging is not None and not self.staging.allow(upload.size):
            raise forms.ValidationError(_("今天从本网络上传的文件已达上限，文档未能读取，请明天再试。"), code="quota")
        if guard.sniff(upload) == "doc":  # judged by content; RTF, HTML, damaged files refused (in Chinese)
            self.convert = True
            return upload
        self.practice = documents.read_practice(upload)  # DocumentRefused is a ValidationError in Chinese
        return upload

    def refuse(self, message):
        """Show `message` under the document field (a conversion that failed or expired)."""
        self.full_clean()
        self._errors["document"] = self.error_class([message], renderer=self.renderer)


@dataclass
class ImportResult:
    initial: dict = field(default_factory=dict)  # {"form": {...}, "sections": [...], "photos": [...]}
    filled: list = field(default_factory=list)  # field names the document filled
    missing: list = field(default_factory=list)  # field names it did not fill (still empty)
    offers: dict = field(default_factory=dict)  # {field name: the document's differing value}
    notices: list = field(default_factory=list)
    replaced: list = field(default_factory=list)

    def offers_json(self):
        return json.dumps(self.offers, ensure_ascii=False)


def typed(bundle):
    """What the page holds now (after staging): initial values for an unbound bundle."""
    form = bundle.form
    values = {name: form[name].value() for name in form.fields if name not in ("attachment_files", "website")}
    values["attachment_keys"] = " ".join(form.attachment_key_list())
    sections = []
    for section in bundle.sections.forms:
        if bundle.sections._should_delete_form(section):
            continue
        heading, body = (section[name].value() or "" for name in ("heading", "body"))
        if heading.strip() or body.strip():
            sections.append({"heading": heading, "body": body})
    photos = []
    for photo in bundle.photos.forms:
        key = bundle.data.get(photo.add_prefix("key"), "") if bundle.data is not None else ""
        if key and not bundle.photos._should_delete_form(photo):
            photos.append({"key": key, "caption": photo["caption"].value() or "", "section": photo["section"].value() or None})
    return {"form": values, "sections": sections, "photos": photos}


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def merge(bundle, practice, *, keep_upload=None):
    """The page's values with the document's added where empty; photos and the kept document staged."""
    result = ImportResult(initial=typed(bundle), notices=list(practice.notices))
    values = result.initial["form"]
    document, unmatched = word_choices.values_of(practice.fields, getattr(bundle.entry, "campaign", None))
    result.notices += unmatched  # a 党组织类型 / 所属领域 / 所在市 the choices do not have: left to choose
    for name in TEXT_FIELDS:
        found = document.get(name, "")
        if not found:
            if _empty(values.get(name)):
                result.missing.append(name)
            continue
        if _empty(values.get(name)):
            values[name] = found
            result.filled.append(name)
        elif str(values[name]).strip() != found:
            result.offers[name] = found
    sections = [{"heading": h, "body": b} for h, b in practice.sections[:MAX_SECTIONS]]
    if len(practice.sections) > MAX_SECTIONS:
        result.notices.append(
            _("文档中有 %(count)s 个章节，只导入了前 %(max)s 个。") % {"count": len(practice.sections), "max": MAX_SECTIONS}
        )
    if sections and not result.initial["sections"]:
        result.initial["sections"] = sections
        result.filled.append("sections")
    elif sections and result.initial["sections"] != sections:
        result.offers["sections"] = sections
    elif not sections and not result.initial["sections"]:
        result.missing.append("sections")
    photos = result.initial["photos"]
    room = MAX_PHOTOS - len(photos)
    if len(practice.photos) > room:
        result.notices.append(
            _("图片最多 %(max)s 张：文档中另有 %(count)s 张未导入。")
            % {"max": MAX_PHOTOS, "count": len(practice.photos) - max(room, 0)}
        )
    staging = bundle.staging()
    staging.hold(photos=len(photos), attachments=len(result.initial["form"]["attachment_keys"].split()))
    try:
        taken = practice.photos[: max(room, 0)]
        placed = "sections" in result.filled  # the document's sections are the page's: its photos keep their place
        for photo, staged in zip(taken, staging.photos([(p.renditions, p.caption) for p in taken]), strict=True):
            if staged is not None:
                section = photo.section if placed and photo.section and photo.section <= len(sections) else None
                photos.append({"key": staged.upload_key, "caption": photo.caption, "section": section})
        if keep_upload is not None:
            _keep(result, keep_upload, staging)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        result.notices.append(storage_full_message())
    if staging.over_quota:
        result.notices.append(quota_message())
    if practice.photos:
        result.filled.append("photos")
    return result


def _keep(result, upload, staging):
    keys = result.initial["form"]["attachment_keys"].split()
    if staging.attachment_room <= 0:
        result.notices.append(_("附件已满 %(count)s 个，文档未作为附件保存。") % {"count": uploads.MAX_ATTACHMENTS})
        return
    # Read above through the same guard as an attachment; its bytes were counted before reading.
    staged = staging.attachment(uploads.word_document(upload), counted=True)
    if staged is not None:
        keys.append(staged.upload_key)
        result.initial["form"]["attachment_keys"] = " ".join(keys)


def replace(bundle, data):
    """The second step: the fields the submitter chose to take from the document (hidden offers)."""
    result = ImportResult(initial=typed(bundle))
    try:
        offers = json.loads(data.get("import_offers") or "{}")
    except ValueError:
        offers = {}
    if not isinstance(offers, dict):
        offers = {}
    for name in data.getlist("import_replace"):
        value = offers.get(name)
        if name in TEXT_FIELDS and isinstance(value, str):
            result.initial["form"][name] = value[:5000]
            result.replaced.append(name)
        elif name == "sections" and isinstance(value, list):
            result.initial["sections"] = [
                {"heading": str(item.get("heading", ""))[:40], "body": str(item.get("body", ""))[:5000]}
                for item in value[:MAX_SECTIONS]
                if isinstance(item, dict)
            ]
            result.replaced.append(name)
    return result


def mark(bundle, result):
    """Mark on the page the fields the document filled and those it left empty."""
    for name in result.filled:
        if name in bundle.form.fields:
            _note(bundle.form.fields[name], _("已从文档填入，请核对。"), "import-filled")
    for name in result.missing:
        if name in bundle.form.fields:
            _note(bundle.form.fields[name], _("文档中未找到，请填写。"), "import-missing")


def _note(formfield, text, css):
    formfield.help_text = f"{formfield.help_text} {text}".strip() if formfield.help_text else text
    classes = formfield.widget.attrs.get("class", "")
    formfield.widget.attrs["class"] = f"{classes} {css}".strip()


def label_of(bundle, name):
    if name == "sections":
        return _("做法章节")
    if name == "photos":
        return _("图片")
    formfield = bundle.form.fields.get(name)
    return str(formfield.label) if formfield is not None else name


def summary(bundle, result):
    """The labels the page's notice lists."""
    if result is None:
        return {}

    def labels(names):
        return "、".join(label_of(bundle, name) for name in names)

    return {
        "filled": labels(result.filled),
        "missing": labels(result.missing),
        "replaced": labels(result.replaced),
        "offers": [(name, label_of(bundle, name)) for name in result.offers],
    }
