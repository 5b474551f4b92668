"""Who sees what: every URL of the site, requested as each kind of visitor.

One line per URL (tests/workflow/matrix_rows.py): (url, method, {actor: expected status}). Its helpers build the
dict: `everyone(200)`, `only({...}, ok=200, no=404)`, `admin({...})` (logged-out visitors are
sent to the login page, newsroom members without the permission get 403). Admin pages of a
model are generated from one line of ADMIN_MODELS. URLs are formatted with the objects of
`world()` and `t`, the tracking token the actor holds (owner: the entry's; other: another
entry's; everyone else: none).

A second test walks every URL pattern of the site and fails for any not requested here (or
listed in UNCOVERED with a reason): a new page is not finished until it has its row.

Whatever the status, a visitor from outside (anonymous, or holding another entry's link)
never sees the private entry's text, and the actors listed in a row's fourth element must see it.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.workflow.matrix_rows import ACTORS, ALL_ROWS, MATRIX, UNCOVERED
from tests.workflow.matrix_world import ANON, BODY, EXPERT, OTHER, OTHER_BODY, REVIEWER, SECRET, world


def client_for(objects, actor, clients, fresh=False):
    """One logged-in client per actor, reused across rows (a fresh one for requests that may log out)."""
    if fresh or actor not in clients:
        client = Client()
        if actor in objects.users:
            client.force_login(objects.users[actor])
        if fresh:
            return client
        clients[actor] = client
    return clients[actor]


def request(objects, actor, url, method, clients):
    path = url.format(**objects, t=objects.tokens.get(actor, ""))
    method, data = (method, {}) if isinstance(method, str) else method
    data = {key: value.format(**objects) for key, value in data.items()}
    if method == "GET":
        response = client_for(objects, actor, clients).get(path)
    else:
        cache.clear()  # rate limits count per address: every actor's post must reach the view
        response = client_for(objects, actor, clients, fresh=True).post(path, data)
    body = b"" if response.streaming else response.content
    return path, response.status_code, body.decode("utf-8", "replace")


def check(rows):
    objects = world()
    clients = {}
    problems = []
    for row in rows:
        url, method, expected = row[:3]
        sees = row[3] if len(row) > 3 else set()
        assert set(expected) == set(ACTORS), f"{url}: every actor needs an expectation"
        for actor in ACTORS:
            path, status, body = request(objects, actor, url, method, clients)
            if status != expected[actor]:
                problems.append(f"{method} {path} as {actor}: {status}, expected {expected[actor]}")
            if actor in sees and SECRET not in body:
                problems.append(f"{method} {path} as {actor}: the entry is not shown")
            if (
                actor in (ANON, OTHER, REVIEWER, BODY, OTHER_BODY, EXPERT) and SECRET in body
            ):  # the reviewer is not assigned to it
                problems.append(f"{method} {path} as {actor}: LEAKS the private entry")
    return problems


@pytest.mark.django_db
@pytest.mark.usefixtures("signing")
def test_public_pages_and_media_answer_each_actor_as_allowed():
    problems = check([row for row in MATRIX if not row[0].startswith("/admin/")])
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.usefixtures("signing")
def test_admin_pages_answer_each_role_as_allowed():
    admin_only = [row for row in ALL_ROWS if row[0].startswith("/admin/")]
    problems = check(admin_only)
    assert problems == [], "\n".join(problems)


def all_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from all_routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def plain(route):
    """A route without regex anchors, so that a resolved match and its pattern compare equal."""
    return route.replace("^", "").replace("$", "")


@pytest.mark.django_db
def test_every_url_pattern_is_in_the_matrix():
    placeholder = re.compile(r"\{[^}]*\}")
    covered = set()
    for url, _method, _expected, *_ in ALL_ROWS:
        path = placeholder.sub("1", url).split("?")[0]
        try:
            covered.add(plain(resolve(path).route))
        except Exception:
            continue
    missing = [
        route
        for route in all_routes()
        if plain(route) not in covered and not any(re.search(pattern, route) for pattern in UNCOVERED)
    ]
    assert missing == [], "add a row to MATRIX (or a reason to UNCOVERED) for: " + ", ".join(missing)
