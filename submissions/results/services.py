"""Writing certificates: issuing awards and letters, revoking, and keeping the signed PDF.

Every move goes through the workflow (submissions.workflow.certificates): a draft is made with
its number and issued in the same transaction, so a refused issue leaves neither a row nor a
gap in the numbers. Once the issue is committed, the workflow's "certificate_pdf" effect queues
the rendering (submissions.results.tasks), so the editor's request never waits for WeasyPrint.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.models import Certificate, CertificateCounter, CertificateKind, CertificateState, Status
from submissions.results import keys

AWARDABLE = (Status.ACCEPTED, Status.PUBLISHED)  # a selected entry: accepted, or published in the column
LETTERS = (CertificateKind.THANKS, CertificateKind.APPOINTMENT)


class CertificateError(Exception):
    """A refused issue or revocation; str() is a message for the editor."""


def prefix():
    """The letters before a number (DZRB-2026-0001): the newspaper's, from settings."""
    return getattr(settings, "CERTIFICATE_NUMBER_PREFIX", "DZRB")


def next_number(year):
    """The next certificate number of a year, e.g. DZRB-2026-0042. Call inside a transaction (the row is locked)."""
    return f"{prefix()}-{year}-{CertificateCounter.take(year):04d}"


def award_wording(entry):
    return _("%(org)s报送的党建品牌“%(brand)s”在%(campaign)s中被评为优秀党建品牌。特发此证，以资鼓励。") % {
        "org": entry.org_name,
        "brand": entry.brand_name,
        "campaign": entry.campaign.title,
    }


def letter_wording(kind, campaign, recipient):
    if kind == CertificateKind.APPOINTMENT:
        return _("兹聘请%(name)s同志为%(campaign)s评审专家。") % {"name": recipient, "campaign": campaign.title}
    return _("%(name)s同志在%(campaign)s评审工作中认真负责、公正严谨，为活动的顺利开展作出了积极贡献。特致谢忱！") % {
        "name": recipient,
        "campaign": campaign.title,
    }


def issue_award(entry, *, actor, wording="", via="admin"):
    """An award (荣誉证书) for a selected entry's organization; one per entry unless revoked."""
    if entry.status not in AWARDABLE:
        raise CertificateError(_("只有已采用或已发表的作品才能颁发荣誉证书：%(entry)s") % {"entry": entry})
    if Certificate.objects.filter(submission=entry, kind=CertificateKind.AWARD).exclude(state=CertificateState.REVOKED).exists():
        raise CertificateError(_("该作品已有荣誉证书：%(entry)s") % {"entry": entry})
    return _issue(
        kind=CertificateKind.AWARD,
        campaign=entry.campaign,
        submission=entry,
        recipient=entry.org_name,
        wording=wording or award_wording(entry),
        actor=actor,
        via=via,
    )


def issue_letter(kind, campaign, recipient, *, actor, person=None, wording="", via="admin"):
    """A thank-you letter (感谢状) for a reviewer or an appointment letter (聘书) for an expert."""
    if kind not in LETTERS:
        raise CertificateError(_("荣誉证书须从作品颁发。"))
    recipient = recipient.strip()
    if not recipient:
        raise CertificateError(_("请填写授予对象。"))
    return _issue(
        kind=kind,
        campaign=campaign,
        person=person,
        recipient=recipient,
        wording=wording or letter_wording(kind, campaign, recipient),
        actor=actor,
        via=via,
    )


def _issue(*, actor, via, **fields):
    try:
        keys.configured_pair()
    except keys.SigningUnavailable as refused:
        raise CertificateError(str(refused)) from None
    try:
        with transaction.atomic():
            certificate = Certificate(created_by=actor if getattr(actor, "pk", None) else None, **fields)
            certificate.number = next_number(timezone.now().year)
            certificate.save()
            workflow.transition(certificate, CertificateState.ISSUED, actor=actor, via=via)
    except workflow.TransitionError as refused:
        raise CertificateError(str(refused)) from None
    except IntegrityError:
        # Another editor issued the same entry's award at the same moment (the one-award constraint).
        raise CertificateError(_("该作品已有荣誉证书。")) from None
    return certificate


def revoke(certificate, *, actor, reason, via="admin"):
    """Revoke an issued certificate (chief editors, with a reason). Its verification page then says so."""
    try:
        return workflow.transition(certificate, CertificateState.REVOKED, actor=actor, message=reason, via=via)
    except workflow.TransitionError as refused:
        raise CertificateError(str(refused)) from None


def keep_pdf(certificate, data):
    """Store the signed PDF; only the file field is written (the state is the workflow's)."""
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
