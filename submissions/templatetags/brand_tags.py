"""{% brand_link entry %} / {% brand_link article %}: a link "该品牌档案" / "品牌档案" to the brand page
(submissions.brands) of an entry or of an article's entry, when that brand has one; nothing otherwise.
Here, among the entry points, so that neither the column nor the tracking page imports the brand area."""

from django import template
from django.urls import reverse

from submissions.brands import selectors
from submissions.models import Showcase, Submission

register = template.Library()


@register.inclusion_tag("brands/_link.html")
def brand_link(obj, paragraph=False, button=False):
    """An entry: its brand's page, if any (one query, none if the entry was read with_brand_slug). A live article with an entry: the link through
    /brands/of/<article>/, without a query here (the article's page keeps its count)."""
    context = {"paragraph": paragraph, "button": button, "href": ""}
    if isinstance(obj, Submission):
        if hasattr(obj, "brand_slug"):  # read with its entry (selectors.with_brand_slug): no query here
            slug = obj.brand_slug
        else:
            slug = selectors.slug_of(obj.dedupe_key) if obj.dedupe_key else None
        context["href"] = reverse("brands:detail", args=[slug]) if slug else ""
    elif isinstance(obj, Showcase) and obj.submission_id is not None and obj.is_public:
        context.update(href=reverse("brands:of_article", args=[obj.slug]), of_article=True)
    return context
