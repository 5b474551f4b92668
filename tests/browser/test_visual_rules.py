"""What axe and Lighthouse do not check, checked on every public page in real Chromium (issue 27,
item 7): each focusable element shows a visible focus indicator when reached with the keyboard;
every form control's border stands out at 3:1 from its background (WCAG 1.4.11); no page is wider
than a 375 px phone with text at 100%, 125% and 150%, in Chinese and in English, and the header's
links are never cut off.

The pages are listed by URL name: a public URL name is either visited here or excused (not a page,
a redirect, a signed or POST-only link) in NOT_PAGES, so a new page cannot be forgotten."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from submissions.models import Brand, ShowcaseSection, Status
from submissions.results import services as results
from submissions.workflow import roles
from tests.browser.campaign_steps import off_the_loop
from tests.browser.visual import contrast, control_borders, focus_ring_problems, over, overflow, parse_color, text_size
from tests.experts.helpers import accepted
from tests.factories import CampaignFactory, add_photo, make_user, published_showcase, submission_in
from tests.notice.helpers import notice_of
from tests.vote.helpers import vote_on

WIDTH = 375
TEXT_SIZES = (100, 125, 150)

# The public pages visited (the `pages` fixture gives each its path and data).
PAGES = (
    "home", "calls:detail", "calls:submit", "track:lookup", "track:detail", "track:receipt", "showcase:list",
    "showcase:detail", "showcase:poster", "showcase:print", "vote:board", "vote:voter", "notice:detail",
    "notice:objection", "results:campaign", "results:lookup", "results:verify", "experts:index",
    "experts:detail", "experts:login", "recommend:login", "brands:index", "brands:detail",
)  # fmt: skip

# Public URL names that are not pages a reader lands on with the portal's layout, and why.
NOT_PAGES = {
    "healthz": "probe",
    "metrics": "probe",
    "form-token": "JSON",
    "submit": "redirect to calls:submit",
    "calls:current": "redirect to calls:detail",
    "calls:staged_photo": "image",
    "calls:form_docx": "the 申报表, a Word file",
    "calls:import_status": "JSON (an old .doc's conversion, for the form's script)",
    "track:edit": "same form as calls:submit (templates/track, signed token)",
    "track:withdraw": "POST-only confirmation step of track:detail",
    "interview:pick": "POST-only",
    "interview:counter": "POST-only",
    "interview:feed": "calendar file",
    "interview:ics": "calendar file",
    "showcase:feed": "RSS",
    "showcase:comment": "POST-only",
    "showcase:poster-image": "image",
    "showcase:read": "JSON",
    "brands:of_article": "redirect to brands:detail",
    "notice:receipt": "signed token of an objection",
    "vote:cast": "POST-only",
    "recommend:logout": "POST-only",
    "recommend:index": "signed-in body (not public)",
    "recommend:entry": "signed-in body",
    "recommend:check": "signed-in body",
    "recommend:recommend": "signed-in body",
    "recommend:decline": "signed-in body",
    "recommend:form": "Word file",
    "recommend:scan": "signed-in body",
    "recommend:scan_upload": "signed-in body",
    "experts:logout": "POST-only",
    "experts:mine": "signed-in expert",
    "experts:write": "signed link (tests/experts/test_browser.py)",
    "experts:request": "signed-in expert",
    "sitemap": "XML",
    "sitemap-section": "XML",
    "robots": "text",
    "favicon": "image",
}


def public_url_names():
    """Every named URL of the public site (submissions/urls), namespaced as reverse() takes them."""
    names = set()

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(prefix + entry.name)

    resolver = get_resolver("submissions.urls")
    walk(resolver.url_patterns, "")
    return names


@pytest.fixture
def pages(live_server, signing):
    """name → path of every public page, with the data that makes each one show its content."""
    campaign = CampaignFactory(slug="visual-call")
    entry = submission_in(Status.SUBMITTED, campaign=campaign, brand_name="零距离")
    add_photo(entry, caption="主题党日")
    article = published_showcase()
    ShowcaseSection.objects.create(showcase=article, order=1, heading="思想与理念零距离", body="第一段。\n第二段。")
    commentary = accepted(entry=article.submission)
    vote, _entries = vote_on(3, slug="visual-vote")
    notice = notice_of(2, slug="visual-notice", start=timezone.localdate())
    editor = make_user(roles.EDITOR, username="visual-editor")
    awarded = submission_in(Status.ACCEPTED, campaign=CampaignFactory(slug="visual-results"))
    award = off_the_loop(lambda: results.issue_award(awarded, actor=editor))  # its PDF is signed on a loop of its own
    brand = Brand.objects.order_by("pk").first()
    assert brand is not None, "publishing an article makes its brand"
    paths = {
        "home": reverse("home"),
        "calls:detail": reverse("calls:detail", args=[campaign.slug]),
        "calls:submit": reverse("calls:submit", args=[campaign.slug]),
        "track:lookup": reverse("track:lookup"),
        "track:detail": reverse("track:detail", args=[entry.tracking_token]),
        "track:receipt": reverse("track:receipt", args=[entry.tracking_token]),
        "showcase:list": reverse("showcase:list"),
        "showcase:detail": article.get_absolute_url(),
        "showcase:poster": reverse("showcase:poster", args=[article.slug]),
        "showcase:print": reverse("showcase:print", args=[article.slug]),
        "vote:board": reverse("vote:board", args=[vote.campaign.slug]),
        "vote:voter": reverse("vote:voter", args=[vote.campaign.slug]),
        "notice:detail": reverse("notice:detail", args=[notice.campaign.slug]),
        "notice:objection": reverse("notice:objection", args=[notice.campaign.slug]),
        "results:campaign": reverse("results:campaign", args=["visual-results"]),
        "results:lookup": reverse("results:lookup"),
        "results:verify": reverse("results:verify", args=[award.number]),
        "experts:index": reverse("experts:index"),
        "experts:detail": reverse("experts:detail", args=[commentary.expert.slug]),
        "experts:login": reverse("experts:login"),
        "recommend:login": reverse("recommend:login"),
        "brands:index": reverse("brands:index"),
        "brands:detail": brand.get_absolute_url(),
    }
    assert tuple(paths) == PAGES
    return paths


def context_for(browser, language):
    """One browser context per language (the language switch's cookie), at phone width, without
    transitions (prefers-reduced-motion: Bootstrap then changes styles at once, so that the focused
    state is read as it ends, not as it starts)."""
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 740}, locale="zh-CN", reduced_motion="reduce", bypass_csp=False
    )
    if language != "zh-hans":
        context.add_cookies([{"name": "django_language", "value": language, "url": "http://localhost"}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def lines(found):
    """A failure's findings one per line, page by page (pytest would cut a dict short)."""
    return "\n" + "\n".join(
        f"{name}: {item}" for name, items in found.items() for item in (items if isinstance(items, list) else [items])
    )


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("load")
    return response.status


# --- the contrast arithmetic, against known pairs ----------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", 21.0),  # the extremes
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey at AA for text on white
        ("#949494", "#ffffff", 3.03),  # the lightest grey at 3:1 on white
        ("#ff0000", "#ffffff", 4.00),
        ("#0000ff", "#ffffff", 8.59),
        ("#dee2e6", "#ffffff", 1.30),  # Bootstrap's border colour: the issue's 1.3:1
        ("rgb(255, 255, 255)", "rgb(183, 28, 28)", 6.57),  # white on the portal's red
    ],
)
def test_contrast_of_known_pairs(first, second, expected):
    assert contrast(first, second) == pytest.approx(expected, abs=0.01)
    assert contrast(second, first) == pytest.approx(expected, abs=0.01)  # the order does not matter


def test_colours_are_read_as_computed_styles_write_them_and_translucent_ones_composed():
    assert parse_color("rgba(0, 0, 0, 0.5)") == (0, 0, 0, 0.5)
    assert parse_color("rgb(10 20 30 / 25%)") == (10, 20, 30, 0.25)
    assert parse_color("transparent")[3] == 0
    assert parse_color("#abc") == (0xAA, 0xBB, 0xCC, 1.0)
    assert over(parse_color("rgba(0, 0, 0, 0.5)"), (255, 255, 255, 1)) == (127.5, 127.5, 127.5, 1.0)
    # Half-transparent black on white is grey 127.5: between #808080 (3.95:1) and #7f7f7f (4.00:1).
    assert 3.95 < contrast("rgba(0, 0, 0, 0.5)", "#ffffff") < 4.0
    with pytest.raises(ValueError):
        contrast("#000", "rgba(0, 0, 0, 0.5)")


def test_every_public_url_name_is_checked_or_excused():
    names = public_url_names()
    listed = set(PAGES)
    assert names - listed - set(NOT_PAGES) == set(), "a public page the visual rules do not visit"
    assert (listed | set(NOT_PAGES)) - names == set(), "listed names that no longer exist"


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_focus_indicators_and_control_borders_on_every_public_page(browser, live_server, pages):
    context, page = context_for(browser, "zh-hans")
    statuses, rings, borders, reached = {}, {}, {}, {}
    for name, path in pages.items():
        statuses[name] = visit(page, live_server.url + path)
        problems, reached[name] = focus_ring_problems(page)
        if problems:
            rings[name] = problems
        if failing := control_borders(page):
            borders[name] = failing
    context.close()
    assert {name: status for name, status in statuses.items() if status != 200} == {}
    # The walk went through the page: at least the skip link, the brand, the language and the four links.
    assert {name: count for name, count in reached.items() if count < 7} == {}, reached
    found = {f"focus, {name}": items for name, items in rings.items()}
    found.update({f"border, {name}": items for name, items in borders.items()})
    assert found == {}, lines(found)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_public_page_overflows_375_px_with_larger_text(browser, live_server, pages, language):
    context, page = context_for(browser, language)
    wide = {}
    for name, path in pages.items():
        visit(page, live_server.url + path)
        assert page.evaluate("document.documentElement.lang") == ("zh-CN" if language == "zh-hans" else language)
        for percent in TEXT_SIZES:
            text_size(page, percent)
            found = overflow(page)
            if found["scrollWidth"] > found["width"] or found["cut"]:
                wide[f"{name} at {percent}%"] = found
    context.close()
    assert wide == {}, lines(wide)


BRAND_LINES = """() => {
  const text = document.querySelector('.portal-brand').firstChild;
  const tops = [];
  for (let at = 0; at < text.length; at++) {
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + 1);
    const rect = range.getBoundingClientRect();
    if (rect.width) tops.push(Math.round(rect.top));
  }
  const lines = [];
  tops.forEach((top, at) => { if (at === 0 || top !== tops[at - 1]) lines.push(0); lines[lines.length - 1] += 1; });
  return lines;
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_site_name_breaks_into_even_lines_with_larger_text(browser, live_server):
    """A name that no longer fits one line is set in lines of about equal length (优秀党建品牌 /
    征集展示平台), never a few characters left alone on the last (…征集展 / 示平台)."""
    context, page = context_for(browser, "zh-hans")
    visit(page, live_server.url + reverse("home"))
    seen = {}
    for percent in TEXT_SIZES:
        text_size(page, percent)
        seen[percent] = page.evaluate(BRAND_LINES)
    context.close()
    assert seen[100] == [12], seen  # one line at the usual size
    for lines_of in seen.values():
        assert min(lines_of) * 3 >= sum(lines_of) or len(lines_of) == 1, seen
    assert len(seen[125]) > 1, seen  # the case of the issue: it does break at 125%
