"""Mail for the mailbox tests: the shapes real clients send (Foxmail/Outlook multipart with a GBK
body, a Word document and a photo), and the shapes a hostile sender sends; and the helpers that
start the IMAP server and point a campaign at it (each test module has its own server)."""

import base64
import imaplib
import shutil
import ssl
import subprocess
import tempfile

import pytest

from tests import docx_corpus as corpus
from tests.factories import CampaignFactory
from tests.imap_server import ImapServer
from tests.submit_data import image_bytes

CASE = next(c for c in corpus.CASES if c["name"] == "labels-table-photos")  # SEED: 3 photos, a table
GBK_BODY = "编辑部老师您好：\r\n附件是我们支部的党建品牌材料，请审阅。\r\n沂蒙社区党委 王老师\r\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def server():
    """A started dovecot (a generator for a module-scoped fixture: `yield from mail_samples.server()`)."""
    # Not under pytest's own temporary folder: that one is private to root, and dovecot's
    # unprivileged processes must read the user list and the Maildir.
    root = tempfile.mkdtemp(prefix="portal-imap-")
    try:
        started = ImapServer(root).start()
    except (FileNotFoundError, subprocess.CalledProcessError, RuntimeError) as exc:
        pytest.fail(f"dovecot could not start (apt-get install dovecot-imapd): {exc}")
    yield started
    started.stop()
    shutil.rmtree(root, ignore_errors=True)


def campaign_on(imap_server, settings, monkeypatch, **fields):
    settings.MAILBOX_CA_FILE = str(imap_server.root / "cert.pem")
    found = CampaignFactory(
        slug="mail-2026", imap_host="127.0.0.1", imap_port=imap_server.port, imap_user=imap_server.user, **fields
    )
    monkeypatch.setenv("PORTAL_IMAP_PASSWORD_MAIL_2026", imap_server.password)
    return found


def client(server, folder="INBOX"):
    found = imaplib.IMAP4_SSL(
        "127.0.0.1", server.port, ssl_context=ssl.create_default_context(cafile=str(server.root / "cert.pem"))
    )
    found.login(server.user, server.password)
    found.select(folder)
    return found


def unseen(server, folder="INBOX"):
    connection = client(server, folder)
    _status, found = connection.search(None, "UNSEEN")
    connection.logout()
    return len(found[0].split())


def b64(data):
    return base64.encodebytes(data).decode()


def foxmail_message(message_id, *, subject="=?UTF-8?B?5rKC6JKZ56S+5Yy65YWa5aeU5YWa5bu65ZOB54mM5oql6YCB?=", document=None):
    """multipart/mixed as Foxmail and Outlook write it: an RFC 2047 subject (UTF-8, base64), a GBK
    text body, the Word document with its Chinese name in RFC 2231 (filename*=), and a photo."""
    document = document if document is not None else corpus.build(CASE)
    return (
        "From: =?GBK?B?zfXAz8qm?= <wang@example.org>\r\n"
        "To: mailbox@example.com\r\n"
        f"Subject: {subject}\r\n"
        "Date: Tue, 01 Dec 2026 09:30:00 +0800\r\n"
        f"Message-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="----=_NextPart_000"\r\n'
        "\r\n"
        "------=_NextPart_000\r\n"
        'Content-Type: text/plain; charset="GBK"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        f"{b64(GBK_BODY.encode('gbk'))}"
        "------=_NextPart_000\r\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\r\n"
        "\tname*=UTF-8''%E6%B2%82%E8%92%99%E7%A4%BE%E5%8C%BA.docx\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment;\r\n"
        "\tfilename*=UTF-8''%E6%B2%82%E8%92%99%E7%A4%BE%E5%8C%BA.docx\r\n"
        "\r\n"
        f"{b64(document)}"
        "------=_NextPart_000\r\n"
        'Content-Type: image/jpeg; name="IMG_0001.jpg"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="IMG_0001.jpg"\r\n'
        "\r\n"
        f"{b64(image_bytes(size=(800, 600)))}"
        "------=_NextPart_000--\r\n"
    ).encode("ascii")


def plain(message_id, *, sender=b"Sender <sender@example.org>", subject=b"plain", body=b"text\r\n", headers=b"", ctype=None):
    """A one-part message; every piece as bytes, so a test can put anything in it."""
    head = headers + b"From: " + sender + b"\r\nTo: mailbox@example.com\r\nSubject: " + subject + b"\r\n"
    head += b"Date: Tue, 01 Dec 2026 09:30:00 +0800\r\n"
    if message_id is not None:
        head += b"Message-ID: " + message_id + b"\r\n"
    head += b"MIME-Version: 1.0\r\nContent-Type: " + (ctype or b"text/plain; charset=utf-8") + b"\r\n"
    return head + b"\r\n" + body


def with_parts(message_id, parts, *, subject=b"parts"):
    """multipart/mixed of the given raw parts (each its headers, a blank line and its body)."""
    body = b"".join(b"--sep\r\n" + part + b"\r\n" for part in parts) + b"--sep--\r\n"
    return plain(message_id, subject=subject, body=body, ctype=b'multipart/mixed; boundary="sep"')


def attachment(filename, data, ctype=b"application/octet-stream"):
    return (
        b"Content-Type: " + ctype + b"\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="'
        + filename
        + b'"\r\n\r\n'
        + base64.encodebytes(data).replace(b"\n", b"\r\n")
    )


def nested(message_id, depth):
    """multipart/mixed inside multipart/mixed … `depth` levels, a text part at the bottom."""
    opening = b"".join(b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i - 1, i) for i in range(1, depth))
    closing = b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth)))
    body = opening + b"--b%d\r\nContent-Type: text/plain\r\n\r\nhello\r\n" % (depth - 1) + closing
    return plain(message_id, subject=b"deep", body=body, ctype=b'multipart/mixed; boundary="b0"')


def forwarded(message_id, depth):
    """A message forwarded as an attachment (message/rfc822) inside another, `depth` times."""
    inner = b"From: a@example.org\r\nSubject: inner\r\n\r\nhello\r\n"
    for level in range(depth):
        head = b'From: a@example.org\r\nSubject: fwd\r\nContent-Type: multipart/mixed; boundary="f%d"\r\n\r\n' % level
        inner = head + b"--f%d\r\nContent-Type: message/rfc822\r\n\r\n" % level + inner + b"\r\n--f%d--\r\n" % level
    return b"Message-ID: " + message_id + b"\r\n" + inner
