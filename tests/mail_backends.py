"""E-mail backends for tests that run real worker processes (tests/platform/test_worker.py).

AppendingBackend writes one JSON line per message to the file MAIL_LOG names (O_APPEND: lines
from several processes never interleave), after MAIL_DELAY seconds: a slow mail server, so a
test can find a worker in the middle of a send.
"""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class AppendingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("MAIL_DELAY", "0"))
        if delay:
            time.sleep(delay)
        fd = os.open(os.environ["MAIL_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for message in email_messages:
                line = {"pid": os.getpid(), "to": message.to, "subject": message.subject}
                os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode())
        finally:
            os.close(fd)
        return len(email_messages)
