"""A campaign with its public vote open, and shortlisted entries made through the workflow."""

from datetime import timedelta

from django.utils import timezone

from submissions.models import Status, VoteSettings
from submissions.vote import services
from tests.factories import CampaignFactory, assign, make_user, review, submission_in, walk_on

PRINT = services.Fingerprint.of("198.51.100.7", "Mozilla/5.0 (iPhone) MicroMessenger/8.0", "device-1")


def vote_on(count=3, *, slug="vote-2026", weight=30, daily_cap=10, status=Status.SHORTLISTED, **extra):
    """(settings, entries): the vote of a new campaign, open since yesterday for a week, on `count` entries."""
    campaign = CampaignFactory(slug=slug)
    now = timezone.now()
    vote = VoteSettings.objects.create(
        campaign=campaign,
        enabled=True,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        weight=weight,
        daily_cap=daily_cap,
        **extra,
    )
    return vote, [submission_in(status, campaign=campaign) for _ in range(count)]


def scored(campaign, points):
    """A shortlisted entry whose experts gave `points` (of 10) on every criterion."""
    entry = submission_in(Status.FIRST_REVIEW, campaign=campaign)
    reviewer = make_user("reviewer", username=f"vote-reviewer-{entry.pk}")
    assign(entry, reviewer)
    review(entry, reviewer, scores={criterion.name: points for criterion in campaign.criteria.all()})
    walk_on(entry, Status.SHORTLISTED)
    entry.refresh_from_db()
    return entry


def midday():
    """Noon of today in Beijing: inside the vote's window, and hours from the midnight that starts a new voting day."""
    return timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)


def voter(n):
    return services.keyed("phone", f"139{n:08d}")


def fingerprint(address, agent="Mozilla/5.0 (Android) Chrome/120", device=""):
    return services.Fingerprint.of(address, agent, device)
