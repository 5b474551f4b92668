"""Sending a text message (短信) through a pluggable backend, the way Django sends e-mail.

settings.SMS_BACKEND is a dotted path to a class with send(phone, text), like EMAIL_BACKEND:
ConsoleBackend (the default: development) prints the message, LocMemBackend (tests) keeps it in
`outbox`. A real provider's adapter is a class of the same shape in the deployment's own code;
docs/vote.md describes one. Only the vote's confirmation codes go this way: no person's notice
does (those go through the outbox, submissions/platform/mail.py).
"""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "submissions.vote.sms.ConsoleBackend"


@dataclass(frozen=True)
class TextMessage:
    phone: str
    text: str


class BaseBackend:
    def send(self, phone, text):
        """Send `text` to the mainland mobile number `phone` (11 digits); raise on failure."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: the message on standard output, so the code can be read off the console."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone, text):
        self.stream.write(f"[SMS] {phone}: {text}\n")
        self.stream.flush()


# What LocMemBackend sent, oldest first (tests empty it themselves, as Django's mail.outbox).
outbox = []


class LocMemBackend(BaseBackend):
    """Tests: the message kept in `outbox`, nothing sent."""

    def send(self, phone, text):
        outbox.append(TextMessage(phone, text))


def backend():
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send(phone, text):
    backend().send(phone, text)
