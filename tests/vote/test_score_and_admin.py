"""The final score (experts' score and vote share by the campaign's weight), and the vote in the admin, per role."""

from decimal import Decimal

import pytest
from django.test import Client

from submissions.models import Vote
from submissions.vote import selectors, services
from tests.factories import make_user
from tests.vote.helpers import PRINT, fingerprint, scored, vote_on, voter

pytestmark = pytest.mark.django_db


def test_final_score_combines_experts_and_vote_share_by_the_weight():
    assert selectors.final_score(Decimal("80.00"), 50, 50, 30) == (Decimal("100.00"), Decimal("86.00"))
    assert selectors.final_score(Decimal("90.00"), 25, 50, 30) == (Decimal("50.00"), Decimal("78.00"))
    assert selectors.final_score(Decimal("90.00"), 0, 0, 30) == (Decimal("0.00"), Decimal("63.00"))
    assert selectors.final_score(None, 10, 40, 30) == (Decimal("25.00"), None)
    assert selectors.final_score(Decimal("77.77"), 1, 3, 0) == (Decimal("33.33"), Decimal("77.77"))


def test_standings_count_live_votes_and_rank_by_the_final_score():
    vote, _none = vote_on(0)
    high, low = scored(vote.campaign, 8), scored(vote.campaign, 9)
    assert (high.score, low.score) == (Decimal("80.00"), Decimal("90.00"))
    for n in range(4):
        services.cast(vote.campaign, high, voter(n), fingerprint(f"10.{n}.0.1"))
    for n in range(2):
        services.cast(vote.campaign, low, voter(10 + n), fingerprint(f"10.{10 + n}.0.1"))
    Vote.objects.filter(voter=voter(11)).update(state=Vote.State.HELD)
    rows = [(row.entry, row.votes, row.held, row.share, row.combined) for row in selectors.standings(vote)]
    assert rows == [
        (high, 4, 0, Decimal("100.00"), Decimal("86.00")),
        (low, 1, 1, Decimal("25.00"), Decimal("70.50")),
    ]
    assert high.score == Decimal("80.00")  # the experts' score itself is not touched


def clients():
    users = {role: make_user(role, username=f"vote-{role}") for role in ("reviewer", "editor", "chief")}
    result = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        result[role] = client
    return users, result


def test_each_role_in_the_admin():
    vote, (entry,) = vote_on(1)
    held = services.cast(vote.campaign, entry, voter(1), PRINT)
    Vote.objects.filter(pk=held.pk).update(state=Vote.State.HELD, reasons=["network"])
    users, by_role = clients()
    urls = [
        "/admin/submissions/votesettings/",
        f"/admin/submissions/votesettings/{vote.pk}/change/",
        f"/admin/submissions/votesettings/{vote.pk}/standings/",
        "/admin/submissions/vote/",
        f"/admin/submissions/vote/{held.pk}/change/",
    ]
    seen = {role: [client.get(url).status_code for url in urls] for role, client in by_role.items()}
    assert seen == {"reviewer": [403] * 5, "editor": [200] * 5, "chief": [200] * 5}
    assert users["editor"].has_perm("submissions.moderate_vote")
    assert users["chief"].has_perm("submissions.moderate_vote")
    assert not users["reviewer"].has_perm("submissions.moderate_vote")
    page = by_role["editor"].get("/admin/submissions/vote/").content.decode()
    assert "同一网段投票过多" in page and "审核通过所选投票" in page


def test_an_editor_accepts_held_votes_in_bulk_and_the_decision_is_recorded():
    vote, (entry,) = vote_on(1)
    votes = [services.cast(vote.campaign, entry, voter(n), fingerprint(f"10.{n}.0.1")) for n in range(3)]
    Vote.objects.filter(pk__in=[v.pk for v in votes[:2]]).update(state=Vote.State.HELD, reasons=["network"])
    users, by_role = clients()
    data = {"action": "accept", "_selected_action": [v.pk for v in votes], "index": "0"}
    refused = by_role["reviewer"].post("/admin/submissions/vote/", data)
    assert refused.status_code == 403
    assert Vote.objects.filter(state=Vote.State.HELD).count() == 2
    response = by_role["editor"].post("/admin/submissions/vote/", data, follow=True)
    assert "已通过 2 票" in response.content.decode() and "1 票不是待审核状态" in response.content.decode()
    decided = Vote.objects.filter(pk__in=[v.pk for v in votes[:2]])
    assert set(decided.values_list("state", "decided_by")) == {("accepted", users["editor"].pk)}
    assert Vote.objects.get(pk=votes[2].pk).decided_by is None
    standing = selectors.standings(vote)
    assert [(row.votes, row.held) for row in standing] == [(3, 0)]
