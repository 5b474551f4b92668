"""The newspaper's digital signature on a certificate's PDF, made with pyHanko.

Signing covers every byte of the file but the signature itself, so a PDF reader shows a changed
file as altered; validate() is the same check in code (the tests, and whoever wants to check a
file handed to them). The key pair comes from submissions.results.keys. pyHanko was chosen
because it is the maintained pure-Python PDF signer (PAdES, incremental updates that keep
WeasyPrint's file as it is, and a validator that the tests use); about 0.15 s a signature here.
"""

import io
from functools import lru_cache

from django.utils.translation import gettext as _
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from submissions.results.keys import SigningUnavailable, configured_pair

FIELD = "NewspaperSignature"


@lru_cache(maxsize=4)
def _signer(key_path, cert_path):
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    if signer is None:
        raise SigningUnavailable(_("报社的签名证书无法读取，不能颁发证书：请联系系统管理员。"))
    return signer


def sign(pdf, *, reason, location=""):
    """The PDF (bytes) with the newspaper's signature added as an incremental update."""
    key_path, cert_path = configured_pair()
    signer = _signer(str(key_path), str(cert_path))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, reason=reason, location=location, md_algorithm="sha256")
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def validate(pdf, cert_path=None):
    """Whether the PDF's signature is intact and made by the configured certificate (or `cert_path`'s).

    Any damage that stops the file from being read counts as invalid, not as an error."""
    trusted = load_cert_from_pemder(str(cert_path or configured_pair()[1]))
    try:
        signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
        if len(signatures) != 1:
            return False
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=[trusted]))
    except Exception:
        return False
    return bool(status.intact and status.valid and status.bottom_line)
