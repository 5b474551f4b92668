"""The results' background work (docs/tasks.md): a certificate's PDF rendered and signed in the worker.

Queued by its dotted path (hooks.py), so that only the worker imports WeasyPrint and pyHanko.
A failure raises: the queue records it and runs it again.
"""

from submissions.models import Certificate, CertificateState, SiteSettings
from submissions.results import pdf, services, signing


def render_certificate(certificate_id):
    """Render, sign and keep the PDF of an issued certificate (once: a second run finds the file)."""
    certificate = Certificate.objects.select_related("campaign").filter(pk=certificate_id).first()
    if certificate is None or certificate.state != CertificateState.ISSUED or certificate.pdf:
        return
    publisher = SiteSettings.load().publisher
    data = pdf.render(certificate, issuer=publisher)
    services.keep_pdf(certificate, signing.sign(data, reason=f"{certificate.heading} {certificate.number}", location=publisher))
