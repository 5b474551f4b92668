"""The read side of showcase articles (a selector module): what the public page, the admin's
preview, the feed and the exports load and show. Views, admin and exports share it; writes
live in submissions.newsroom.publishing and submissions.workflow."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.template.loader import render_to_string

from submissions.column import viewcounts
from submissions.models import ArticleState, Comment, Showcase, ShowcasePhoto, SiteSettings, StatusChange
from submissions.newsroom import text
from submissions.platform import public_media

# The blocks laid out in the article's body (between the head and the related links), in their order.
BODY = frozenset({text.EDITOR_NOTE, text.LEAD, text.SECTION, text.PHOTO, text.EXPERT, text.CLOSING, text.STANDING_CALL})


def absolute(url):
    """An address readers' apps can fetch: the site's for our own paths, as it is for the object store's."""
    return url if url.startswith(("https://", "http://")) else f"{settings.SITE_URL}{url}"


def published_articles():
    """The articles readers may see (the model says which: Showcase.objects.live())."""
    return Showcase.objects.live()


def photos_prefetch():
    return Prefetch("photos", queryset=ShowcasePhoto.objects.select_related("photo").order_by("order", "pk"))


def summary_of(article):
    return article.summary or " ".join(article.lead.split())[:120]


def load_article(queryset, **lookup):
    """One article with everything its page shows (approved comments only), in five queries."""
    article = (
        queryset.select_related("responsible_editor", "signed_off_by", "campaign", "views")
        .prefetch_related(
            "sections",
            photos_prefetch(),
            "links",
            Prefetch("comments", queryset=Comment.objects.filter(state=Comment.State.APPROVED)),
        )
        .filter(**lookup)
        .first()
    )
    if article is None:
        raise Http404
    return article


def article_page(article):
    """The article's page parts (title, head tags, body HTML): what the public sees and the admin previews.
    The body lays out the article's blocks (submissions.newsroom.text) in their order."""
    found = text.blocks(article)
    photos = list(article.photos.all())
    editors = text.taken(found, [text.EDITORS])[0]
    credits = text.taken(found, [text.CREDITS])
    site = SiteSettings.load()
    context = {
        "article": article,
        "blocks": [block for block in found if block.kind in BODY],
        "links": text.taken(found, [text.LINK]),
        "comments": article.comments.all(),
        "editor_name": editors.text,
        "signer_name": editors.signature,
        "canonical": f"{settings.SITE_URL}{article.get_absolute_url()}",
        "share_image": absolute(public_media.url(photos[0].photo.display)) if photos else "",
        "summary": summary_of(article),
        "credits": credits[0].text if credits else "",
        "column_name": article.campaign.column_name,
        "view_count": viewcounts.count_of(article),
        "site": site,
    }
    return {
        "title": article.title,
        "description": context["summary"],
        "head": render_to_string("showcase/_meta.html", context),
        "body": render_to_string("showcase/_article.html", context),
    }


def sent_back(article):
    """The chief editor's note when the article was last sent back from sign-off (for its editor), or None."""
    if article.state != ArticleState.DRAFT:
        return None
    last = (
        StatusChange.objects.filter(showcase=article)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .only("from_status", "to_status", "message", "created_at", "actor")
        .first()
    )
    if last is None or (last.from_status, last.to_status) != (ArticleState.AWAITING_SIGNOFF, ArticleState.DRAFT):
        return None
    return last
