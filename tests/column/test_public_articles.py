"""Which articles are public is asked in one place (Showcase.objects.live()): only a published
article is shown, in every place that shows articles or their photos."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from submissions.column import articles, viewcounts
from submissions.models import Showcase, ShowcasePhoto, Status
from submissions.newsroom import publishing
from submissions.platform.search.suggest import popular_terms
from submissions.workflow import roles
from tests.factories import add_photo, make_user, submission_in, take_article_to

pytestmark = pytest.mark.django_db

# Each article state, written out, and whether readers see an article in it.
STATES = [
    ("published", True),
    ("draft", False),
    ("awaiting_signoff", False),
    ("signed_off", False),
    ("scheduled", False),
    ("unpublished", False),
]


def _article_in(state):
    """An article with a photo, written from an accepted entry and moved to `state` through publishing."""
    editor = make_user(roles.EDITOR, username="public-editor")
    chief = make_user(roles.CHIEF, username="public-chief")
    entry = submission_in(Status.ACCEPTED, brand_name="红色引擎")
    add_photo(entry, caption="照片")
    article = publishing.draft_from_entry(entry, editor=editor, short_name="示范单位")
    take_article_to(article, state, editor=editor, chief=chief)
    article.refresh_from_db()
    assert article.state == state
    return article


@pytest.mark.parametrize(("state", "public"), STATES)
def test_only_a_published_article_is_public(state, public):
    article = _article_in(state)
    assert article.is_public is public
    assert Showcase.objects.live().filter(pk=article.pk).exists() is public
    assert articles.published_articles().filter(pk=article.pk).exists() is public
    assert ShowcasePhoto.objects.live().filter(showcase=article).exists() is public


@pytest.mark.parametrize(("state", "public"), STATES)
def test_every_public_place_asks_the_same(client, state, public):
    article = _article_in(state)
    photo = article.photos.get().photo
    assert client.get(article.get_absolute_url()).status_code == (200 if public else 404)
    assert client.get(photo.display.url).status_code == (200 if public else 404)
    assert (article.title in client.get("/").content.decode()) is public
    assert (article.title in client.get(reverse("showcase:feed")).content.decode()) is public
    assert ("红色引擎" in popular_terms()) is public
    cache.set(viewcounts.PENDING + str(article.pk), 3)
    assert viewcounts.flush() == (3 if public else 0)
