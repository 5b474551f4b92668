"""A Brand row comes into being when an article of an entry is first published (the workflow's "brand"
effect), once per organization's brand: a later campaign's article of the same brand joins it, another
brand gets its own. The migration gives the brands of articles already live theirs."""

import importlib

import pytest
from django.apps import apps

from submissions.brands import services
from submissions.models import Brand, Showcase
from submissions.workflow import effects
from tests.brands.helpers import BRAND, ORG, article_of, campaign_of
from tests.factories import publish_again, take_article_to

pytestmark = pytest.mark.django_db
A = Showcase.State


def test_the_move_into_live_declares_the_brand_effect():
    assert effects.BRAND in effects.EFFECTS["article", A.SIGNED_OFF, A.PUBLISHED]
    assert effects.BRAND not in effects.EFFECTS["article", A.PUBLISHED, A.UNPUBLISHED]
    assert effects.WHEN[effects.BRAND].in_transaction


def test_no_brand_before_publication_one_on_it_and_only_one_after_a_republication():
    article = article_of(campaign_of(2024), state=A.SIGNED_OFF)
    assert not Brand.objects.exists()
    from submissions.newsroom import publishing

    publishing.publish(article, article.signed_off_by)
    brand = Brand.objects.get()
    article.refresh_from_db()
    assert (brand.org_name, brand.brand_name) == (ORG, BRAND)
    assert brand.key == article.submission.dedupe_key
    assert brand.first_published_at == article.published_at
    assert len(brand.slug) == 8 and brand.slug.isalnum()
    first_slug = brand.slug

    chief, editor = article.signed_off_by, article.responsible_editor
    publishing.unpublish(article, chief, "核实中")
    publishing.move(article, A.DRAFT, editor)
    take_article_to(Showcase.objects.get(pk=article.pk), A.PUBLISHED, editor=editor, chief=chief)
    assert Brand.objects.count() == 1
    again = Brand.objects.get()
    assert again.slug == first_slug and again.first_published_at == brand.first_published_at  # stable


def test_a_later_campaign_of_the_same_brand_joins_it_and_another_brand_gets_its_own():
    first = article_of(campaign_of(2024))
    # The same organization and brand, spelt with other spaces and quotes, a year later.
    later = article_of(campaign_of(2025), org_name=f" {ORG} ", brand_name=f"“{BRAND}”")
    other = article_of(campaign_of(2025, slug="other-2025"), org_name=ORG, brand_name="码头红帆")
    assert Brand.objects.count() == 2
    joined = Brand.objects.get(key=first.submission.dedupe_key)
    assert later.submission.dedupe_key == joined.key
    assert joined.brand_name == f"“{BRAND}”"  # the names of the entry published last
    first.refresh_from_db()
    assert joined.first_published_at == first.published_at  # the first publication's moment stays
    assert Brand.objects.get(key=other.submission.dedupe_key).brand_name == "码头红帆"


def test_an_edited_article_published_again_keeps_its_one_brand():
    article = article_of(campaign_of(2024))
    from submissions.newsroom import publishing

    article.lead = "改过的导语。"
    article.save()
    publishing.edited(article, article.responsible_editor, note="改导语")
    publish_again(article)
    assert Brand.objects.count() == 1


def test_an_article_without_an_entry_has_no_brand():
    article = article_of(campaign_of(2024), state=A.DRAFT)
    Showcase.objects.filter(pk=article.pk).update(submission=None)  # as some articles of before the entries were
    assert services.article_live(article.pk) is None
    assert not Brand.objects.exists()


def test_the_migration_makes_the_brands_of_articles_already_live():
    migration = importlib.import_module("submissions.migrations.0032_brands")
    one = article_of(campaign_of(2024))
    two = article_of(campaign_of(2025), brand_name=f"“{BRAND}”")
    other = article_of(campaign_of(2025, slug="other-2025"), brand_name="码头红帆")
    article_of(campaign_of(2025, slug="draft-2025"), state=A.SIGNED_OFF, brand_name="尚未发布")
    Brand.objects.all().delete()  # as before the migration
    migration.brands_of_live_articles(apps, None)
    one.refresh_from_db()
    brands = {brand.key: brand for brand in Brand.objects.all()}
    assert set(brands) == {one.submission.dedupe_key, other.submission.dedupe_key}  # not the one never live
    assert brands[two.submission.dedupe_key].first_published_at == one.published_at
    assert brands[two.submission.dedupe_key].brand_name == f"“{BRAND}”"
    assert len({brand.slug for brand in brands.values()}) == 2
    migration.brands_of_live_articles(apps, None)  # run again: nothing more
    assert Brand.objects.count() == 2
