"""A certificate's PDF: the HTML/CSS template (templates/results/certificate.html) printed by WeasyPrint.

WeasyPrint was chosen over xhtml2pdf and ReportLab because it lays out the template as a browser
would (absolute positioning, box-sizing, @page) and embeds the system's CJK OpenType fonts
(fontconfig: Debian's fonts-noto-cjk), subset to the characters used; ReportLab (and xhtml2pdf
on top of it) embeds TrueType outlines only, so the Noto CJK collections printed blank boxes.
Measured here: about 0.25 s per certificate once warm (0.5 s the first), about 0.3 MB a file.

The QR code (segno, as an inline SVG: no file, no network) points at the public verification
page, SITE_URL + its path. Nothing in the template is fetched from outside: a URL the template
names is refused (only data: URIs are fetched), so a wording or a campaign name cannot make the renderer reach out.
Only the worker imports this module (submissions.results.tasks, queued by its dotted path):
WeasyPrint takes about 0.7 s to import and loads pango, which no web process needs.
"""

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when imported: every
# later check of an upload in this process (platform/images.py: a truncated photo is refused)
# would then accept broken files. Our certificates embed only images we make (the QR code), so
# the process keeps Pillow's strict default.
ImageFile.LOAD_TRUNCATED_IMAGES = False

TEMPLATE = "results/certificate.html"
CSS = "results/certificate.css"

_DIGITS = "〇一二三四五六七八九"


def verify_url(number):
    return settings.SITE_URL + reverse("results:verify", args=[number])


def chinese_date(moment):
    """二〇二六年五月一日: the way a certificate is dated."""
    day = timezone.localtime(moment).date()
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{_number(day.month)}月{_number(day.day)}日"


def _number(n):
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("十" if tens == 1 else _DIGITS[tens] + "十") + (_DIGITS[ones] if ones else "")


def html(certificate, *, issuer):
    url = verify_url(certificate.number)
    with open(finders.find(CSS), encoding="utf-8") as css:
        return render_to_string(
            TEMPLATE,
            {
                "certificate": certificate,
                "css": css.read(),
                "issuer": issuer,
                "issued_on": chinese_date(certificate.issued_at or timezone.now()),
                "qr": segno.make(url, error="m").svg_data_uri(scale=4),
                "verify_url": url,
            },
        )


def render(certificate, *, issuer):
    """The certificate's PDF (bytes), not yet signed."""
    return HTML(
        string=html(certificate, issuer=issuer), url_fetcher=URLFetcher(allowed_protocols={"data"}), base_url=settings.SITE_URL
    ).write_pdf()
