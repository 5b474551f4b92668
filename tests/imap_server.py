"""A real IMAP server for the tests: Debian's dovecot-imapd (installed by .ci/run) on a loopback
port, TLS with a throwaway self-signed certificate, one throwaway user, mail in a Maildir, all in
a temporary folder. Messages are delivered by writing them into the Maildir, as a local delivery
agent does."""

import os
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
MAIL_UID = 65534  # nobody: dovecot never gives mail access as root

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ImapServer:
    def __init__(self, root):
        self.root = Path(root)
        self.user = "mailbox@example.com"
        self.password = secrets.token_urlsafe(12)
        self.port = free_port()
        self.process = None

    @property
    def maildir(self):
        return self.root / "mail" / self.user

    def start(self):
        root = self.root
        for folder in ("run", "state", "mail"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        (root / "users").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir(parents=True, exist_ok=True)
        for path in [root / "mail", self.maildir, *(self.maildir / sub for sub in ("cur", "new", "tmp"))]:
            os.chown(path, MAIL_UID, MAIL_UID)
        os.chmod(root, 0o755)
        (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=self.port, uid=MAIL_UID))
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _attempt in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot did not start: {self.process.stderr.read().decode()} {self.log()}")
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def deliver(self, raw):
        """Put one message (bytes) in the inbox, unread."""
        name = f"{time.time_ns()}.{secrets.token_hex(4)}.test"
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, MAIL_UID, MAIL_UID)
        os.rename(tmp, self.maildir / "new" / name)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
