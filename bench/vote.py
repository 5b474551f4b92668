"""The public vote under load: accepted votes per second against a floor view, side by side, and the
vote page's cost (queries and time) at 10 and at 10,000 voters.

The floor is a view that does nothing but one INSERT (a Vote row): the least any vote can cost.
The vote view does what a real vote does (the session's voter, the per-address limit, the window,
the unique constraint, the daily cap, the fraud patterns, the INSERT); the flag thresholds are set
high, so every vote is accepted and what is timed is the accepted path. Both are posted through
Django's test client in one process, in turns (a batch of each, the batches' medians compared),
on the test settings' database (SQLite in memory; `DATABASE_URL=postgres://…` for PostgreSQL).

The page: the board of a campaign with 20 standing entries after 10 and after 10,000 voters
(three votes each), cold (the page cache empty: the render and its queries), warm (from the page
cache) and as a confirmed voter sees it (rendered for them), each a median of rounds.
Its figures are ratios: 10,000 voters ÷ 10 (flat is 1).
`python -m bench.vote [--quick]`.
"""

import json
import os
import subprocess
import sys
import time

from bench.common import PYTHON, ROOT, Target, cli, median, table

ENTRIES = 20
VOTERS = (10, 10_000)
VOTES_EACH = 3
# Accepted votes/s against the floor's INSERTs/s: at least this. A vote makes about 20 queries to the
# floor's one (the session, the vote's settings and entry, the per-address limit, the voter's day,
# the fraud counts in one, the INSERT); measured 0.13-0.15 on SQLite with the database cache, where
# the per-address limit alone is 8 of them (on Redis, in production, it is one round trip).
FLOOR_TARGET = 0.1
PAGE_TARGET = 1.5  # the page's time at 10,000 voters ÷ at 10: at most this (cold and as a voter)


def measure(*, quick=False):
    """Run the measurement in a process of its own (the test settings, a fresh database)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    args = [PYTHON, "-m", "bench.vote", "work", *(["--quick"] if quick else [])]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"bench.vote work failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(result):
    rates = result["rates"]
    rows = [
        ("floor (one INSERT)", f"{rates['floor']:.0f}/s", ""),
        ("vote (accepted)", f"{rates['vote']:.0f}/s", f"{rates['vote_vs_floor']:.2f} × floor"),
    ]
    first = table(rows, ["view", "requests", "ratio"])
    small, large = (result["page"][str(n)] for n in VOTERS)
    page_rows = []
    for kind in ("cold", "warm", "voter"):
        page_rows.append(
            (
                kind,
                f"{small[kind + '_queries']} / {large[kind + '_queries']}",
                f"{small[kind + '_ms']:.2f} / {large[kind + '_ms']:.2f}",
                f"{result['ratios'][kind]:.2f}",
            )
        )
    second = table(page_rows, ["vote page", "queries 10 / 10,000", "ms 10 / 10,000", "time 10,000 ÷ 10"])
    return f"Votes per second, side by side\n{first}\n\nThe vote page at 10 and 10,000 voters\n{second}"


def targets(result):
    small, large = (result["page"][str(n)] for n in VOTERS)
    return [
        Target("accepted votes/s × floor INSERTs/s", round(result["rates"]["vote_vs_floor"], 2), ">=", FLOOR_TARGET),
        Target("vote page queries, 10,000 voters − 10 (cold)", large["cold_queries"] - small["cold_queries"], "==", 0),
        Target("vote page queries, 10,000 voters − 10 (voter)", large["voter_queries"] - small["voter_queries"], "==", 0),
        Target("vote page ms, 10,000 ÷ 10 voters (cold)", round(result["ratios"]["cold"], 2), "<=", PAGE_TARGET),
        Target("vote page ms, 10,000 ÷ 10 voters (voter)", round(result["ratios"]["voter"], 2), "<=", PAGE_TARGET),
    ]


# In the measuring process -------------------------------------------------------------------


def floor(request):
    """One INSERT, nothing else."""
    from django.http import HttpResponse
    from django.utils import timezone

    from submissions.models import Vote

    n = next(_floor_numbers)
    Vote.objects.create(
        campaign_id=_floor_target[0],
        entry_id=_floor_target[1],
        voter=f"floor-{n}",
        day=timezone.localdate(),
        created_at=timezone.now(),
    )
    return HttpResponse(status=204)


_floor_numbers = iter(range(10**9))
_floor_target = []


def _urls():
    from django.urls import include, path

    return [path("bench-floor/", floor), path("", include("portal.urls"))]


def _voter_session(voter_hash):
    """A session key holding a confirmed voter, as the confirmation leaves it."""
    from importlib import import_module

    from django.conf import settings

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["vote_voter"], session["vote_voter_tail"] = voter_hash, "0000"
    session.save()
    return session.session_key


def _as(client, session_key):
    """The one client (one handler: a new test client builds its middleware again) as this voter."""
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def _voter_client(voter_hash):
    from django.test import Client

    return _as(Client(REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="bench"), _voter_session(voter_hash))


def _timed(func, rounds):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return median(samples)


def work(quick):
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings, setup_databases, setup_test_environment

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from submissions.models import Status, Vote
    from submissions.platform import pagecache
    from submissions.vote import services
    from tests.vote.helpers import vote_on

    lax = {
        "VOTE_ENTRY_PER_MINUTE": 10**9,
        "VOTE_NETWORK_PER_HOUR": 10**9,
        "VOTE_DEVICE_PER_DAY": 10**9,
        "VOTE_AGENT_MIN": 10**9,
        "VOTE_RATE_LIMIT": 0,
        "ROOT_URLCONF": __name__,
        "ALLOWED_HOSTS": ["*"],
    }
    globals()["urlpatterns"] = _urls()
    with override_settings(**lax):
        vote, entries = vote_on(ENTRIES, slug="bench-vote", daily_cap=ENTRIES, status=Status.SHORTLISTED)
        _floor_target[:] = [vote.campaign_id, entries[0].pk]
        slug = vote.campaign.slug
        batches, batch = (5, 40) if quick else (9, 100)
        floor_client = Client()
        vote_client = Client(REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="bench")
        voters = iter(range(10**9))
        rates = {"floor": [], "vote": []}
        for _ in range(batches):
            start = time.perf_counter()
            for _ in range(batch):
                assert floor_client.post("/bench-floor/").status_code == 204
            rates["floor"].append(batch / (time.perf_counter() - start))
            sessions = [_voter_session(services.keyed("phone", f"bench-{next(voters)}")) for _ in range(batch // ENTRIES + 1)]
            before = Vote.objects.filter(campaign=vote.campaign).exclude(voter__startswith="floor-").count()
            start = time.perf_counter()
            for n in range(batch):
                client = _as(vote_client, sessions[n // ENTRIES])
                assert client.post(f"/vote/{slug}/{entries[n % ENTRIES].pk}/").status_code == 302
            rates["vote"].append(batch / (time.perf_counter() - start))
            kept = Vote.objects.filter(campaign=vote.campaign, state=Vote.State.COUNTED).exclude(voter__startswith="floor-")
            assert kept.count() - before == batch, "every vote of the batch is accepted"
        floor_rate, vote_rate = median(rates["floor"]), median(rates["vote"])

        page = {}
        rounds = 5 if quick else 15
        for count in VOTERS:
            board, standing = vote_on(ENTRIES, slug=f"bench-board-{count}", daily_cap=ENTRIES)
            now = timezone.now()
            Vote.objects.bulk_create(
                [
                    Vote(
                        campaign=board.campaign,
                        entry=standing[(n + k) % ENTRIES],
                        voter=f"v{n}",
                        day=timezone.localdate(now),
                        created_at=now,
                        network=f"n{n % 500}",
                    )
                    for n in range(count)
                    for k in range(VOTES_EACH)
                ],
                batch_size=2000,
            )
            services.refresh_tallies(board.campaign_id)
            url = f"/vote/{board.campaign.slug}/"
            reader, voter = Client(), _voter_client("bench-page-voter")

            def cold(client=reader, url=url):
                pagecache.local_pages.forget()
                cache.clear()
                assert client.get(url).status_code == 200

            def warm(client=reader, url=url):
                assert client.get(url).status_code == 200

            figures = {}
            for kind, func in (("cold", cold), ("voter", lambda c=voter, u=url: c.get(u))):
                func()
                with CaptureQueriesContext(connection) as queries:
                    func()
                figures[f"{kind}_queries"] = len(queries)
                figures[f"{kind}_ms"] = _timed(func, rounds)
            cold()
            with CaptureQueriesContext(connection) as queries:
                warm()
            figures["warm_queries"] = len(queries)
            figures["warm_ms"] = _timed(warm, rounds * 4)
            page[str(count)] = figures
    small, large = page[str(VOTERS[0])], page[str(VOTERS[1])]
    result = {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "rates": {"floor": floor_rate, "vote": vote_rate, "vote_vs_floor": vote_rate / floor_rate},
        "page": page,
        "ratios": {kind: large[f"{kind}_ms"] / small[f"{kind}_ms"] for kind in ("cold", "warm", "voter")},
    }
    sys.stdout.write(json.dumps(result) + "\n")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["work"]:
        return work("--quick" in argv)
    return cli("vote", __doc__, measure, report, argv)


if __name__ == "__main__":
    main()
