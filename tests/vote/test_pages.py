"""The vote's public pages: a voter confirmed by SMS votes once; the board is cached and its cost constant."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from submissions.models import Vote, VoteTally
from submissions.platform import abuse, pagecache
from submissions.vote import services, sms
from tests.vote.helpers import PRINT, vote_on, voter

pytestmark = pytest.mark.django_db


def confirmed_client(slug, phone="13912345678"):
    client = Client(REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    page = client.get(f"/vote/{slug}/voter/")
    assert page.status_code == 200 and "vote_device" in page.cookies
    sent = client.post(f"/vote/{slug}/voter/", {"action": "send", "phone": phone, "started": abuse.stamp()})
    assert sent.status_code == 302
    code = re.search(r"\d{6}", sms.outbox[-1].text).group()
    confirmed = client.post(f"/vote/{slug}/voter/", {"action": "confirm", "code": code, "started": abuse.stamp()})
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/vote/{slug}/"
    return client


def test_a_confirmed_voter_votes_once_per_entry_and_the_count_shows_after_the_refresh():
    vote, (entry, other) = vote_on(2)
    client = confirmed_client(vote.campaign.slug)
    board = client.get(f"/vote/{vote.campaign.slug}/").content.decode()
    assert "尾号 5678" in board and f'action="/vote/{vote.campaign.slug}/{entry.pk}/"' in board
    assert client.post(f"/vote/{vote.campaign.slug}/{entry.pk}/").status_code == 302
    again = client.post(f"/vote/{vote.campaign.slug}/{entry.pk}/", follow=True).content.decode()
    assert "您今天已为该作品投过票" in again
    kept = Vote.objects.get()
    assert (kept.entry, kept.voter, kept.state) == (entry, services.keyed("phone", "13912345678"), "counted")
    assert kept.device and kept.address == services.keyed("address", "198.51.100.20")
    services.refresh_tallies()
    assert VoteTally.objects.get(entry=entry).votes == 1
    assert VoteTally.objects.get(entry=other).votes == 0


def test_without_a_confirmed_number_a_vote_goes_to_the_confirmation():
    vote, (entry,) = vote_on(1)
    response = Client().post(f"/vote/{vote.campaign.slug}/{entry.pk}/")
    assert (response.status_code, response["Location"]) == (302, f"/vote/{vote.campaign.slug}/voter/")
    assert Vote.objects.count() == 0


def test_a_wrong_code_is_refused_and_no_voter_is_kept():
    vote, _entries = vote_on(1)
    client = Client()
    client.post(f"/vote/{vote.campaign.slug}/voter/", {"action": "send", "phone": "13912345678", "started": abuse.stamp()})
    code = re.search(r"\d{6}", sms.outbox[-1].text).group()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(f"/vote/{vote.campaign.slug}/voter/", {"action": "confirm", "code": wrong, "started": abuse.stamp()})
    assert response.status_code == 403 and "验证码不正确" in response.content.decode()
    assert "vote_voter" not in client.session


def test_codes_are_limited_per_address(settings):
    settings.VOTE_CODE_RATE_LIMIT = 2
    vote, _entries = vote_on(1)
    client = Client()
    statuses = [
        client.post(
            f"/vote/{vote.campaign.slug}/voter/", {"action": "send", "phone": f"1391234567{n}", "started": abuse.stamp()}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(sms.outbox) == 2


def test_votes_are_limited_per_address(settings):
    settings.VOTE_RATE_LIMIT = 1
    vote, (first, second) = vote_on(2)
    client = confirmed_client(vote.campaign.slug)
    assert client.post(f"/vote/{vote.campaign.slug}/{first.pk}/").status_code == 302
    assert client.post(f"/vote/{vote.campaign.slug}/{second.pk}/").status_code == 429
    assert Vote.objects.count() == 1


def test_a_campaign_without_its_vote_on_has_no_vote_pages():
    vote, _entries = vote_on(1)
    vote.enabled = False
    vote.save()
    client = Client()
    for url in (f"/vote/{vote.campaign.slug}/", f"/vote/{vote.campaign.slug}/voter/"):
        assert client.get(url).status_code == 404


def test_turning_the_vote_off_in_the_admin_takes_the_cached_board_down_at_once(django_capture_on_commit_callbacks):
    vote, _entries = vote_on(1)
    client = Client()
    board = f"/vote/{vote.campaign.slug}/"
    assert client.get(board).status_code == 200  # now in the page cache, for up to a minute
    vote.enabled = False
    with django_capture_on_commit_callbacks(execute=True):
        services.save_settings(vote)  # what the admin's save does
    assert client.get(board).status_code == 404


def board_queries(slug, client=None):
    pagecache.local_pages.forget()
    cache.clear()
    client = client or Client()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(f"/vote/{slug}/").status_code == 200
    return len(cold)


def test_the_board_costs_the_same_whatever_the_number_of_entries_and_votes():
    vote_on(2, slug="vote-small")
    big, many = vote_on(12, slug="vote-big")
    for n in range(40):
        services.cast(big.campaign, many[n % 12], voter(n), PRINT)
    services.refresh_tallies()
    assert board_queries("vote-small") == board_queries("vote-big")
    voter_client = confirmed_client("vote-big")
    assert board_queries("vote-small", voter_client) == board_queries("vote-big", voter_client)


def test_the_board_is_served_from_the_page_cache_with_the_counts_of_the_last_refresh():
    vote, (entry,) = vote_on(1)
    client = Client()
    assert "data-votes>0 票" in client.get(f"/vote/{vote.campaign.slug}/").content.decode()
    services.cast(vote.campaign, entry, voter(1), PRINT)
    services.refresh_tallies()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(f"/vote/{vote.campaign.slug}/")
    assert len(warm) == 0 and "data-votes>0 票" in again.content.decode()  # at most a minute old
    pagecache.local_pages.forget()
    cache.clear()  # the minute is over
    assert "data-votes>1 票" in client.get(f"/vote/{vote.campaign.slug}/").content.decode()
