"""What the experts area reads: the accepted commentaries of entries and articles (for the article, the
brand's page and the tracking page), an expert's public page, the expert's own requests, and the
newsroom's lists (the queues the lead wires: awaiting_review, overdue)."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone

from submissions.models import CommentaryRequest, CommentaryStatus, Expert, Showcase

S = CommentaryStatus


def _accepted():
    return CommentaryRequest.objects.filter(status=S.ACCEPTED).select_related("expert").order_by("accepted_at", "pk")


def for_entries(entry_ids):
    """The accepted commentaries of these entries, each with its expert, oldest accepted first."""
    ids = list(entry_ids)
    if not ids:
        return []
    return list(_accepted().filter(submission_id__in=ids))


def for_article(article):
    """The accepted commentaries shown in an article (those of its source entry)."""
    if getattr(article, "submission_id", None) is None:
        return []
    return for_entries([article.submission_id])


def diagnoses_for(entry):
    """The accepted commentaries of an entry that carry a brand diagnosis (the tracking page)."""
    return list(_accepted().filter(submission=entry).exclude(diagnosis=""))


def _on_live_article():
    return Exists(Showcase.objects.live().filter(submission_id=OuterRef("submission_id")))


def public_page(slug):
    """(expert, commentaries) for an active expert's public page: their accepted commentaries on live
    articles, each with its article, newest first; None when there is no such active expert."""
    expert = Expert.objects.filter(slug=slug, active=True).first()
    if expert is None:
        return None
    commentaries = list(
        CommentaryRequest.objects.filter(expert=expert, status=S.ACCEPTED)
        .filter(_on_live_article())
        .select_related("submission__showcase")
        .order_by("-accepted_at", "-pk")
    )
    return expert, commentaries


def published_experts():
    """The index: active experts with at least one accepted commentary on a live article, by name."""
    published = CommentaryRequest.objects.filter(expert=OuterRef("pk"), status=S.ACCEPTED).filter(_on_live_article())
    return list(Expert.objects.filter(active=True).filter(Exists(published)).order_by("name", "pk"))


def own_request(user, pk):
    """A request of the signed-in expert (404: another expert's, or none)."""
    return get_object_or_404(
        CommentaryRequest.objects.select_related("expert", "submission", "submission__campaign"),
        pk=pk,
        expert__user=user,
    )


def own_requests(user):
    return list(
        CommentaryRequest.objects.filter(expert__user=user, status__in=(S.REQUESTED, S.WRITTEN))
        .select_related("submission")
        .order_by("due_at", "pk")
    )


def entry_sections(entry):
    return list(entry.sections.all())


# The newsroom's queues (wired by the lead in submissions/review/queues.py): `(user) -> queryset`.


def awaiting_review(user):
    """点评待审: commentaries written and waiting for an editor (accept or ask for a revision)."""
    return CommentaryRequest.objects.filter(status=S.WRITTEN).select_related("expert", "submission").order_by("written_at", "pk")


def overdue(user):
    """点评逾期: requests still with the expert past their due date."""
    return (
        CommentaryRequest.objects.filter(status=S.REQUESTED, due_at__lt=timezone.now())
        .select_related("expert", "submission")
        .order_by("due_at", "pk")
    )
