"""The interview's material beside the article's draft (专题融媒采访 → 巡展文章): the notes and photos the
reporters brought back for the article's entry (done interviews first), and adding one of those
photos to the article's photos. The draft itself (publishing.draft_from_entry) takes the submitter's
photos only: the interview's are offered here, one by one."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from submissions.interview import selectors as interviews
from submissions.models import Interview, Photo, ShowcasePhoto
from submissions.newsroom import publishing


class MaterialError(Exception):
    """A refused addition; str() is for the editor."""


def for_article(article):
    """[{interview, report, photos: [(photo, in_article)]}] for the article's entry; [] without any."""
    if not article.submission_id:
        return []
    found = interviews.material_for_article(article.submission_id)
    if not found:
        return []
    used = set(ShowcasePhoto.objects.filter(showcase=article).values_list("photo_id", flat=True))
    return [
        {
            "interview": interview,
            "report": interview.report,
            "photos": [(photo, photo.pk in used) for photo in interview.photos.all()],
        }
        for interview in found
    ]


def add_photo(article, photo_id, editor):
    """Add a photo of an interview of the article's entry at the end of the article's photos (a revision,
    as any edit: a signed-off article goes back to editing). Returns the ShowcasePhoto."""
    photo = (
        Photo.objects.filter(pk=photo_id, submission_id=article.submission_id)
        .filter(pk__in=Interview.photos.through.objects.filter(interview__submission_id=article.submission_id).values("photo"))
        .first()
        if article.submission_id
        else None
    )
    if photo is None:
        raise MaterialError(_("这张照片不是本文来源作品的采访照片。"))
    with transaction.atomic():
        if ShowcasePhoto.objects.filter(showcase=article, photo=photo).exists():
            raise MaterialError(_("这张照片已在文章中。"))
        last = ShowcasePhoto.objects.filter(showcase=article).aggregate(last=Max("order"))["last"]
        added = ShowcasePhoto.objects.create(
            showcase=article, photo=photo, order=0 if last is None else last + 1, caption=photo.caption[:100]
        )
        publishing.edited(article, editor, note=_("加入采访照片"))
    return added
