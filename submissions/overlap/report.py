"""An entry's report: the share of its text found in each other entry and published article.

refresh_entry(submission_id) and refresh_article(showcase_id) are the work the overlap jobs do
(submissions/overlap/tasks.py runs them and queues what they return): each indexes the current
text, reports on it, and returns the other entries whose reports may have changed with it (the
entries that matched the old text, and those sharing rare shingles with the new one), each to be
reported again as a job of its own. This module queues nothing itself.
"""

import bisect

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from submissions.models import OverlapDocument, OverlapMatch, Section, Showcase, ShowcaseSection, Status, Submission
from submissions.overlap import align, index
from submissions.overlap.text import INDEX_K, K, article_text, campaign_texts, entry_text, fingerprints, kgrams, normalized

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


def _lock_options():
    """FOR NO KEY UPDATE OF the document alone: it keeps two reports of one entry apart, and,
    unlike FOR UPDATE, lets another entry's report write a match that refers to this document
    (its foreign key check takes FOR KEY SHARE). With FOR UPDATE, two entries matching each
    other, reported at once, each waited at commit for the other's lock: a deadlock."""
    features = connection.features
    options = {"of": ("self",)} if features.has_select_for_update_of else {}
    if features.has_select_for_no_key_update:
        options["no_key"] = True
    return options


def report(document_id):
    """Report again on one entry's document from the index as it is (the text is not re-read)."""
    with transaction.atomic():
        locked = OverlapDocument.objects.select_for_update(**_lock_options())
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


def _follow_ups(ids, skip):
    """The entries (document ids) whose reports a change may alter, to report again: the lowest
    MAX_AFFECTED of them, the changed entry itself left out."""
    return sorted(set(ids) - {skip})[:MAX_AFFECTED]


def _entries_among(ids):
    return set(OverlapDocument.objects.filter(pk__in=ids, submission__isnull=False).values_list("pk", flat=True))


def _index_entry(submission_id):
    """Index an entry's current text (or take it out of the index). Returns its document (None
    when it is out), the other entries whose reports the change may alter (those that matched its
    old text and those holding a rare hash whose frequency changed), and whether its report and
    theirs are due."""
    sections = Prefetch("sections", queryset=Section.objects.order_by("order"))
    with transaction.atomic():
        entry = Submission.objects.select_related("campaign").prefetch_related(sections).filter(pk=submission_id).first()
        document = OverlapDocument.objects.filter(submission_id=submission_id).first()
        if entry is None or entry.status == Status.DRAFT:
            return None, index.remove(document) if document else set(), True
        document = document or OverlapDocument(submission=entry)
        old_matched = set(document.matched_by.values_list("document_id", flat=True)) if document.pk else set()
        # A job that failed between indexing and reporting is run again by the queue: its text is
        # then unchanged, but its report and the follow-ups are still due.
        unreported = bool(document.indexed_at) and (document.reported_at is None or document.reported_at < document.indexed_at)
        changed = index.index_text(document, entry_text(entry, entry.sections.all()))
        if changed is None and not unreported:
            return document, set(), False
        return document, old_matched | index.sharing(changed or (), exclude=document.pk), True


def refresh_entry(submission_id):
    """Index an entry's current text and report on it; returns (its document, the follow-ups).

    Every entry whose report the change may alter is to be reported again, so each report ends as
    if made against the whole index, whatever the order the texts came in (docs/overlap.md)."""
    document, affected, due = _index_entry(submission_id)
    if document is not None:
        # The passages are the same seen from either side: the entries found in this report
        # are among those whose reports this text may change.
        _document, found = report(document.pk)
        if due:
            affected |= _entries_among(found)
    return document, _follow_ups(affected, document.pk if document else None)


def refresh_many(submission_ids, showcase_ids=()):
    """Index every one of the articles and entries first, then report on each entry against the
    whole index (a bulk load such as seed_demo: no report made while the archive was half
    loaded). Returns (how many entries were reported, the follow-ups: the other entries the
    changes affect)."""
    affected, reported = set(), []
    for showcase_id in sorted(showcase_ids):
        affected |= _index_article(showcase_id)
    for submission_id in sorted(submission_ids):
        document, more, due = _index_entry(submission_id)
        affected |= more
        if document is not None:
            reported.append((document.pk, due))
    for document_id, due in reported:
        _document, found = report(document_id)
        if due:
            affected |= _entries_among(found)
    return len(reported), _follow_ups(affected - {pk for pk, _due in reported}, None)


def _index_article(showcase_id):
    """Index a published article (or take an article that is no longer public out of the index).
    Returns the entries whose reports this may change: those that matched its old text, those it
    matches now, and those holding a rare hash whose frequency changed (its own entry among them:
    never matched with its article, but the article's text counts in its hashes' frequency)."""
    sections = Prefetch("sections", queryset=ShowcaseSection.objects.order_by("order", "pk"))
    with transaction.atomic():
        article = Showcase.objects.select_related("campaign").prefetch_related(sections).filter(pk=showcase_id).first()
        document = OverlapDocument.objects.filter(showcase_id=showcase_id).first()
        if article is None or not article.is_public:
            return index.remove(document) if document else set()
        document = document or OverlapDocument(showcase=article)
        old_matched = set(document.matched_by.values_list("document_id", flat=True)) if document.pk else set()
        changed = index.index_text(document, article_text(article, article.sections.all()))
        if changed is None:
            return set()
        found = [other_id for other_id, _part, _passages in analyse(document, article.campaign)[1]]
        return old_matched | _entries_among(found) | index.sharing(changed)


def refresh_article(showcase_id):
    """Index a published article (or take an article that is no longer public out of the index);
    returns (its document, the follow-ups: the entries it may match)."""
    follow_ups = _follow_ups(_index_article(showcase_id), None)
    return OverlapDocument.objects.filter(showcase_id=showcase_id).first(), follow_ups
