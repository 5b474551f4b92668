"""Reading certificates: what the public verification page shows, and the lists of the admin."""

from dataclasses import dataclass

from submissions.models import Campaign, Certificate, CertificateState, NoticeItem, Showcase

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


@dataclass(frozen=True)
class Result:
    """One selected organization on a campaign's results page: its entry, its award (if issued) and its article (if live)."""

    entry: object
    award: Certificate | None
    article: Showcase | None


def campaign_results(slug):
    """(campaign, notice, results) for the results page, in a fixed number of queries; (None, None, [])
    for no such campaign. Where the campaign ran a 公示, the results are its list once it is final (an
    entry an upheld objection took off is not among them) and nothing before; without one, the
    entries holding an award in force."""
    campaign = Campaign.objects.filter(slug=slug).select_related("notice").first()
    if campaign is None:
        return None, None, []
    notice = getattr(campaign, "notice", None)
    awards = {award.submission_id: award for award in awards_of(campaign).exclude(submission=None)}
    if notice is not None:
        if not notice.is_final:
            return campaign, notice, []
        items = NoticeItem.objects.filter(notice=notice, removed_at__isnull=True).order_by("position", "pk")
        entries = [item.submission for item in items.select_related("submission", "submission__region")]
    else:
        entries = sorted(
            (award.submission for award in awards_of(campaign).exclude(submission=None).select_related("submission__region")),
            key=lambda entry: entry.reference or "",
        )
    live = Showcase.objects.live().filter(submission__in=[entry.pk for entry in entries]).only("slug", "title", "submission_id")
    articles = {article.submission_id: article for article in live}
    return campaign, notice, [Result(entry, awards.get(entry.pk), articles.get(entry.pk)) for entry in entries]
