"""The newspaper's signing key and certificate: where they are, and a development pair.

The key and its certificate are PEM files named by settings (CERTIFICATE_SIGNING_KEY,
CERTIFICATE_SIGNING_CERT). Development (DEBUG) and the tests have no newspaper's key: dev_pair()
makes a self-signed pair once into a directory of the caller's choosing (the temp directory for
`make run`). Without a configured pair outside DEBUG, issuing refuses with SigningUnavailable
(and `manage.py check --deploy` warns): an unsigned certificate would be worth nothing, and a
self-signed one in production would look like the real thing. Kept apart from the signing itself
(signing.py) so that asking "may we issue?" does not load pyHanko into every web process.
"""

import datetime
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _


class SigningUnavailable(Exception):
    """No signing key is configured; str() is a message for the editor who tried to issue."""


def configured_pair():
    """(key path, certificate path) from settings; in DEBUG without them, a development pair made once."""
    key = getattr(settings, "CERTIFICATE_SIGNING_KEY", "")
    cert = getattr(settings, "CERTIFICATE_SIGNING_CERT", "")
    if key and cert:
        return Path(key), Path(cert)
    if settings.DEBUG:
        return dev_pair(Path(tempfile.gettempdir()) / "portal-dev-signing")
    raise SigningUnavailable(
        _("未配置报社的签名证书（CERTIFICATE_SIGNING_KEY、CERTIFICATE_SIGNING_CERT），不能颁发证书：请联系系统管理员。")
    )


def dev_pair(directory, common_name="大众日报社（开发测试用）"):
    """A self-signed key and certificate (PEM) in `directory`, made the first time only. Not for production."""
    directory = Path(directory)
    key_path, cert_path = directory / "signing-key.pem", directory / "signing-cert.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name), x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True
        )  # digital signature, non-repudiation (content commitment), and signing itself as its own root
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def deploy_check(app_configs=None, **kwargs):
    """`manage.py check --deploy`: certificates cannot be issued without the newspaper's signing pair."""
    key = getattr(settings, "CERTIFICATE_SIGNING_KEY", "")
    cert = getattr(settings, "CERTIFICATE_SIGNING_CERT", "")
    if not (key and cert):
        return [
            checks.Warning(
                "CERTIFICATE_SIGNING_KEY and CERTIFICATE_SIGNING_CERT are not set: certificates cannot be issued.",
                hint="Point both at the newspaper's PEM key and certificate (docs/certificates.md).",
                id="results.W001",
            )
        ]
    missing = [path for path in (key, cert) if not Path(path).is_file()]
    if missing:
        return [checks.Warning(f"certificate signing files not found: {', '.join(missing)}", id="results.W002")]
    return []
