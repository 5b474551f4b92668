"""What an empty result page offers instead: fewer words, no filters, or the column's popular brands."""

from django.db.models import F

from submissions.models import Showcase

POPULAR = 6  # popular terms offered


def popular_terms(limit=POPULAR):
    """Brand names of the most-read published articles (the newest first among equals)."""
    rows = (
        Showcase.objects.live()
        .exclude(brand_name="")
        .order_by(F("views__count").desc(nulls_last=True), "-published_at", "-pk")
        .values_list("brand_name", flat=True)[: limit * 3]
    )
    return list(dict.fromkeys(rows))[:limit]


def suggestions(query, found, filters):
    """[(label, query parameters)] to offer when `query` with `filters` found nothing."""
    offered = []
    narrow = {k: v for k, v in filters.items() if k != "q"}
    if len(found) > 1:
        for term in found:
            word = " ".join(term.needles)
            offered.append((word, {**narrow, "q": word}))
    if narrow and query:
        offered.append((query, {"q": query}))
    for term in popular_terms():
        if not query or term != query:
            offered.append((term, {"q": term}))
    return offered
