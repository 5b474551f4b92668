"""What the brand area reads: a brand's page (its live articles across campaigns and years, their
videos, the awards in force and the experts' commentaries) and the index of brands.

A brand's page is read in a fixed number of queries whatever its number of articles
(tests/brands/test_page.py counts them). Only live articles count (Showcase.objects.live()): a
brand whose articles are all taken down has no page.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery

from submissions.experts import selectors as experts
from submissions.models import Brand, Certificate, CertificateState, Showcase, ShowcaseViews, Video, VideoState

Q_MAX_LENGTH = 50  # the index's search box, as the column's (column/listquery.py)
WORDS_MAX = 5  # words of it that filter


def count_of(article):
    """The article's stored reading count, as the column shows it (column.viewcounts.count_of; not
    imported: the column links to the brand pages, so the brand area does not import the column)."""
    try:
        return article.views.count
    except ShowcaseViews.DoesNotExist:
        return 0


def live_articles_of(key):
    return Showcase.objects.live().filter(submission__dedupe_key=key)


@dataclass
class BrandPage:
    brand: Brand
    entry: object  # the latest published entry: names, slogan, brand idea
    articles: list  # newest first, each with .view_count and .shown_videos
    awards: list  # certificates in force (award), with their campaign, newest campaign first
    commentaries: list = field(default_factory=list)  # the experts' accepted commentaries (submissions.experts)
    total_views: int = 0


def page(slug):
    """The BrandPage of the brand at /brands/<slug>/, or None (no such brand, or none of its articles live)."""
    brand = Brand.objects.filter(slug=slug).first()
    if brand is None:
        return None
    articles = list(
        live_articles_of(brand.key).select_related("campaign", "views", "submission").order_by("-published_at", "-pk")
    )
    if not articles:
        return None
    ids = [article.pk for article in articles]
    entry_ids = [article.submission_id for article in articles]
    videos = {}
    # The videos an article's page plays (video.selectors.shown_in), for all the articles at once.
    for video in Video.objects.filter(showcase__in=ids, state=VideoState.READY).exclude(mp4="").order_by("order", "pk"):
        videos.setdefault(video.showcase_id, []).append(video)
    for article in articles:
        article.view_count = count_of(article)
        article.shown_videos = videos.get(article.pk, [])
    awards = list(
        Certificate.objects.filter(submission_id__in=entry_ids, kind=Certificate.Kind.AWARD, state=CertificateState.ISSUED)
        .select_related("campaign")
        .order_by("-campaign__opens_at", "number")
    )
    return BrandPage(
        brand=brand,
        entry=articles[0].submission,
        articles=articles,
        awards=awards,
        commentaries=list(experts.for_entries(entry_ids)),
        total_views=sum(article.view_count for article in articles),
    )


def index(words=""):
    """The brands with a live article, newest publication first (each with .latest_published_at);
    `words` (already bounded) keeps those whose organization or brand name holds them."""
    live = live_articles_of(OuterRef("key"))
    brands = (
        Brand.objects.filter(Exists(live))
        .annotate(latest_published_at=Subquery(live.order_by("-published_at").values("published_at")[:1]))
        .order_by("-latest_published_at", "-pk")
    )
    for word in words.split()[:WORDS_MAX]:
        brands = brands.filter(Q(org_name__icontains=word) | Q(brand_name__icontains=word))
    return brands


def with_brand_slug(entries):
    """A queryset of entries with each one's brand slug (None: no brand) read in the same query, for
    {% brand_link entry %} to ask nothing more (the tracking page's and the admin's entry query may use it)."""
    return entries.annotate(brand_slug=Subquery(Brand.objects.filter(key=OuterRef("dedupe_key")).values("slug")[:1]))


def slug_of(dedupe_key):
    """The slug of the brand of entries with this dedupe_key, or None (one query)."""
    return Brand.objects.filter(key=dedupe_key).values_list("slug", flat=True).first()


def slug_of_live_article(article_slug):
    """The slug of the brand of the live article with this slug, or None (one query)."""
    entry = Showcase.objects.live().filter(slug=article_slug).values("submission__dedupe_key")[:1]
    return Brand.objects.filter(key=Subquery(entry)).values_list("slug", flat=True).first()
