"""The vote's reads: the public board (from the per-minute counter), and the standings with the final
score for the admin (live counts).

The final score combines the experts' score (Submission.score, 0–100) and the vote share (an
entry's counted votes ÷ the most any entry of the campaign has × 100) by the campaign's weight:
score × (100 − weight)% + share × weight%. Neither Submission.score nor the review code is touched.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from submissions.models import Vote, VoteSettings
from submissions.vote.services import standing

CENT = Decimal("0.01")


def vote_settings(slug):
    """The campaign's vote settings, with the campaign, when its vote is on; else None."""
    return VoteSettings.objects.select_related("campaign").filter(campaign__slug=slug, enabled=True).first()


def board(vote_settings):
    """The standing entries with their counts as of the last refresh, most votes first: one query."""
    rows = standing(vote_settings.campaign_id).select_related("region", "vote_tally").order_by("pk")
    entries = [(entry, getattr(getattr(entry, "vote_tally", None), "votes", 0)) for entry in rows]
    entries.sort(key=lambda pair: -pair[1])
    return entries


@dataclass(frozen=True)
class Standing:
    entry: object
    votes: int
    held: int
    share: Decimal
    combined: Decimal | None  # None until the experts' score exists


def final_score(score, votes, most, weight):
    """The combined score (two decimals) of an experts' `score` and `votes` out of the campaign's `most`."""
    share = Decimal(votes * 100) / most if most else Decimal(0)
    if score is None:
        return share.quantize(CENT, ROUND_HALF_UP), None
    combined = Decimal(score) * (100 - weight) / 100 + share * weight / 100
    return share.quantize(CENT, ROUND_HALF_UP), combined.quantize(CENT, ROUND_HALF_UP)


def standings(vote_settings):
    """Every standing entry with its counted and held votes, vote share and final score, best first: one query."""
    rows = list(
        standing(vote_settings.campaign_id)
        .select_related("region")
        .annotate(
            counted=Count("votes", filter=Q(votes__state__in=Vote.COUNTING)),
            held=Count("votes", filter=Q(votes__state=Vote.State.HELD)),
        )
        .order_by("pk")
    )
    most = max((entry.counted for entry in rows), default=0)
    result = []
    for entry in rows:
        share, combined = final_score(entry.score, entry.counted, most, vote_settings.weight)
        result.append(Standing(entry, entry.counted, entry.held, share, combined))
    result.sort(key=lambda row: (row.combined is None, -(row.combined or 0), -row.votes))
    return result
