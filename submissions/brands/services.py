"""The brand area's writes: a Brand row made (or its names brought up to date) when an article goes live."""

from django.db import IntegrityError, transaction

from submissions.models import Brand, Showcase, Submission


def _latest_entry(key):
    """The entry (org_name, brand_name) of the brand's live article published last, or None."""
    return (
        Submission.objects.filter(dedupe_key=key, showcase__in=Showcase.objects.live())
        .order_by("-showcase__published_at", "-showcase__pk")
        .values_list("org_name", "brand_name")
        .first()
    )


def article_live(article_id):
    """An article went live: its entry's brand exists (made now the first time, with this
    publication's moment), and shows the names of its latest published entry. An article without
    a source entry has no brand (None). Runs inside the move's transaction; a concurrent first
    publication of the same brand's other article joins the row the other one made."""
    found = (
        Showcase.objects.filter(pk=article_id)
        .values_list("published_at", "submission__dedupe_key", "submission__org_name", "submission__brand_name")
        .first()
    )
    if found is None or found[1] is None:
        return None
    published_at, key, org_name, brand_name = found
    brand = Brand.objects.filter(key=key).first()
    attempts = 3
    while brand is None:
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the move's transaction usable
                return Brand.objects.create(key=key, org_name=org_name, brand_name=brand_name, first_published_at=published_at)
        except IntegrityError:  # the same key made meanwhile, or (rarely) a slug already taken: try again
            attempts -= 1
            brand = Brand.objects.filter(key=key).first()
            if brand is None and not attempts:
                raise
    names = _latest_entry(key) or (org_name, brand_name)
    changes = {}
    if (brand.org_name, brand.brand_name) != names:
        changes.update(org_name=names[0], brand_name=names[1])
    if brand.first_published_at is None:
        changes["first_published_at"] = published_at
    if changes:
        Brand.objects.filter(pk=brand.pk).update(**changes)
        for name, value in changes.items():
            setattr(brand, name, value)
    return brand
