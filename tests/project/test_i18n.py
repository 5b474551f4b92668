"""English through the language switch, Chinese for everyone else, and a complete English catalogue.

Pages are checked two ways: a few key English strings each, and no Chinese left on the page
except content as entered (campaign, article, site settings, region names), so a label added
later without going through gettext shows up here.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from submissions.models import Region, SiteSettings
from tests.factories import CampaignFactory, published_showcase

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]+")
PO = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
NAV = ["Call for entries", "Submit an entry", "Track an entry", "Brand showcase"]
FOOTER = ["Publisher: ", "Phone: ", "Internet news licence: "]


@pytest.fixture
def campaign():
    return CampaignFactory(slug="c2026")


@pytest.fixture
def article(campaign):
    return published_showcase(submission__campaign=campaign)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def content_of(*objects):
    """Text that is content as entered, shown as it was typed in any language."""
    site = SiteSettings.load()
    texts = [site.site_name, site.publisher, site.icp_number, site.copyright, "简体中文"]
    texts += list(Region.objects.values_list("name", flat=True))
    for obj in objects:
        texts += [value for value in vars(obj).values() if isinstance(value, str)]
    return texts


def leftover_chinese(html, content):
    """Chinese on the page that is not content: labels that escaped the catalogue."""
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    for text in sorted(filter(None, content), key=len, reverse=True):
        html = html.replace(escape(text), "").replace(text, "")
    return HAN.findall(html)


def chrome(html):
    """The header, navigation and footer of a public page."""
    header = html[html.index("<header") : html.index("</header>")]
    footer = html[html.index("<footer") : html.index("</footer>")]
    return header + footer


def check_public_page(client, url, expected, content):
    response = english(client).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html  # an article page adds itemscope (its itemprop tags)
    for text in [*NAV, *FOOTER, *expected]:
        assert text in html, text
    assert leftover_chinese(chrome(html), content_of()) == []
    assert leftover_chinese(html, content) == []
    return html


def test_home_in_english(client, article, campaign):
    html = check_public_page(
        client, reverse("home"), ["Read the call for entries", "All articles"], content_of(campaign, article)
    )
    assert campaign.title in html and article.title in html  # content stays as entered


def test_call_page_in_english(client, campaign):
    html = check_public_page(
        client,
        reverse("calls:detail", args=[campaign.slug]),
        ["How to submit", "By e-mail: ", "Start your entry"],
        content_of(campaign),
    )
    assert campaign.call_text in html


def test_entry_form_in_english(client, campaign):
    html = check_public_page(
        client,
        reverse("calls:submit", args=[campaign.slug]),
        ["1. Party organization", "2. Contact person", "Add a section", "Add a photo", "Save draft and continue later", "Submit"],
        # The placeholders' examples stay Chinese: entries are written in Chinese.
        [*content_of(campaign), "思想与理念零距离", "零距离"],
    )
    assert "Party branch" in html and "State-owned enterprise" in html  # choices of the model


def test_tracking_lookup_in_english(client):
    check_public_page(client, reverse("track:lookup"), ["Lost the tracking link?", "Send the tracking links again"], content_of())


def headline_of(article):  # a card's title, as the list shows it: after "<column>|"
    return article.title.split("|", 1)[1]


def test_showcase_list_in_english(client, article):
    html = check_public_page(
        client,
        reverse("showcase:list"),
        ["Search titles and text", "Filter", "1 article"],
        [*content_of(article, article.campaign), headline_of(article)],
    )  # the heading is the campaign's column name (its data); each card its title after the column's
    assert headline_of(article) in html


def test_article_page_in_english(client, article):
    html = check_public_page(
        client,
        article.get_absolute_url(),
        ["Copy link", "Responsible editor: ", "Signed off by: ", "Leave a comment", "Submit comment", "No comments yet."],
        content_of(article, article.campaign, article.responsible_editor, article.signed_off_by),
    )
    assert article.title in html and article.lead in html


def test_admin_login_in_english(client):
    html = english(client).get(reverse("admin:login")).content.decode()
    assert "Newsroom admin" in html and "Log in" in html
    assert HAN.findall(html) == []


def test_accept_language_alone_keeps_chinese(client, article, campaign):
    urls = [
        reverse("home"),
        reverse("calls:detail", args=[campaign.slug]),
        reverse("calls:submit", args=[campaign.slug]),
        reverse("track:lookup"),
        reverse("showcase:list"),
        article.get_absolute_url(),
    ]
    for url in urls:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="zh-CN"' in html, url
        assert "征集启事" in html and "进度查询" in html and "Call for entries" not in html, url
    assert "编辑部后台" in client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_switch_sets_the_cookie_and_english_follows(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/track/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Track an entry" in client.get("/track/").content.decode()


# The catalogue -------------------------------------------------------------------------------


def read_po(path):
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural and msgstr(s); the header left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": "", "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if key == "msgstr":
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
            else:
                key, _space, literal = line.partition(" ")
                value = ast.literal_eval(literal)
                if key.startswith("msgstr"):
                    key = "msgstr"
                    entry["msgstr"].append(value)
                else:
                    entry[key] = value
        if entry.get("msgid"):
            entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w+\}")


def test_catalogue_is_complete_and_compiled():
    entries = read_po(PO)
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    assert "fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n")[0]  # nor the header
    for e in entries:
        for msgstr in e["msgstr"]:
            assert sorted(PLACEHOLDER.findall(e["msgid"])) == sorted(PLACEHOLDER.findall(msgstr)), e["msgid"]
            assert not HAN.search(msgstr) or e["msgid"] in msgstr or "e.g." in msgstr, e["msgid"]
        if "msgid_plural" in e:
            assert len(e["msgstr"]) == 2, e["msgid"]
    # The compiled catalogue says what the .po says (compilemessages was run).
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for e in entries:
        if "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0], e["msgid"]
        elif "msgctxt" in e:  # the same Chinese word meaning another thing (pgettext)
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """A string added to the code or templates without `make messages` fails here.

    makemessages runs on a copy of the code, so the real catalogue is never touched.
    """
    copy = tmp_path / "portal-copy"
    for name in ("portal", "submissions", "templates"):
        shutil.copytree(settings.BASE_DIR / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(settings.BASE_DIR / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    script = (
        "import django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "settings.LOCALE_PATHS = [settings.BASE_DIR / 'locale']\n"
        "call_command('makemessages', locale=['en'], no_obsolete=True, verbosity=0)\n"
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    subprocess.run([sys.executable, "-c", script], cwd=copy, env=env, check=True, timeout=120)
    fresh = {e["msgid"] for e in read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {e["msgid"] for e in read_po(PO)}
    assert sorted(fresh - committed) == [], "new strings: run `make messages` and translate them"
    assert sorted(committed - fresh) == [], "strings no longer used: run `make messages`"
