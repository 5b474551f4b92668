"""Publishing: from an accepted entry to a showcase article, and on to the public column.

- `draft_from_entry()` writes the article in the house style from an accepted entry;
- `request_sign_off()`, `send_back()`, `sign_off()`, `publish()`, `schedule()`, `unpublish()` move
  it through workflow.transition() (which moves the entry to PUBLISHED with its article, and
  e-mails the submitter the link);
- `publish_due()` publishes what is scheduled and due (the `publish_due` command; safe to run
  twice or at once: the workflow's compare-and-swap lets one run win each article);
- `edited()` is called after every admin save: it keeps the search text and index, stores a revision
  and voids a sign-off that the edit made stale (a published article goes back for sign-off).
Revisions (snapshot, diff, revert) live in submissions.newsroom.revisions; the article's text
(what is searched, laid out, compared and exported) is assembled in submissions.newsroom.text.
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.models import Interview, Showcase, ShowcasePhoto, ShowcaseSection
from submissions.newsroom import revisions
from submissions.newsroom.text import search_text  # the article's text is assembled there
from submissions.platform import pagecache, search
from submissions.video import services as videos
from submissions.workflow import SYSTEM, TransitionError

A = Showcase.State
_ORG_SUFFIX = re.compile(r"(联合党委|党总支|党支部|党工委|党委|党组)$")


def guess_short_name(org_name):
    """A first guess at the organization's short name for the title: its name without the party body."""
    return _ORG_SUFFIX.sub("", org_name.strip()) or org_name


def house_title(column, short_name, brand_display):
    return f"{column}|{short_name}打造{brand_display}特色党建品牌"


def fill_editor_note(template, *, organization, short_name, brand):
    """The campaign's editor's note with this entry filled in (only the three named blanks)."""
    return template.replace("{organization}", organization).replace("{short_name}", short_name).replace("{brand}", brand)


def byline_for(medium, reporters):
    """The house byline: `大众日报记者 王晓 刘洋` (the campaign's byline medium, then the reporters)."""
    reporters = " ".join(reporters.split())
    return f"{medium} {reporters}" if reporters else ""


def free_slug(base):
    """`base`, or `base-2`, `base-3` … when an article already has it (an article whose source
    entry was changed keeps the address it was given, so its first entry's own draft needs another)."""
    slug, n = base, 2
    while Showcase.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def draft_from_entry(submission, *, editor, short_name="", reporters="", interns="", correspondents=""):
    """Create the draft article of an accepted entry, prefilled in the house style; returns it."""
    workflow.check_article_source(submission)
    if Showcase.objects.filter(submission=submission).exists():
        raise TransitionError(_("该作品已有巡展文章。"))
    campaign = submission.campaign
    short_name = (short_name or guess_short_name(submission.org_name)).strip()
    brand = submission.brand_display
    with transaction.atomic():
        article = Showcase.objects.create(
            campaign=campaign,
            submission=submission,
            slug=free_slug(f"brand-{submission.reference}" if submission.reference else uuid.uuid4().hex[:12]),
            title=house_title(campaign.column_name, short_name, brand)[:120],
            short_name=short_name,
            brand_name=submission.brand_name,
            byline=byline_for(campaign.byline_medium, reporters),  # the byline's medium and the source line are set apart
            source=campaign.source,
            summary=" ".join(submission.introduction.split())[:120],
            editor_note=fill_editor_note(
                campaign.editor_note_template, organization=submission.org_name, short_name=short_name, brand=brand
            ),
            lead=submission.introduction,
            closing=submission.results,
            standing_call=campaign.standing_call,
            reporters=reporters.strip(),
            interns=interns.strip(),
            correspondents=correspondents.strip(),
            responsible_editor=editor,
        )
        entry_sections = list(submission.sections.all())
        ShowcaseSection.objects.bulk_create(
            ShowcaseSection(showcase=article, order=section.order, heading=section.heading, body=section.body)
            for section in entry_sections
        )
        if submission.model_story.strip():  # the model person's story: a titled part of its own (newsroom)
            last = max((section.order for section in entry_sections), default=0)
            ShowcaseSection.objects.create(
                showcase=article, order=last + 1, heading=_("典型人物事迹"), body=submission.model_story
            )
        # Each photo after the section it illustrates (the submitter's choice), else at the end. The
        # interview's photos are offered beside the draft instead (newsroom.material), one by one.
        interview_photos = Interview.photos.through.objects.filter(interview__submission=submission).values("photo")
        order_of = {section.pk: section.order for section in entry_sections}
        by_order = {section.order: section for section in article.sections.all()}
        ShowcasePhoto.objects.bulk_create(
            ShowcasePhoto(
                showcase=article,
                photo=photo,
                order=index,
                caption=photo.caption,
                section=by_order.get(order_of.get(photo.section_id)),
            )
            for index, photo in enumerate(submission.photos.exclude(pk__in=interview_photos))
        )
        videos.join_article(submission, article)  # a reporter's or the submitter's clip, uploaded before the article
        edited(article, editor, note=_("由作品 %(ref)s 生成初稿") % {"ref": submission.reference or submission.pk})
    return article


def edited(article, user, *, note="", reason=""):
    """After a save of the article and its parts: search text, a revision, and a stale sign-off voided.

    Any change to what the snapshot holds (revisions.snapshot: everything a reader sees or that
    routes the article) voids a sign-off: a signed-off or scheduled article goes back to 编辑中;
    a published one goes off the column and back to 待签审 (its entry back to 已采用) until a
    chief editor signs the new version off and publishes it again; `reason` (the admin asks for it
    on a published article, like 撤稿's) is kept on that step.
    """
    text = search_text(article)
    Showcase.objects.filter(pk=article.pk).update(search_text=text)
    search.index_showcase(article, text)
    previous = article.revisions.order_by("-number").first()
    revision = revisions.store(article, user, note=note)
    if previous is not None and previous.data != revision.data:
        if article.state in workflow.SIGNED:
            workflow.transition(article, A.DRAFT, actor=user, note=_("签审后修改，签审失效"), via="edit")
        elif article.is_public:
            # Off the column until signed again: the move's own "cache" effect resets the pages, once.
            workflow.transition(
                article, A.AWAITING_SIGNOFF, actor=user, message=reason, note=_("发布后修改，须重新签审"), via="edit"
            )
            return revision
    pagecache.bump()
    return revision


def revert(article, revision, user):
    """Bring the article back to a revision; the revert is stored as a new revision."""
    with transaction.atomic():
        revisions.restore(article, revision.data)
        edited(article, user, note=_("恢复至第 %(n)s 版") % {"n": revision.number})
    article.refresh_from_db()
    return article


def request_sign_off(article, editor, *, note=""):
    """提交签审: the article waits for a chief editor; every chief editor is told."""
    return workflow.transition(article, A.AWAITING_SIGNOFF, actor=editor, note=note, via="admin")


def send_back(article, chief, message):
    """A chief editor sends the article back to its editor with a note (shown on the article)."""
    return workflow.transition(article, A.DRAFT, actor=chief, message=message, via="admin")


def sign_off(article, chief):
    return workflow.transition(article, A.SIGNED_OFF, actor=chief, via="admin")


def publish(article, actor, *, via="admin"):
    """Publish now; the workflow moves the entry to published too, and its submitter is sent the link."""
    return workflow.transition(article, A.PUBLISHED, actor=actor, via=via)  # its effects: workflow.EFFECTS


def schedule(article, actor, at):
    """Publish at a set time (the publish_due command does it when the time comes)."""
    if at is None or at <= timezone.now():
        raise TransitionError(_("定时发布时间必须晚于现在。"))
    with transaction.atomic():
        Showcase.objects.filter(pk=article.pk).update(publish_at=at)
        article.publish_at = at
        return workflow.transition(article, A.SCHEDULED, actor=actor, via="admin")


def unpublish(article, actor, reason):
    """Take the article down (a 404 to the public); the workflow returns the entry to accepted."""
    return workflow.transition(article, A.UNPUBLISHED, actor=actor, message=reason, via="admin")


def move(article, to, actor, *, message="", at=None):
    """One entry point for the admin's buttons."""
    if to == A.SIGNED_OFF:
        return sign_off(article, actor)
    if to == A.PUBLISHED:
        return publish(article, actor)
    if to == A.SCHEDULED:
        return schedule(article, actor, at)
    if to == A.UNPUBLISHED:
        return unpublish(article, actor, message)
    if to == A.AWAITING_SIGNOFF:
        return request_sign_off(article, actor, note=message)
    return workflow.transition(article, to, actor=actor, message=message, via="admin")


def publish_due(now=None):
    """Publish every scheduled article whose time has come; returns how many this run published."""
    now = now or timezone.now()
    count = 0
    due = Showcase.objects.filter(state=A.SCHEDULED, publish_at__lte=now).select_related("submission").order_by("publish_at")
    for article in due:
        try:
            publish(article, SYSTEM, via="publish_due")
        except TransitionError:
            continue  # another run (or an editor) got there first
        count += 1
    return count


def ip_hash(ip):
    return hashlib.sha256(f"{settings.SECRET_KEY}|{ip}".encode()).hexdigest()


def moderate(comments, state, user):
    """Approve or reject comments (a queryset); approved ones appear on the page at once."""
    count = comments.exclude(state=state).update(state=state, moderated_by=user, moderated_at=timezone.now())
    if count:
        pagecache.bump()
    return count
