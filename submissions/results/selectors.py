"""Reading certificates: what the public verification page shows, and the lists of the admin."""

from submissions.models import Certificate, CertificateState

PUBLIC_STATES = (CertificateState.ISSUED, CertificateState.REVOKED)  # a draft was never handed to anyone


def for_verification(number):
    """The issued or revoked certificate with this number, with its campaign (one query), or None."""
    return Certificate.objects.select_related("campaign").filter(number=number, state__in=PUBLIC_STATES).first()


def awards_of(campaign):
    """The campaign's awards in force, in number order (a results page's list)."""
    return Certificate.objects.filter(campaign=campaign, kind=Certificate.Kind.AWARD, state=CertificateState.ISSUED).order_by(
        "number"
    )


def awarded_entry_ids(entry_ids):
    """Of these entries, those that hold an award not revoked (the admin's action skips them)."""
    return set(
        Certificate.objects.filter(submission_id__in=entry_ids, kind=Certificate.Kind.AWARD)
        .exclude(state=CertificateState.REVOKED)
        .values_list("submission_id", flat=True)
    )
