"""A fetched message's raw bytes, read within bounds: no database, no IMAP.

    head = parse.head_of(raw)      # Message-ID (whole), sender, subject, date, key, fingerprint
    message = parse.parse(raw)     # an email.message.EmailMessage, or Unreadable (in Chinese)
    found = parse.contacts(body)   # the contact's name, mobile number, address from the body's signature

The top-level headers that key a message are read from the bytes by hand, never through the
email parser or the IMAP server (dovecot drops the fields after a 10 MB header): a Message-ID
stays whole however large the other headers are. The MIME structure is counted line by line
before the parser builds it, so a message nested 1,000 deep is refused before any recursion;
every header value the parser is given is cut at MAX_FIELD characters (the structured-header
parser is quadratic on some values). Text is cleaned of control characters and of undecodable
bytes before anything stores it. The body's contacts are looked for in its first
MAX_CONTACT_SCAN characters only, line by line, with patterns of bounded length (no
backtracking that grows with the input).
"""

import email
import email.policy
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr, parsedate_to_datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portal.text import strip_controls

MAX_DEPTH = 20  # nested MIME levels (the message itself is 1)
MAX_PARTS = 100  # MIME entities in one message
MAX_FIELD = 1000  # characters of one header value given to the email parser
MAX_ID_CHARS = 2000  # characters of the Message-ID kept for display (the key hashes the whole)
KEYED = (b"message-id", b"from", b"subject", b"date", b"authentication-results")
_END = re.compile(rb"\r?\n\r?\n")
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))', re.IGNORECASE)
_SURROGATES = re.compile("[\ud800-\udfff]")
MAX_CONTACT_SCAN = 8000  # characters of the body searched for the contact (a signature is near the top)
MAX_CONTACT_LINE = 200  # longer lines are not a signature's
MAX_NAME = 30  # Submission.contact_name
MAX_LABEL = 15  # characters before a signature line's colon
# A mainland mobile number, also written 138 1234 5678 / 138-1234-5678 / +86 138…; never part of a longer number.
MOBILE = re.compile(r"(?<![\d+])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
# Signature labels (after NFKC: full-width colons and spaces are plain ones).
NAME_LABELS = ("联系人姓名", "联系人", "联络人", "姓名")
PHONE_LABELS = ("联系电话", "联系人电话", "手机号码", "手机号", "手机", "电话", "电话号码", "联系方式", "tel", "mobile")
EMAIL_LABELS = ("电子邮箱", "联系邮箱", "邮箱", "e-mail", "email")
_NAME_END = re.compile(r"[\s,，;；、/|(（]")


class Unreadable(Exception):
    """A message refused before it is parsed; `reason` is for the editors (Chinese)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Head:
    message_id: bytes  # whole, unfolded; b"" when there is none
    key: str  # sha256 of the whole Message-ID, or of From/Date/Subject when there is none
    fingerprint: str  # sha256 of the sender's address and the body: what the message says
    sender: str = ""
    sender_name: str = ""
    sender_email: str = ""
    subject: str = ""
    sent_at: datetime | None = None
    auth_results: list = field(default_factory=list)  # Authentication-Results values, topmost first

    @property
    def message_id_text(self):
        return clean(self.message_id.decode("utf-8", "replace"))[:MAX_ID_CHARS]

    @property
    def sender_domain(self):
        return self.sender_email.rsplit("@", 1)[-1].lower() if self.sender_email else ""


def clean(value):
    """Text fit to store: no control characters (tab and newline stay), no lone surrogates."""
    text = strip_controls(value or "")
    if _SURROGATES.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean_tree(value):
    """clean() applied to every string in a JSON-like value (a draft)."""
    if isinstance(value, dict):
        return {clean(str(key)): clean_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(item) for item in value]
    return clean(value) if isinstance(value, str) else value


def split(raw):
    """(header block, body) of raw message bytes: the body starts after the first empty line."""
    if raw.startswith((b"\r\n", b"\n")):
        return b"", raw[raw.index(b"\n") + 1 :]
    found = _END.search(raw)
    if found is None:
        return raw, b""
    return raw[: found.start()], raw[found.end() :]


def fields(block, wanted=KEYED):
    """[(name, value)] of the header block's fields named in `wanted` (lower case), in order,
    each unfolded (the line breaks of a folded value removed, its spaces kept)."""
    found, name, chunks = [], None, []
    for line in block.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if name is not None:
                chunks.append(line.rstrip(b"\r"))
            continue
        if name is not None:
            found.append((name, b"".join(chunks)))
        head, colon, value = line.partition(b":")
        name = head.strip().lower() if colon else None
        name = name if name in wanted else None
        chunks = [value.rstrip(b"\r")]
    if name is not None:
        found.append((name, b"".join(chunks)))
    return found


def _text(value):
    """Header bytes as text: ASCII (RFC 2047 words decoded later), else UTF-8, else GB18030."""
    value = value[: MAX_FIELD * 4]
    for charset in ("ascii", "utf-8"):
        try:
            return value.decode(charset)
        except UnicodeDecodeError:
            continue
    return value.decode("gb18030", "replace")


def _decoded(name, value):
    """A header value decoded (RFC 2047) by the email package's own header classes, bounded."""
    text = _text(value).strip()[:MAX_FIELD]
    try:
        return clean(str(email.policy.default.header_factory(name, text)))
    except Exception:  # a value the header classes cannot take: its text as it is
        return clean(text)


def _date(value):
    try:
        found = parsedate_to_datetime(_text(value)[:200])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if found is None or not 1990 <= found.year <= 2200:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def _address(text):
    name, address = parseaddr(text[:MAX_FIELD])
    try:
        validate_email(address)
    except ValidationError:
        address = ""
    return clean(name).strip()[:100], address[:254]


def _labelled(line, labels):
    """The rest of a `label：rest` line (the label's own spaces ignored: 联 系 人：…) or of a
    `label rest` line when its label is one of `labels`, else None."""
    colon = line.find(":", 0, MAX_LABEL + 1)
    if colon >= 0:
        label = "".join(line[:colon].split()).lower()
        return line[colon + 1 :].strip() if label in labels else None
    head, _space, rest = line.partition(" ")
    return rest.strip() if head.lower() in labels else None


def mobile(text):
    """The first mainland mobile number in `text`, as 11 digits, else ""."""
    found = MOBILE.search(text)
    return "".join(found.groups()) if found else ""


def contacts(body):
    """The contact a mail's body names: {"contact_name", "contact_phone", "contact_email"} (only
    those found). A signature's labelled lines (联系人：… / 电话：… / 邮箱：…) come first; else the
    first mobile number in the text. Only the first MAX_CONTACT_SCAN characters are read."""
    text = unicodedata.normalize("NFKC", (body or "")[:MAX_CONTACT_SCAN])
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or len(line) > MAX_CONTACT_LINE:
            continue
        name = _labelled(line, NAME_LABELS)
        if name is not None and "contact_name" not in found:
            name = _NAME_END.split(name, 1)[0].strip()
            if name and len(name) <= MAX_NAME and "@" not in name and not any(c.isdigit() for c in name):
                found["contact_name"] = clean(name)
            number = mobile(line)
            if number:
                found.setdefault("contact_phone", number)
            continue
        phone = _labelled(line, PHONE_LABELS)
        if phone is not None and "contact_phone" not in found:
            number = mobile(phone)
            if number:
                found["contact_phone"] = number
            continue
        address = _labelled(line, EMAIL_LABELS)
        if address is not None and "contact_email" not in found:
            address = address.split()[0] if address.split() else ""
            try:
                validate_email(address)
            except ValidationError:
                continue
            found["contact_email"] = address[:254]
    if "contact_phone" not in found:
        number = mobile(text)
        if number:
            found["contact_phone"] = number
    return found


def _sha(*parts):
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def head_of(raw, *, body=None):
    """The Head of raw message bytes. `body`: the body's first bytes when `raw` holds only the
    message's beginning (a message too big to fetch whole)."""
    block, rest = split(raw)
    values = {}
    results = []
    for name, value in fields(block):
        if name == b"authentication-results":
            if len(results) < 20:
                results.append(_text(value)[:4000])
        else:
            values.setdefault(name, value)
    message_id = values.get(b"message-id", b"").replace(b"\r", b"").replace(b"\n", b"").strip(b" \t")
    sender = _decoded("from", values.get(b"from", b"")).strip()[:300]
    sender_name, sender_email = _address(sender)
    if body is None:  # no empty line: the message is all header, and all of it is what it says
        body = rest if len(block) < len(raw) else raw
    content = body.replace(b"\r\n", b"\n").rstrip()
    if message_id:
        key = _sha(b"message-id", message_id)
    else:  # no Message-ID: what the sender wrote in the headers, not what servers added
        key = _sha(b"headers", values.get(b"from", b""), values.get(b"date", b""), values.get(b"subject", b""))
    return Head(
        message_id=message_id,
        key=key,
        fingerprint=_sha(b"content", (sender_email.lower() or sender).encode("utf-8", "replace"), content),
        sender=sender,
        sender_name=sender_name,
        sender_email=sender_email,
        subject=_decoded("subject", values.get(b"subject", b""))[:300],
        sent_at=_date(values[b"date"]) if b"date" in values else None,
        auth_results=results,
    )


def structure(raw):
    """(depth, parts) of the message's MIME tree, counted on its lines before any parsing: each
    multipart's boundary is followed as the email parser follows it (a boundary line of an outer
    part closes the inner ones), a message/rfc822 part nests one level more."""
    stack = []  # (b"--" + boundary, depth of that multipart)
    depth = deepest = parts = 1
    in_headers, ctype, folding = True, b"", False
    for line in raw.split(b"\n"):
        line = line.rstrip(b"\r")
        if in_headers:
            if line[:1] in (b" ", b"\t"):
                if folding:
                    ctype += line
                continue
            if line:
                folding = line[:13].lower() == b"content-type:" and not ctype
                if folding:
                    ctype = line[13:]
                continue
            kind = ctype.strip().lower()
            ctype, folding = b"", False
            if kind.startswith(b"message/rfc822") or kind.startswith(b"message/global"):
                depth += 1
                deepest, parts = max(deepest, depth), parts + 1
                continue  # the enclosed message's own headers follow
            boundary = _BOUNDARY.search(kind) if kind.startswith(b"multipart/") else None
            if boundary:
                stack.append((b"--" + (boundary.group(1) or boundary.group(2)), depth))
            in_headers = False
            continue
        if not stack or not line.startswith(b"--"):
            continue
        for index in range(len(stack) - 1, -1, -1):
            marker, level = stack[index]
            if not line.startswith(marker):
                continue
            rest = line[len(marker) :]
            closing = rest.startswith(b"--")
            if (rest[2:] if closing else rest).strip(b" \t"):
                continue  # a longer boundary that starts like this one
            del stack[index + 1 :]
            if closing:
                stack.pop()
            else:
                depth = level + 1
                deepest, parts = max(deepest, depth), parts + 1
                in_headers = True
            break
        if parts > MAX_PARTS:
            break
    return deepest, parts


class _BoundedPolicy(email.policy.EmailPolicy):
    """email.policy.default, with every header value cut at MAX_FIELD characters as it is read,
    and each value parsed once (the email package parses a part's Content-Type again on every
    look: finding the body, the attachments, each file name)."""

    def header_source_parse(self, sourcelines):
        name, value = super().header_source_parse(sourcelines)
        return name, value[:MAX_FIELD]

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name"):
            return value
        return _parsed(self, name, value)


@functools.lru_cache(maxsize=512)
def _parsed(policy, name, value):
    return email.policy.EmailPolicy.header_fetch_parse(policy, name, value)


POLICY = _BoundedPolicy()


def parse(raw):
    """The message, parsed with POLICY once its structure is counted; Unreadable if too deep or
    too many parts."""
    depth, parts = structure(raw)
    if depth > MAX_DEPTH:
        raise Unreadable(_("邮件结构嵌套过深（超过 %(max)s 层），未读取。") % {"max": MAX_DEPTH})
    if parts > MAX_PARTS:
        raise Unreadable(_("邮件分段过多（超过 %(max)s 段），未读取。") % {"max": MAX_PARTS})
    return email.message_from_bytes(raw, policy=POLICY)
