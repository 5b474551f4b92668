"""An entry's report: the share of its text found in each other entry and published article.

refresh_report(submission_id) and refresh_article(showcase_id) are the plain functions the
background work calls (submissions.overlap.hooks schedules them after commit): each indexes the
current text, and when the text changed also reports again on every entry whose report may have
changed with it (the entries that matched the old text, and those sharing rare shingles with
the new one).
"""

import bisect

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from submissions.models import (
    OverlapDocument,
    OverlapMatch,
    Section,
    Showcase,
    ShowcaseSection,
    Status,
    Submission,
)
from submissions.overlap import align, index
from submissions.overlap.text import (
    INDEX_K,
    K,
    article_text,
    campaign_texts,
    entry_text,
    fingerprints,
    kgrams,
    normalized,
)

MAX_MATCHES = 10
MAX_PASSAGES = 50
MAX_AFFECTED = 50


def _campaign_kgrams(campaign):
    found = set()
    for text in campaign_texts(campaign):
        found |= kgrams(normalized(text))
    return found


def _own_article(document):
    """The id of the document of the entry's own article (never a match of its entry)."""
    showcase = Showcase.objects.filter(submission_id=document.submission_id).values_list("overlap__pk", flat=True).first()
    return showcase


def analyse(document, campaign, documents=None):
    """(share, [(other_id, share, passages)…]) for an indexed entry document; writes nothing."""
    own = normalized(document.text)
    if len(own) < K:
        return 0.0, []
    limit = index.cutoff(documents if documents is not None else index.document_count())
    sampled = fingerprints(own)
    df = index.frequencies(set(sampled.values()))
    mask = align.masked_chars(own, _campaign_kgrams(campaign))
    rare_at = sorted(i for i, h in sampled.items() if df.get(h, 1) <= limit and not mask[i])
    rare_hashes = {sampled[i] for i in rare_at}

    def is_rare(start, end):
        at = bisect.bisect_left(rare_at, start)
        return at < len(rare_at) and rare_at[at] <= end - INDEX_K

    exclude = {_own_article(document)} if document.submission_id else set()
    found = index.candidates(document, rare_hashes, exclude=exclude)
    others = OverlapDocument.objects.filter(pk__in=found).only("pk", "text")
    results, every_run = [], []
    own_grams = align.grams(own)
    own_set = set(own_grams)
    for other in others:
        passages, runs = align.align(
            own, normalized(other.text), mask=mask, is_rare=is_rare, own_grams=own_grams, own_set=own_set
        )
        if runs:
            every_run += runs
            results.append((other.pk, align.covered(runs) / len(own), passages[:MAX_PASSAGES]))
    results.sort(key=lambda row: (-row[1], row[0]))
    return align.covered(every_run) / len(own), results[:MAX_MATCHES]


def _of_self():
    return {"of": ("self",)} if connection.features.has_select_for_update_of else {}


def report(document_id):
    """Report again on one entry's document from the index as it is (the text is not re-read)."""
    with transaction.atomic():
        locked = OverlapDocument.objects.select_for_update(**_of_self())
        document = locked.select_related("submission__campaign").filter(pk=document_id, submission__isnull=False).first()
        if document is None:
            return None, []
        share, matches = analyse(document, document.submission.campaign)
        OverlapMatch.objects.filter(document=document).delete()
        OverlapMatch.objects.bulk_create(
            OverlapMatch(document=document, other_id=other_id, rank=rank, share=part, passages=passages)
            for rank, (other_id, part, passages) in enumerate(matches)
        )
        document.share, document.reported_at = share, timezone.now()
        document.save(update_fields=["share", "reported_at"])
        return document, [other_id for other_id, _part, _passages in matches]


def _report_affected(ids, skip):
    """Each entry whose report a change may alter is reported again as a job of its own."""
    from submissions.overlap import hooks

    for document_id in sorted(set(ids) - {skip})[:MAX_AFFECTED]:
        hooks.enqueue(hooks.REPORT, document_id)


def _entries_among(ids):
    return set(OverlapDocument.objects.filter(pk__in=ids, submission__isnull=False).values_list("pk", flat=True))


def refresh_report(submission_id):
    """Index an entry's current text and report on it (and on the entries its change affects)."""
    sections = Prefetch("sections", queryset=Section.objects.order_by("order"))
    with transaction.atomic():
        entry = Submission.objects.select_related("campaign").prefetch_related(sections).filter(pk=submission_id).first()
        document = OverlapDocument.objects.filter(submission_id=submission_id).first()
        if entry is None or entry.status == Status.DRAFT:
            affected = index.remove(document) if document else set()
            document = None
        else:
            document = document or OverlapDocument(submission=entry)
            old_matched = set(document.matched_by.values_list("document_id", flat=True)) if document.pk else set()
            changed = index.index_text(document, entry_text(entry, entry.sections.all()))
    if document is not None:
        # The passages are the same seen from either side: the entries found in this report
        # are those whose reports this text may change (with those that matched its old text).
        _document, found = report(document.pk)
        affected = old_matched | _entries_among(found) if changed else set()
    _report_affected(affected, document.pk if document else None)
    return document


def refresh_article(showcase_id):
    """Index a published article (or take an article that is no longer public out of the index)
    and report again on the entries it may match."""
    sections = Prefetch("sections", queryset=ShowcaseSection.objects.order_by("order", "pk"))
    with transaction.atomic():
        article = Showcase.objects.select_related("campaign").prefetch_related(sections).filter(pk=showcase_id).first()
        document = OverlapDocument.objects.filter(showcase_id=showcase_id).first()
        if article is None or article.state != Showcase.State.PUBLISHED:
            affected = index.remove(document) if document else set()
        else:
            document = document or OverlapDocument(showcase=article)
            old_matched = set(document.matched_by.values_list("document_id", flat=True)) if document.pk else set()
            changed = index.index_text(document, article_text(article, article.sections.all()))
            affected = set()
            if changed:
                found = [other_id for other_id, _part, _passages in analyse(document, article.campaign)[1]]
                affected = old_matched | _entries_among(found)
            if article.submission_id:
                affected.discard(
                    OverlapDocument.objects.filter(submission_id=article.submission_id).values_list("pk", flat=True).first()
                )
    _report_affected(affected, None)
    return document
