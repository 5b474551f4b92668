"""What the admin shows of an entry's report, per role: selectors only, nothing is written.

The other entry is read with its reference, organization and brand only: its contact data is
never loaded, so no page can show it. Reviewers get no link to another entry (they may open
only what they are assigned), nor its organization: another entry is named to them as their own
blind entries are (reference and brand), and its organization and parent are masked in its text
too, whether or not its campaign is blind (the simplest rule that never names an entry under blind
review). A published article is public: linked and named for everyone.
"""

from django.urls import reverse

from submissions.models import OverlapDocument, OverlapMatch
from submissions.overlap.text import normalize

CONTEXT = 30  # characters shown on each side of a passage
SHOWN_PASSAGES = 20
MASK = "＊"  # one per masked character: the text keeps its length, so the passages' offsets hold
MASKED_LENGTH = 4  # shorter names (党委, 支部) are common words, and name nobody


def _excerpt(text, offsets, start, end):
    if not offsets or end <= start or end > len(offsets):
        return None
    first, last = offsets[start], offsets[end - 1] + 1

    def flat(part):
        return " ".join(part.split())

    return {
        "before": ("…" if first > CONTEXT else "") + flat(text[max(0, first - CONTEXT) : first]),
        "match": flat(text[first:last]),
        "after": flat(text[last : last + CONTEXT]) + ("…" if last + CONTEXT < len(text) else ""),
    }


def _masked(text, names):
    """`text` with each of `names` (the longest first) written as as many MASK characters."""
    for name in sorted((n for n in names if len(n) >= MASKED_LENGTH), key=len, reverse=True):
        text = text.replace(name, MASK * len(name))
    return text


def _other(match, editor):
    other = match.other
    if other.submission_id:
        entry = other.submission
        return {
            "kind": "entry",
            "reference": entry.reference or "—",
            "organization": entry.org_name if editor else "",
            "brand": entry.brand_name,
            "url": reverse("admin:submissions_submission_change", args=[entry.pk]) if editor else "",
        }
    article = other.showcase
    return {
        "kind": "article",
        "reference": article.title,
        "organization": article.short_name,
        "brand": article.brand_name,
        "url": article.get_absolute_url(),
    }


def report_for(submission, *, editor):
    """The report of `submission` for display, or None when there is none yet."""
    document = OverlapDocument.objects.filter(submission=submission).only("pk", "text", "share", "reported_at").first()
    if document is None or document.reported_at is None:
        return None
    own_text = document.text
    own_offsets = normalize(own_text)[1]
    matches = (
        OverlapMatch.objects.filter(document=document)
        .select_related("other__submission", "other__showcase")
        .only(
            "share",
            "passages",
            "rank",
            "other__text",
            "other__submission__reference",
            "other__submission__org_name",
            "other__submission__org_parent",
            "other__submission__brand_name",
            "other__showcase__title",
            "other__showcase__short_name",
            "other__showcase__brand_name",
            "other__showcase__slug",
        )
        .order_by("rank")
    )
    rows = []
    for match in matches:
        other_text = match.other.text
        other_offsets = normalize(other_text)[1]
        entry = match.other.submission if match.other.submission_id else None
        if entry is not None and not editor:  # a reviewer: the other entry's own words do not name it either
            other_text = _masked(other_text, [entry.org_name.strip(), entry.org_parent.strip()])
        passages = []
        for own_start, own_end, other_start, other_end in match.passages[:SHOWN_PASSAGES]:
            mine = _excerpt(own_text, own_offsets, own_start, own_end)
            theirs = _excerpt(other_text, other_offsets, other_start, other_end)
            if mine and theirs:
                passages.append({"own": mine, "other": theirs, "length": own_end - own_start})
        rows.append({**_other(match, editor), "percent": round(match.share * 100, 1), "passages": passages})
    threshold = submission.campaign.overlap_threshold
    percent = round((document.share or 0) * 100, 1)
    return {
        "percent": percent,
        "threshold": threshold,
        "flagged": percent >= threshold,
        "reported_at": document.reported_at,
        "matches": rows,
    }
