"""The admin's entry search served by the bigram index (issue 17, item 1).

Django's admin search is `UPPER(field) LIKE '%term%'` over reference, organization, brand and
contact: a scan of every entry (at 100,000 entries about 0.5 s for each of the list and its
count). Each entry is also indexed here (kind "submission": organization as the title;
reference, brand and contact in the body), and a search whose words are all Chinese (汉字) is
first narrowed to the entries the index finds for any of its words. The index holds every bigram
of the text and every character starts a token, so what it finds is a superset of what the
admin's own filter keeps; that filter then runs, unchanged, on the few rows left. A reviewer's
narrower search fields stay theirs: the narrowing only removes rows, their filter decides.
A word with Latin letters or digits (a reference number, part of one) keeps Django's search
alone: the index holds such runs whole, so a piece of one would be missed. On PostgreSQL a
search with a word of three or more characters keeps Django's search alone too: the trigram
indexes of migration 0004 serve that word's LIKE, and narrowing by a common one (党支部, in
nearly every entry) first cost 8 times the page (bench/admin_list.py: 469 ms against 60 at
100,000 entries); the bigram index is for what trigrams cannot serve, words of one or two
characters.
"""

import re

from django.db import connection
from django.db.models.signals import post_save

from submissions.models import SearchDocument, Submission
from submissions.platform.search import filter_ids
from submissions.platform.search.tokens import normalize, tokens

ENTRY = "submission"
_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _texts(org_name, reference, brand_name, contact_name):
    return org_name or "", "\n".join(part or "" for part in (reference, brand_name, contact_name))


def _document(pk, fields):
    title, body = _texts(*fields)
    return SearchDocument(kind=ENTRY, object_id=pk, title=tokens(title), body=tokens(f"{title}\n{body}"))


def index_entry(entry):
    """One statement (an upsert) on every save of an entry."""
    document = _document(entry.pk, (entry.org_name, entry.reference, entry.brand_name, entry.contact_name))
    SearchDocument.objects.bulk_create(
        [document], update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=["title", "body", "indexed_at"]
    )


def reindex_all(batch=2000):
    """Index every entry again, in bulk (after a restore, or entries written behind the ORM's back)."""
    SearchDocument.objects.filter(kind=ENTRY).delete()
    rows = Submission.objects.order_by("pk").values_list("pk", "org_name", "reference", "brand_name", "contact_name")
    documents, count = [], 0
    for pk, *fields in rows.iterator(chunk_size=batch):
        documents.append(_document(pk, fields))
        if len(documents) >= batch:
            count += len(SearchDocument.objects.bulk_create(documents))
            documents = []
    return count + len(SearchDocument.objects.bulk_create(documents))


TRIGRAM = 3  # the shortest word PostgreSQL's trigram indexes serve


def narrowed(queryset, term):
    """`queryset` narrowed by the index for a search of short Chinese words only; None: search as Django does."""
    words = normalize(term).split()
    if not words or len(words) > 5 or not all(_HAN_WORD.fullmatch(word) for word in words):
        return None
    if connection.vendor == "postgresql" and any(len(word) >= TRIGRAM for word in words):
        return None  # Django's own search, served by the trigram indexes
    return filter_ids(queryset, term, ENTRY)


def connect():
    def saved(sender, instance, raw=False, **kwargs):
        if not raw:
            index_entry(instance)

    post_save.connect(saved, sender=Submission, dispatch_uid="search-entry-saved", weak=False)
