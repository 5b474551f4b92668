"""Blind review is blind everywhere (issue 23, finding 6): a reviewer scoring blind entries walks
every page and download they can reach, and no organization (nor parent) of a blind entry is in
any of them.

Three entries of a blind campaign share passages: A and B are assigned to the reviewer, C (of
another organization, whose text names it next to the passage A shares) is not. The overlap
report is made by the domain, as after a real submission. The walk starts from the known pages
and follows every same-origin admin and media link (and redirect) it finds, up to a bound, so a
new page is walked without a new line here; the known pages are asserted to have been reached.
"""

import html
import io
import re
import zipfile
from collections import deque
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from submissions.models import OverlapMatch, Stage, Status, Submission
from tests.factories import (
    CampaignFactory,
    UserFactory,
    add_attachment,
    add_photo,
    assign,
    published_showcase,
    review,
)
from tests.overlap.test_overlap import COPIED, OWN_A, OWN_B, entry

ORG_A, PARENT_A = "鸿鹄甲机密党支部", "鸿鹄甲控股集团党委"
ORG_B, PARENT_B = "鸿鹄乙机密党支部", "鸿鹄乙控股集团党委"
ORG_C, PARENT_C = "鸿鹄丙机密党委", "鸿鹄丙控股集团党委"
SECRETS = (ORG_A, PARENT_A, ORG_B, PARENT_B, ORG_C, PARENT_C)
# A passage A shares with a published article: the article stays public and named.
WITH_ARTICLE = (
    "机关党支部组织党员志愿者走进老旧小区，帮助加装电梯、改造管网、修补道路，"
    "每周六上午开展便民服务，为居民理发、修鞋、测血压，三年累计服务一万二千人次。"
)
ARTICLE_NAME = "公开报道示范单位"
CRAWL_LIMIT = 400  # pages walked at most
VARIANTS = 40  # queries of one page (the list's filters, sorts and searches) walked at most
CHANGELIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def blind(db, reviewer, django_capture_on_commit_callbacks):
    """Entries A and B assigned to the reviewer, C not; each shares a passage with A."""

    def made(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    article = made(published_showcase, short_name=ARTICLE_NAME, lead=WITH_ARTICLE)
    campaign = CampaignFactory(slug="blind-campaign", blind_review=True)
    review_status = Status.FIRST_REVIEW
    c = made(entry, f"{ORG_C}把楼院划分为网格。" + OWN_A, campaign=campaign, org_name=ORG_C, org_parent=PARENT_C)
    a = made(entry, COPIED, OWN_A, WITH_ARTICLE, campaign=campaign, status=review_status, org_name=ORG_A, org_parent=PARENT_A)
    b = made(entry, OWN_B, COPIED, campaign=campaign, status=review_status, org_name=ORG_B, org_parent=PARENT_B)
    for mine in (a, b):
        assign(mine, reviewer, Stage.FIRST)
    other_reviewer = UserFactory(username="blind-reviewer-2", role="reviewer")
    assign(a, other_reviewer, Stage.FIRST)
    review(a, reviewer)  # A is scored (its reviews are readable), B is still to score
    review(a, other_reviewer, comment="另一位专家的评语")
    add_photo(a, caption="活动照片")
    add_attachment(a, name="申报材料.pdf")
    add_photo(b, caption="志愿服务")
    photo_c = add_photo(c, caption="网格走访")
    assert Submission.objects.filter(campaign=campaign, status=review_status).count() == 2
    others = {m.other.submission_id or m.other.showcase_id for m in OverlapMatch.objects.filter(document__submission=a)}
    assert others == {b.pk, c.pk, article.pk}, "the report of A lists B, C and the article"
    return {"a": a, "b": b, "c": c, "article": article, "photo_c": photo_c}


def body_of(response):
    """A response's bytes, read once (a file response streams them)."""
    if not hasattr(response, "read_body"):
        response.read_body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.read_body


UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def texts_of(response):
    """Everything a response tells: its body (every part of a zip: .xlsx, .docx) and its headers."""
    body = body_of(response)
    parts = [body]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [archive.read(name) for name in archive.namelist()]
    decoded = [part.decode("utf-8", "replace") for part in parts]
    headers = [f"{name}: {unquote(value)}" for name, value in response.headers.items()]
    readable = [html.unescape(UNICODE_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)) for text in decoded]  # JSON, JS
    return "\n".join(decoded + readable + headers)


def leaks(url, response):
    """The secrets a response shows, past the reviewer's own search words echoed in the search box."""
    text = texts_of(response)
    query = unquote(urlsplit(url).query)
    for secret in SECRETS:
        if secret in query:  # typed by the reviewer: shown again only as the search box's value
            text = text.replace(f'value="{html.escape(secret)}"', "").replace(f'value="{secret}"', "")
    return [secret for secret in SECRETS if secret in text]


LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")


def links_of(url, response):
    """Same-origin admin and media links of a page, and where a redirect goes."""
    found = []
    if 300 <= response.status_code < 400 and response.get("Location"):
        found.append(response["Location"])
    if "html" in response.get("Content-Type", ""):
        found += [html.unescape(link) for link in LINK.findall(body_of(response).decode("utf-8", "replace"))]
    kept = []
    for link in found:
        parts = urlsplit(urljoin(url, link))
        if parts.scheme or parts.netloc or not parts.path.startswith(("/admin/", "/media/")):
            continue
        if parts.path == reverse("admin:logout"):
            continue
        kept.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return kept


def crawl(client, start, limit=CRAWL_LIMIT, variants=VARIANTS):
    """{url: response} of every page reached from `start`, at most `limit`: a link to a page not
    seen yet comes before another query of a page seen (the list's filters and sorts multiply),
    and a page is asked with at most `variants` queries."""
    seen, fresh, again, per_path = {}, deque(start), deque(), {}
    while (fresh or again) and len(seen) < limit:
        url = (fresh or again).popleft()
        path = url.split("?")[0]
        if url in seen or (url not in start and per_path.get(path, 0) >= variants):
            continue
        response = client.get(url)
        seen[url] = response
        per_path[path] = per_path.get(path, 0) + 1
        for link in links_of(url, response):
            if link not in seen:
                (again if link.split("?")[0] in per_path else fresh).append(link)
    return seen


def autocomplete_urls():
    """The admin's autocomplete for every relation whose target is registered (the answer names each object)."""
    urls = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            target = getattr(getattr(field, "remote_field", None), "model", None)
            if field.concrete and target in admin.site._registry:
                query = f"app_label={model._meta.app_label}&model_name={model._meta.model_name}&field_name={field.name}"
                urls.append(f"{reverse('admin:autocomplete')}?{query}&term=")
    return urls


def known_urls(world):
    a, b, c = world["a"], world["b"], world["c"]
    region = a.region_id
    entry_type = ContentType.objects.get_for_model(Submission).pk
    lists = [
        CHANGELIST,
        *(
            f"{CHANGELIST}?q={term}"
            for term in (ORG_A, ORG_B, ORG_C, PARENT_A, "鸿鹄甲", "鸿鹄", "机密", b.brand_name, a.reference)
        ),
        f"{CHANGELIST}?status__exact={Status.FIRST_REVIEW}",
        f"{CHANGELIST}?kind__exact={a.kind}&region__id__exact={region}",
        *(f"{CHANGELIST}?o={column}" for column in ("2", "-2", "3", "4", "-7", "8")),
    ]
    pages = [
        reverse("admin:index"),
        reverse("admin:app_list", args=["submissions"]),
        reverse("admin:dashboard"),
        reverse("admin:queue", args=["score"]),
        reverse("admin:queue_next", args=["score"]),
        reverse("admin:submissions_submission_next_unscored"),
        reverse("admin:submissions_review_changelist"),
        *lists,
    ]
    for one in (a, b, c):
        pages += [
            reverse("admin:submissions_submission_change", args=[one.pk]),
            reverse("admin:submissions_submission_score", args=[one.pk, Stage.FIRST]),
            reverse("admin:submissions_submission_history", args=[one.pk]),
            reverse("admin:submissions_submission_simple_history", args=[one.pk, one.edits.first().history_id]),
            reverse("admin:submissions_submission_delete", args=[one.pk]),
            reverse("admin:view_on_site", args=[entry_type, one.pk]),
        ]
    for mine in a.reviews.all():
        pages += [
            reverse("admin:submissions_review_change", args=[mine.pk]),
            reverse("admin:submissions_review_history", args=[mine.pk]),
        ]
    exports = [
        reverse("admin:submissions_submission_export", args=["xlsx"]),
        reverse("admin:submissions_submission_export", args=["csv"]),
        reverse("admin:submissions_exportjob_changelist"),
        reverse("admin:submissions_showcase_docx", args=[world["article"].pk]),
    ]
    media = ["/media/" + world["photo_c"].display.name]
    return pages + exports + media + autocomplete_urls()


def test_a_blind_reviewer_reads_no_organization_on_any_page_or_download(client, reviewer, blind):
    a, b, c = blind["a"], blind["b"], blind["c"]
    client.force_login(reviewer)
    pages = crawl(client, known_urls(blind))
    leaked = {url: found for url, response in pages.items() if (found := leaks(url, response))}
    assert leaked == {}, leaked
    tokens = [blind[key].tracking_token for key in ("a", "b", "c")]  # the public tracking page's key
    assert [url for url, response in pages.items() if any(token in texts_of(response) for token in tokens)] == []

    # The walk reached the pages that matter, with what the reviewer should see there.
    def ok(url):
        assert pages[url].status_code == 200, url
        return pages[url].content.decode()

    score_a = ok(reverse("admin:submissions_submission_score", args=[a.pk, Stage.FIRST]))
    assert 'id="overlap"' in score_a  # the overlap panel, inline on the scoring page …
    assert b.reference in score_a and c.reference in score_a  # … naming the other entries by reference
    assert ARTICLE_NAME in score_a  # a published article stays public and named
    assert "<mark>" in score_a and a.brand_name in score_a
    assert "＊" * len(ORG_C) in score_a  # C's text names C beside the shared passage: masked, the passage kept
    ok(reverse("admin:submissions_submission_score", args=[b.pk, Stage.FIRST]))
    assert a.reference in ok(CHANGELIST) and b.reference in ok(CHANGELIST)
    ok(reverse("admin:index"))
    ok(reverse("admin:queue", args=["score"]))
    ok(reverse("admin:submissions_review_changelist"))
    for mine in a.reviews.filter(reviewer=reviewer):
        ok(reverse("admin:submissions_review_change", args=[mine.pk]))
        ok(reverse("admin:submissions_review_history", args=[mine.pk]))
    media = [url for url, response in pages.items() if url.startswith("/media/") and response.status_code == 200]
    assert len(media) >= 5, media  # the photos (display, thumbnails) and the attachment of A and B
    assert len(pages) >= 80, len(pages)

    # What the reviewer may not open is refused, not shown.
    refused = {
        reverse("admin:submissions_submission_history", args=[a.pk]): 403,
        reverse("admin:submissions_submission_simple_history", args=[a.pk, a.edits.first().history_id]): 403,
        reverse("admin:submissions_submission_change", args=[c.pk]): 404,
        reverse("admin:submissions_submission_score", args=[c.pk, Stage.FIRST]): 404,
        reverse("admin:dashboard"): 403,
        reverse("admin:submissions_submission_export", args=["xlsx"]): 403,
        reverse("admin:submissions_submission_export", args=["csv"]): 403,
        reverse("admin:submissions_exportjob_changelist"): 403,
        reverse("admin:submissions_showcase_docx", args=[blind["article"].pk]): 403,
        "/media/" + blind["photo_c"].display.name: 404,
    }
    assert {url: pages[url].status_code for url in refused} == refused
    autocompletes = autocomplete_urls()
    assert any("model_name=review&" in url for url in autocompletes)
    assert {pages[url].status_code for url in autocompletes} == {403}  # it names each entry with its organization

    # A search by the organization finds nothing (and says so only by echoing the words typed).
    for term in (ORG_A, "鸿鹄甲", PARENT_A):
        assert list(pages[f"{CHANGELIST}?q={term}"].context["cl"].result_list) == [], term


def test_the_tracking_pages_need_the_entrys_link(client, reviewer, blind):
    """The public tracking pages are not a way round: no admin page shows an entry's link (the walk
    above), and without it they show nothing of the entry."""
    client.force_login(reviewer)
    lookup = client.get(reverse("track:lookup"))
    assert lookup.status_code == 200 and leaks("", lookup) == []
    for key in ("a", "b", "c"):
        token = blind[key].tracking_token
        response = client.get(reverse("track:detail", args=[token[:-1] + ("y" if token.endswith("x") else "x")]))
        assert response.status_code == 404 and leaks("", response) == []


def test_the_list_cannot_be_filtered_on_what_it_hides(client, reviewer, blind):
    """?org_name__contains=… would tell the organization by which entries remain: refused (400)."""
    client.force_login(reviewer)
    probes = {
        "org_name": ORG_A,
        "org_name__contains": "鸿鹄甲",
        "org_name__startswith": "鸿",
        "org_parent__contains": "鸿鹄甲",
        "dedupe_key__contains": "鸿鹄甲",
        "contact_name": "张三",
        "contact_phone__contains": "138",
        "tracking_token__startswith": blind["a"].tracking_token[:3],
    }
    answers = {lookup: client.get(CHANGELIST, {lookup: value}).status_code for lookup, value in probes.items()}
    assert answers == dict.fromkeys(probes, 400)
    assert client.get(CHANGELIST, {"status__exact": Status.FIRST_REVIEW, "kind__exact": blind["a"].kind}).status_code == 200


def test_scoring_a_blind_entry_names_it_by_reference_and_brand(client, reviewer, blind, django_assert_max_num_queries):
    b = blind["b"]
    client.force_login(reviewer)
    url = reverse("admin:submissions_submission_score", args=[b.pk, Stage.FIRST])
    scores = {f"c{criterion.pk}": 8 for criterion in b.campaign.criteria.all()}
    response = client.post(url, {**scores, "comment": "扎实", "save": "1"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"已保存对 {b.reference} “{b.brand_name}” 的评分" in page
    assert leaks(url, response) == []
    with django_assert_max_num_queries(25):  # the scoring page of A with its panel of three matches (22 today)
        client.get(reverse("admin:submissions_submission_score", args=[blind["a"].pk, Stage.FIRST]))


def test_the_newsroom_still_reads_who_sent_it(client, editor, blind):
    a = blind["a"]
    client.force_login(editor)
    page = client.get(reverse("admin:submissions_submission_change", args=[a.pk])).content.decode()
    assert ORG_A in page and ORG_B in page and ORG_C in page  # its own, and the others' in the panel
    assert "＊" not in page
    found = client.get(CHANGELIST, {"org_name__contains": "鸿鹄甲"}).context["cl"].result_list
    assert [one.pk for one in found] == [a.pk]  # an editor's filter on the organization still works
