"""Casting votes: the window, one vote per voter per entry per Beijing day, the daily cap, standing entries only."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from submissions.models import Status, Vote, VoteTally
from submissions.vote import services
from tests.factories import submission_in
from tests.vote.helpers import PRINT, vote_on, voter

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def test_one_vote_per_entry_per_beijing_day():
    vote, (entry, *_rest) = vote_on()
    late = datetime(2026, 12, 6, 23, 59, tzinfo=BEIJING)
    vote.opens_at, vote.closes_at = late - timedelta(days=1), late + timedelta(days=1)
    vote.save()
    kept = services.cast(vote.campaign, entry, voter(1), PRINT, at=late)
    assert kept.day.isoformat() == "2026-12-06" and kept.state == Vote.State.COUNTED
    with pytest.raises(services.VoteError, match="已为该作品投过票"):
        services.cast(vote.campaign, entry, voter(1), PRINT, at=late + timedelta(seconds=30))
    next_day = services.cast(vote.campaign, entry, voter(1), PRINT, at=late + timedelta(minutes=2))  # 00:01 in Beijing
    assert next_day.day.isoformat() == "2026-12-07"


def test_the_unique_constraint_is_the_rule():
    vote, (entry, *_rest) = vote_on(1)
    kept = services.cast(vote.campaign, entry, voter(1), PRINT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(campaign=vote.campaign, entry=entry, voter=kept.voter, day=kept.day, created_at=timezone.now())


def test_the_daily_cap_per_voter():
    vote, entries = vote_on(3, daily_cap=2)
    services.cast(vote.campaign, entries[0], voter(1), PRINT)
    services.cast(vote.campaign, entries[1], voter(1), PRINT)
    with pytest.raises(services.VoteError, match="2 票已投完"):
        services.cast(vote.campaign, entries[2], voter(1), PRINT)
    services.cast(vote.campaign, entries[2], voter(2), PRINT)


def test_outside_the_window_or_switched_off_nothing_is_kept():
    vote, (entry,) = vote_on(1)
    with pytest.raises(services.VoteError, match="不在投票时间"):
        services.cast(vote.campaign, entry, voter(1), PRINT, at=vote.closes_at)
    with pytest.raises(services.VoteError, match="不在投票时间"):
        services.cast(vote.campaign, entry, voter(1), PRINT, at=vote.opens_at - timedelta(seconds=1))
    vote.enabled = False
    vote.save()
    with pytest.raises(services.VoteError, match="不在投票时间"):
        services.cast(vote.campaign, entry, voter(1), PRINT)
    assert Vote.objects.count() == 0


def test_only_standing_entries_of_the_campaign():
    vote, _entries = vote_on(1)
    for entry in (
        submission_in(Status.SECOND_REVIEW, campaign=vote.campaign),
        submission_in(Status.WITHDRAWN, campaign=vote.campaign),
        submission_in(Status.DECLINED, campaign=vote.campaign),
        submission_in(Status.SHORTLISTED),  # another campaign's
    ):
        with pytest.raises(services.VoteError, match="不在投票范围"):
            services.cast(vote.campaign, entry, voter(1), PRINT)


def test_every_vote_is_kept_with_hashes_only():
    vote, (entry,) = vote_on(1)
    kept = services.cast(vote.campaign, entry, voter(1), PRINT)
    row = Vote.objects.values("voter", "address", "network", "agent", "device").get(pk=kept.pk)
    assert all(len(value) == 64 for value in row.values())
    assert "198.51.100" not in str(row) and "13900000001" not in str(row)
    assert services.network_of("198.51.100.7") == "198.51.100.0/24"
    assert services.network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"


def test_the_counter_counts_counted_and_accepted_votes_only():
    vote, (first, second) = vote_on(2)
    for n in range(3):
        services.cast(vote.campaign, first, voter(n), PRINT)
    services.cast(vote.campaign, second, voter(9), PRINT)
    Vote.objects.filter(entry=second).update(state=Vote.State.REJECTED)
    services.refresh_tallies()
    assert dict(VoteTally.objects.values_list("entry_id", "votes")) == {first.pk: 3, second.pk: 0}
