"""What the admin shows of an entry's report, per role: selectors only, nothing is written.

The other entry is read with its reference, organization and brand only: its contact data is
never loaded, so no page can show it. Reviewers get no link to another entry (they may open
only what they are assigned), nor its organization: another entry is named to them as their own
blind entries are (reference and brand), and its organization and parent are masked in its text
too, whether or not its campaign is blind (the simplest rule that never names an entry under blind
review). A published article is public: linked and named for everyone.

Each match says which text came first, by the entry's submission time and the article's publication
time: the earlier is the original, the later the copy. An entry earlier than every text it shares
passages with is the original: its report is not flagged (it says so), however high its share.
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


def _order(own_at, other_at):
    """Which text came first: "copy" when the other one is earlier (this entry is the later text),
    "original" when this one is, "" when either time is unknown (a draft, an unpublished article)."""
    if own_at is None or other_at is None or own_at == other_at:
        return ""
    return "copy" if other_at < own_at else "original"


def _other(match, editor):
    other = match.other
    if other.submission_id:
        entry = other.submission
        return {
            "kind": "entry",
            "at": entry.submitted_at,
            "reference": entry.reference or "—",
            "organization": entry.org_name if editor else "",
            "brand": entry.brand_name,
            "url": reverse("admin:submissions_submission_change", args=[entry.pk]) if editor else "",
        }
    article = other.showcase
    return {
        "kind": "article",
        "at": article.published_at,
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
            "other__submission__submitted_at",
            "other__showcase__title",
            "other__showcase__short_name",
            "other__showcase__brand_name",
            "other__showcase__slug",
            "other__showcase__published_at",
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
        other = _other(match, editor)
        order = _order(submission.submitted_at, other["at"])
        rows.append({**other, "order": order, "percent": round(match.share * 100, 1), "passages": passages})
    threshold = submission.campaign.overlap_threshold
    percent = round((document.share or 0) * 100, 1)
    # The earlier text of every match: the original, not flagged as its copies are (it is told so).
    original = bool(rows) and all(row["order"] == "original" for row in rows)
    return {
        "percent": percent,
        "threshold": threshold,
        "flagged": percent >= threshold and not original,
        "original": original,
        "reported_at": document.reported_at,
        "matches": rows,
    }
