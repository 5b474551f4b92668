"""Fraud watched, not only blocked: flagged votes held with their reasons, counted only once an editor accepts them."""

from datetime import timedelta

import pytest

from submissions.models import Vote, VoteTally
from submissions.vote import services
from tests.factories import make_user
from tests.vote.helpers import fingerprint, midday, vote_on, voter

pytestmark = pytest.mark.django_db


def tally(entry):
    services.refresh_tallies()
    return VoteTally.objects.get(entry=entry).votes


def test_a_burst_from_one_network_is_flagged_and_held_until_an_editor_accepts_it():
    vote, (entry, other) = vote_on(2)
    start = midday()
    for n in range(5):  # the usual: five people from five networks, before the burst
        services.cast(vote.campaign, entry, voter(100 + n), fingerprint(f"203.0.{n}.9"), at=start - timedelta(hours=2))
    assert tally(entry) == 5
    for n in range(30):  # 30 votes from one /24 within a minute, each from its own number and address
        services.cast(vote.campaign, entry, voter(n), fingerprint(f"198.51.100.{n + 1}"), at=start + timedelta(seconds=n * 2))
    burst = Vote.objects.filter(network=services.keyed("network", "198.51.100.0/24"))
    assert burst.count() == 30
    assert set(burst.values_list("state", flat=True)) == {"held"}
    assert all("network" in reasons for reasons in burst.values_list("reasons", flat=True))
    assert sorted(burst.order_by("created_at").last().reasons) == ["entry_minute", "network"]
    assert tally(entry) == 5  # unchanged

    # While the entry has held votes, its new ones are held too, from anywhere.
    later = services.cast(vote.campaign, entry, voter(500), fingerprint("192.0.2.44"), at=start + timedelta(hours=3))
    assert (later.state, later.reasons) == ("held", ["entry_held"])
    # Another entry is not touched.
    assert (
        services.cast(vote.campaign, other, voter(501), fingerprint("192.0.2.45"), at=start + timedelta(hours=3)).state
        == "counted"
    )

    editor = make_user("editor", username="vote-editor")
    assert services.decide(burst, editor, accept=True) == 30
    assert tally(entry) == 35
    assert services.decide(Vote.objects.filter(pk=later.pk), editor, accept=False) == 1
    assert tally(entry) == 35  # rejected: never counted
    decided = Vote.objects.get(pk=later.pk)
    assert (decided.state, decided.decided_by, decided.decided_at is not None) == ("rejected", editor, True)
    # Decided once: a second decision changes nothing.
    assert services.decide(Vote.objects.filter(pk=later.pk), editor, accept=True) == 0
    # Nothing held any more: the entry's new votes count again.
    fresh = services.cast(vote.campaign, entry, voter(502), fingerprint("192.0.2.46"), at=start + timedelta(hours=4))
    assert fresh.state == "counted"


def test_an_entry_getting_too_many_votes_in_a_minute_is_flagged(settings):
    settings.VOTE_ENTRY_PER_MINUTE = 3
    vote, (entry,) = vote_on(1)
    start = midday()
    states = [
        services.cast(vote.campaign, entry, voter(n), fingerprint(f"10.{n}.0.1"), at=start + timedelta(seconds=n)).state
        for n in range(4)
    ]
    assert states == ["counted", "counted", "counted", "held"]
    assert list(Vote.objects.order_by("created_at").values_list("reasons", flat=True)) == [["entry_minute"]] * 4


def test_one_device_voting_for_many_numbers_is_flagged(settings):
    settings.VOTE_DEVICE_PER_DAY = 2
    vote, entries = vote_on(3)
    start = midday()
    kept = [
        services.cast(
            vote.campaign, entries[n], voter(n), fingerprint(f"10.{n}.0.1", device="cookie-1"), at=start + timedelta(minutes=n)
        )
        for n in range(3)
    ]
    assert [Vote.objects.get(pk=v.pk).state for v in kept] == ["held", "held", "held"]
    assert kept[2].reasons == ["device"]


def test_one_user_agent_beyond_its_usual_share_is_flagged(settings):
    settings.VOTE_AGENT_MIN = 4
    settings.VOTE_AGENT_SHARE = 0.5
    vote, entries = vote_on(3)
    start = midday()

    def cast(n, agent):
        return services.cast(
            vote.campaign, entries[n % 3], voter(n), fingerprint(f"10.{n}.0.1", agent), at=start + timedelta(minutes=n)
        )

    assert [cast(n, "Bot/1.0").state for n in range(3)] == ["counted"] * 3
    assert cast(3, "Bot/1.0").reasons == ["agent"]
    assert cast(4, "Mozilla/5.0 (iPhone)").state == "held"  # its entry has a held vote now
