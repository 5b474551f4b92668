"""The cluster test's mail backend: tests/mail_backends.AppendingBackend (one JSON line per mail in
MAIL_LOG, after MAIL_DELAY seconds), which first notes in MAIL_MARKS each message it is about to
send, with its process id and the time. A line in MAIL_MARKS without its line in MAIL_LOG is a send
in progress: the test kills a worker there, in the middle of a send."""

import json
import os
import time

from tests.mail_backends import AppendingBackend


class MarkedBackend(AppendingBackend):
    def send_messages(self, email_messages):
        fd = os.open(os.environ["MAIL_MARKS"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for message in email_messages:
                line = {"pid": os.getpid(), "at": time.time(), "to": message.to, "subject": message.subject}
                os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode())
        finally:
            os.close(fd)
        return super().send_messages(email_messages)
