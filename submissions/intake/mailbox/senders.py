"""Is the sender who the From header says? Read from the message's own Authentication-Results
(RFC 8601), written by the mail server that received it.

Only a header written by our own mail server counts: the one whose authserv-id is
settings.MAILBOX_AUTHSERV_ID (set it to the id the campaign's mail server writes, e.g.
`mx.example.com`; a sender can put any header in a message, only the receiving server's are
true), or, when that is not set, the topmost one (the receiving server prepends its own above
whatever the sender wrote). PASSED when that header says dmarc=pass for the From domain,
dkim=pass for a signing domain (header.d) aligned with the From domain, or spf=pass for an
envelope sender (smtp.mailfrom) aligned with it; anything else, or no header, is UNVERIFIED.
Aligned: the same domain, or one a subdomain of the other (DMARC's relaxed alignment).
"""

import re

from django.conf import settings

from submissions.models import MailboxMessage

PASSED, UNVERIFIED = MailboxMessage.SenderCheck.PASSED, MailboxMessage.SenderCheck.UNVERIFIED
_METHOD = re.compile(r"([a-z0-9_.-]+)(?:/[0-9]+)?=([a-z]+)")


def trusted_ids():
    value = getattr(settings, "MAILBOX_AUTHSERV_ID", "") or ""
    if isinstance(value, str):
        value = value.split(",")
    return {item.strip().lower() for item in value if item.strip()}


def _tokens(text):
    """The value split at `;` and white space, outside quoted strings and (comments)."""
    pieces, word, quoted, comment = [[]], [], False, 0
    for char in text:
        if quoted:
            if char == '"':
                quoted = False
            else:
                word.append(char)
            continue
        if comment:
            comment += {"(": 1, ")": -1}.get(char, 0)
            continue
        if char == '"':
            quoted = True
        elif char == "(":
            comment = 1
        elif char == ";" or char.isspace():
            if word:
                pieces[-1].append("".join(word))
                word = []
            if char == ";":
                pieces.append([])
        else:
            word.append(char)
    if word:
        pieces[-1].append("".join(word))
    return pieces


def results(value):
    """(authserv-id, [(method, result, {property: value})]) of one Authentication-Results value."""
    pieces = _tokens(value[:4000])
    authserv = pieces[0][0].lower() if pieces[0] else ""
    found = []
    for piece in pieces[1:]:
        if not piece:
            continue
        method = _METHOD.fullmatch(piece[0].lower())
        if method is None:
            continue
        props = {}
        for token in piece[1:]:
            name, equals, item = token.partition("=")
            if equals:
                props.setdefault(name.lower(), item.lower())
        found.append((method.group(1), method.group(2), props))
    return authserv, found


def aligned(domain, sender_domain):
    domain = domain.rsplit("@", 1)[-1].strip().strip(".").lower()
    if "." not in domain or not sender_domain:
        return False
    return domain == sender_domain or sender_domain.endswith("." + domain) or domain.endswith("." + sender_domain)


def check(auth_results, sender_domain):
    """PASSED or UNVERIFIED for a message's Authentication-Results values (topmost first)."""
    if not sender_domain:
        return UNVERIFIED
    trusted = trusted_ids()
    parsed = [results(value) for value in auth_results]
    chosen = [found for authserv, found in parsed if authserv in trusted] if trusted else [found for _id, found in parsed[:1]]
    for found in chosen:
        for method, result, props in found:
            if result != "pass":
                continue
            if method == "dmarc" and aligned(props.get("header.from", sender_domain), sender_domain):
                return PASSED
            if method == "dkim" and aligned(props.get("header.d") or props.get("header.i", ""), sender_domain):
                return PASSED
            if method == "spf" and aligned(props.get("smtp.mailfrom", ""), sender_domain):
                return PASSED
    return UNVERIFIED
