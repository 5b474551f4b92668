"""从 Word 导入 of an old Word document (.doc, WPS's .wps): the conversion job between the web
request and the background worker (docs/word-import.md, "Old .doc and .wps files").

    key = doc_jobs.start(upload, keep=True)      # the web request: staged, then queued
    tasks.enqueue(intake_tasks.convert_word_document, key)
    doc_jobs.state(key)                           # {"state": "queued"|"running"|"done"|"failed", ...} or None
    doc_jobs.converted(key)                       # the .docx's bytes once done; doc_jobs.finish(key) after use

The job lives in the shared cache (Redis, or the database table: every process and machine sees
it) under a random key, which is the only way to it, for JOB_SECONDS at most: the document's
bytes (already bounded by the form: MAX_BYTES, the address's daily allowance), its state, then
the converted .docx. The worker claims a job before converting it (a task run twice, or twice at
once, converts once), removes the .doc as soon as it is converted, and checks the .docx with the
normal guarded reader (without the photos) so that a document it cannot read fails here, with
its message, not after the submitter's next click. Nothing is stored anywhere else.
"""

import logging
import re
import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from submissions.platform import documents
from submissions.platform.documents import convert

log = logging.getLogger(__name__)

JOB_SECONDS = 3600  # a job (and its bytes) is gone after this, used or not
CLAIM_SECONDS = 300  # a claimed job is not converted again within this (well above the ceilings)
KEY = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
PENDING = ("queued", "running")


def _name(key, part):
    return f"word-job:{key}:{part}"


def valid(key):
    return isinstance(key, str) and bool(KEY.match(key))


def start(upload, *, keep=False):
    """Stage the upload (bounded before: the form checked its size) and return the job's key."""
    key = secrets.token_urlsafe(32)
    upload.seek(0)
    data = upload.read(documents.MAX_BYTES + 1)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][:100]
    cache.set(_name(key, "in"), data, JOB_SECONDS)
    cache.set(_name(key, "state"), {"state": "queued", "name": name, "keep": bool(keep)}, JOB_SECONDS)
    return key


def state(key):
    """The job's state ({"state", "message", "name", "keep"}), or None (unknown, expired)."""
    if not valid(key):
        return None
    value = cache.get(_name(key, "state"))
    return value if isinstance(value, dict) else None


def _set(key, current, **changes):
    cache.set(_name(key, "state"), {**current, **changes}, JOB_SECONDS)


def run(key):
    """The worker's part: convert the staged document and check what came out. Safe to run twice."""
    current = state(key)
    if current is None or current.get("state") not in PENDING:
        return "gone" if current is None else current["state"]
    if not cache.add(_name(key, "claim"), 1, CLAIM_SECONDS):
        return "claimed"
    data = cache.get(_name(key, "in"))
    if data is None:
        _set(key, current, state="failed", message=_("文档转换已过期，请重新选择文档导入。"))
        return "failed"
    _set(key, current, state="running")
    try:
        docx = convert.to_docx(data)
        documents.read_practice(ContentFile(docx, name="converted.docx"), photos=False)
    except documents.DocumentRefused as exc:
        _set(key, current, state="failed", message=exc.messages[0])
        return "failed"
    except Exception:
        log.exception("converting an old Word document failed")
        _set(
            key, current, state="failed", message=_("文档转换时意外中止，请稍后重试，或在 Word 或 WPS 中另存为 .docx 后再上传。")
        )
        return "failed"
    finally:
        cache.delete(_name(key, "in"))
    cache.set(_name(key, "out"), docx, JOB_SECONDS)
    _set(key, current, state="done")
    return "done"


def converted(key):
    """The converted .docx as an upload named like the document (name.docx), or None."""
    current = state(key)
    data = cache.get(_name(key, "out")) if current else None
    if not isinstance(data, bytes):
        return None
    stem = current.get("name", "document").rsplit(".", 1)[0] or "document"
    return ContentFile(data, name=f"{stem}.docx")


def finish(key):
    """The job used (or failed and shown): everything of it removed."""
    if valid(key):
        cache.delete_many([_name(key, part) for part in ("in", "out", "state", "claim")])
