"""The certificate's machine: a draft is issued, an issued certificate may be revoked, with a reason.

Editors issue (the permission "submissions.issue_certificate"); only chief editors revoke
("submissions.revoke_certificate"), and a revocation needs a reason, kept on the certificate and
in its history. A revoked certificate stays revoked: a new one is issued in its place. The
certificate's number is given when its draft is made (submissions.results.services), not by a
move, so a draft that fails to issue leaves no gap in what was printed.
"""

from submissions.models import Certificate, CertificateState, CertificateStep
from submissions.workflow.machine import Machine

C = CertificateState

ISSUE = "submissions.issue_certificate"  # editors and chief editors
REVOKE = "submissions.revoke_certificate"  # chief editors

TABLE = {
    (C.DRAFT, C.ISSUED): {ISSUE},
    (C.ISSUED, C.REVOKED): {REVOKE},
}
OWNED_FIELDS = frozenset({"state", "version", "issued_at", "revoked_at", "revoked_reason"})


def record(obj, **step):
    return CertificateStep.objects.create(certificate=obj, **step)


def side_updates(obj, to, actor, now, message):
    """Issued: the date printed and shown on the verification page. Revoked: when, and why (kept, not published)."""
    if to == C.ISSUED:
        return {"issued_at": now}
    if to == C.REVOKED:
        return {"revoked_at": now, "revoked_reason": message}
    return {}


CERTIFICATE = Machine(
    "certificate",
    Certificate,
    "state",
    C,
    TABLE,
    frozenset({(C.ISSUED, C.REVOKED)}),
    OWNED_FIELDS,
    record,
    side_updates=side_updates,
    heading="A certificate",
)
