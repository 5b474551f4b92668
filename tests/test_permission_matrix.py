"""Who sees what: every URL of the site, requested as each kind of visitor.

One line per URL: (url, method, {actor: expected status}). The helpers below build the
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
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from submissions.models import Comment, NotificationTemplate, OutboxMessage, Showcase, SiteSettings, Status
from tests.factories import (
    ShowcaseFactory,
    UserFactory,
    add_attachment,
    add_photo,
    assign,
    published_showcase,
    review,
    submission_in,
)

ANON, OWNER, OTHER, REVIEWER, EDITOR, CHIEF = "anonymous", "owner", "other", "reviewer", "editor", "chief"
ACTORS = (ANON, OWNER, OTHER, REVIEWER, EDITOR, CHIEF)
OUTSIDERS = {ANON, OWNER, OTHER}  # no account
NEWSROOM = {REVIEWER, EDITOR, CHIEF}
EDITORS = {EDITOR, CHIEF}
NOBODY = set()
SECRET = "机密测试党支部"  # in the private entry's name: outsiders must never read it


def everyone(status):
    return dict.fromkeys(ACTORS, status)


def only(allowed, ok=200, no=404):
    return {actor: ok if actor in allowed else no for actor in ACTORS}


def admin(allowed, ok=200):
    """An admin page: outsiders are sent to log in, members without the permission get 403."""
    return {actor: 302 if actor in OUTSIDERS else ok if actor in allowed else 403 for actor in ACTORS}


MATRIX = [
    # The public site
    ("/", "GET", everyone(200)),
    ("/healthz", "GET", everyone(200)),
    ("/submit/", "GET", everyone(302)),
    ("/call/", "GET", everyone(302)),
    ("/call/{campaign.slug}/", "GET", everyone(200)),
    ("/call/{campaign.slug}/submit/", "GET", everyone(404)),  # TODO(submit issue): the form, 200 for everyone
    ("/track/", "GET", everyone(200)),
    ("/track/{t}/", "GET", {**only({OWNER}), OTHER: 200}, {OWNER}),  # other: their own entry, not ours
    ("/track/{t}/receipt/", "GET", {**only({OWNER}), OTHER: 200}),
    ("/track/{entry.tracking_token}x/", "GET", everyone(404)),
    ("/showcase/", "GET", everyone(200)),
    ("/showcase/{article.slug}/", "GET", everyone(200)),
    ("/showcase/{draft_article.slug}/", "GET", everyone(404)),
    ("/i18n/setlang/", "POST", everyone(302)),
    # Media: published photos are public; the rest needs the entry's link or the newsroom.
    ("/media/{public_photo.display.name}", "GET", everyone(200)),
    ("/media/{private_photo.image.name}?t={t}", "GET", only({OWNER, EDITOR, CHIEF})),
    ("/media/{private_photo.thumbnail.name}?t={t}", "GET", only({OWNER, EDITOR, CHIEF})),
    ("/media/{assigned_photo.display.name}", "GET", only({REVIEWER, EDITOR, CHIEF})),  # reviewers: what they score
    ("/media/{attachment.file.name}?t={t}", "GET", only({OWNER, EDITOR, CHIEF})),
    ("/media/{private_photo.display.name}?t={other.tracking_token}", "GET", only({EDITOR, CHIEF})),
    ("/media/photos/../../portal/settings.py", "GET", everyone(404)),
    ("/media/{public_photo.display.name}", "POST", everyone(405)),
    # The admin's own pages
    ("/admin/login/", "GET", {**everyone(200), **dict.fromkeys(NEWSROOM, 302)}),
    ("/admin/logout/", "POST", admin(NEWSROOM)),
    ("/admin/", "GET", admin(NEWSROOM)),
    ("/admin/submissions/", "GET", admin(NEWSROOM)),
    ("/admin/auth/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/axes/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
    ("/admin/password_change/", "GET", admin(NEWSROOM)),
    ("/admin/password_change/done/", "GET", admin(NEWSROOM)),
    ("/admin/jsi18n/", "GET", admin(NEWSROOM)),
    ("/admin/autocomplete/", "GET", admin(NOBODY)),  # without a valid field: refused for all
    ("/admin/r/{showcase_type}/{article.pk}/", "GET", admin(NEWSROOM, ok=302)),
    ("/admin/auth/user/{editor_user.pk}/password/", "GET", admin(NOBODY)),
    ("/admin/no/such/page/", "GET", admin(NOBODY) | dict.fromkeys(NEWSROOM, 404)),
]

# One line per admin model: (app/model, world object, may view, may add, may delete).
ADMIN_MODELS = [
    ("submissions/submission", "entry", EDITORS, EDITORS, NOBODY),
    ("submissions/campaign", "campaign", EDITORS, EDITORS, NOBODY),
    ("submissions/region", "region", EDITORS, NOBODY, NOBODY),
    ("submissions/review", "review", NEWSROOM, {REVIEWER}, NOBODY),  # TODO(review issue): reviewers see only their own
    ("submissions/reviewassignment", "assignment", EDITORS, EDITORS, EDITORS),
    ("submissions/showcase", "article", EDITORS, EDITORS, NOBODY),
    ("submissions/comment", "comment", EDITORS, NOBODY, NOBODY),
    ("submissions/sitesettings", "site", EDITORS, NOBODY, NOBODY),
    ("submissions/notificationtemplate", "template", EDITORS, NOBODY, NOBODY),
    ("submissions/outboxmessage", "message", EDITORS, NOBODY, NOBODY),
    ("auth/user", "editor_user", NOBODY, NOBODY, NOBODY),  # accounts and roles: superusers only
    ("auth/group", "group", NOBODY, NOBODY, NOBODY),
    ("axes/accessattempt", "attempt", NOBODY, NOBODY, NOBODY),
    ("axes/accesslog", "access_log", NOBODY, NOBODY, NOBODY),
    ("axes/accessfailurelog", "failure_log", NOBODY, NOBODY, NOBODY),
]


def admin_rows(model, key, view, add, delete):
    base = f"/admin/{model}/"
    obj = f"{base}{{{key}.pk}}/"
    return [
        (base, "GET", admin(view)),
        (f"{base}add/", "GET", admin(add)),
        (f"{obj}change/", "GET", admin(view)),
        (f"{obj}history/", "GET", admin(view)),
        (f"{obj}delete/", "GET", admin(delete)),
        (obj, "GET", admin(NEWSROOM, ok=302) | {a: 302 for a in NEWSROOM}),  # old-style URL: a redirect to change/
    ]


ALL_ROWS = MATRIX + [row for spec in ADMIN_MODELS for row in admin_rows(*spec)]

# URL patterns deliberately not in the matrix, with the reason.
UNCOVERED = {
    r"^admin/\(\?P<url>\.\*\)\$$": "the admin's catch-all; requested above as /admin/no/such/page/",
}


class World(dict):
    def __getattr__(self, name):
        return self[name]


def world():
    entry = submission_in(Status.FIRST_REVIEW, org_name=f"{SECRET}第一支部")
    other = submission_in(Status.SUBMITTED)
    assigned = submission_in(Status.FIRST_REVIEW)
    article = published_showcase()
    public_photo = add_photo(article.submission)
    article.photos.create(photo=public_photo, caption="活动照片")
    users = {
        REVIEWER: UserFactory(username="m-reviewer", role="reviewer"),
        EDITOR: UserFactory(username="m-editor", role="editor"),
        CHIEF: UserFactory(username="m-chief", role="chief"),
    }
    assignment = assign(assigned, users[REVIEWER])
    AccessAttempt.objects.create(username="x", ip_address="192.0.2.1", user_agent="t", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="192.0.2.1", user_agent="t")
    AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1", user_agent="t")
    return World(
        entry=entry,
        other=other,
        campaign=entry.campaign,
        region=entry.region,
        article=article,
        draft_article=ShowcaseFactory(),
        public_photo=public_photo,
        private_photo=add_photo(entry),
        assigned_photo=add_photo(assigned),
        attachment=add_attachment(entry),
        review=review(assigned, users[REVIEWER]),
        assignment=assignment,
        comment=Comment.objects.create(showcase=article, name="读者", body="很好"),
        site=SiteSettings.load(),
        template=NotificationTemplate.objects.first(),
        message=OutboxMessage.objects.create(event="received", to="a@example.com", subject="s", body="b"),
        editor_user=users[EDITOR],
        group=Group.objects.first(),
        attempt=AccessAttempt.objects.first(),
        access_log=AccessLog.objects.first(),
        failure_log=AccessFailureLog.objects.first(),
        showcase_type=ContentType.objects.get_for_model(Showcase).pk,
        users=users,
        tokens={OWNER: entry.tracking_token, OTHER: other.tracking_token},
    )


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
    if method == "GET":
        response = client_for(objects, actor, clients).get(path)
    else:
        response = client_for(objects, actor, clients, fresh=True).post(path)
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
            if actor in (ANON, OTHER) and SECRET in body:
                problems.append(f"{method} {path} as {actor}: LEAKS the private entry")
    return problems


@pytest.mark.django_db
def test_public_pages_and_media_answer_each_actor_as_allowed():
    problems = check([row for row in MATRIX if not row[0].startswith("/admin/")])
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
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
