"""The read side of showcase articles (a selector module): what the public page, the admin's
preview, the feed and the exports load and show. Views, admin and exports share it; writes
live in submissions.newsroom.publishing and submissions.workflow."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from submissions.column import viewcounts
from submissions.models import ArticleState, Comment, Showcase, ShowcasePhoto, SiteSettings, StatusChange
from submissions.models.status import LIVE
from submissions.platform import public_media
from submissions.platform.people import display_name


def published_articles():
    """The articles readers may see."""
    return Showcase.objects.filter(state__in=LIVE)


def photos_prefetch():
    return Prefetch("photos", queryset=ShowcasePhoto.objects.select_related("photo").order_by("order", "pk"))


def summary_of(article):
    return article.summary or " ".join(article.lead.split())[:120]


def person(user):
    """How a person is printed on the article (责任编辑 / 签审): their display name."""
    return display_name(user)


def credits_of(article):
    """The credits line in brackets, as the paper prints it: the campaign's template (medium and
    closing word), each overridable on the article, around the article's people, e.g.
    `（大众日报客户端记者 王晓 刘洋 实习生 陈晨 通讯员 赵磊 报道）`. Empty when nobody is named."""
    people = [
        (label, " ".join(names.split()))
        for label, names in (
            (_("记者"), article.reporters),
            (_("实习生"), article.interns),
            (_("通讯员"), article.correspondents),
        )
    ]
    parts = [f"{label} {names}" for label, names in people if names]
    if not parts:
        return ""
    medium = (article.credits_medium or article.campaign.credits_medium).strip()
    closing = (article.credits_closing or article.campaign.credits_closing).strip()
    if medium and article.reporters.strip():
        parts[0] = medium + parts[0]
    return "（" + " ".join(parts + ([closing] if closing else [])) + "）"


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
    """The article's page parts (title, head tags, body HTML): what the public sees and the admin previews."""
    photos = list(article.photos.all())
    site = SiteSettings.load()
    context = {
        "article": article,
        "sections": article.sections.all(),
        "photos": photos,
        "links": article.links.all(),
        "comments": article.comments.all(),
        "editor_name": person(article.responsible_editor),
        "signer_name": person(article.signed_off_by),
        "canonical": f"{settings.SITE_URL}{article.get_absolute_url()}",
        "share_image": f"{settings.SITE_URL}{public_media.url(photos[0].photo.display)}" if photos else "",
        "summary": summary_of(article),
        "credits": credits_of(article),
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
