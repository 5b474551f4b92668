# The brand pages (品牌档案, submissions/brands/): the Brand model, and the brands of the articles
# already live (from now on the workflow's "brand" effect makes them when an article is published).

import secrets

from django.db import migrations, models

import submissions.models.brand

ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # as submissions.models.brand.SLUG_ALPHABET, frozen here


def _slug(taken):
    while True:
        slug = "".join(secrets.choice(ALPHABET) for _i in range(8))
        if slug not in taken:
            taken.add(slug)
            return slug


def brands_of_live_articles(apps, schema_editor):
    """A Brand for each dedupe_key of an entry whose article is live: its first publication the
    earliest of them, its names those of the entry published last. Articles without an entry: none."""
    Brand = apps.get_model("submissions", "Brand")
    Showcase = apps.get_model("submissions", "Showcase")
    live = (
        Showcase.objects.filter(state="published", submission__isnull=False)
        .order_by("published_at", "pk")
        .values_list("published_at", "submission__dedupe_key", "submission__org_name", "submission__brand_name")
    )
    found = {}
    for published_at, key, org_name, brand_name in live:
        first = found[key]["first_published_at"] if key in found else published_at
        found[key] = {"first_published_at": first, "org_name": org_name, "brand_name": brand_name}
    existing = set(Brand.objects.values_list("key", flat=True))
    taken = set(Brand.objects.values_list("slug", flat=True))
    Brand.objects.bulk_create(
        [Brand(key=key, slug=_slug(taken), **fields) for key, fields in found.items() if key not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0031_review_deadlines"),
    ]

    operations = [
        migrations.CreateModel(
            name="Brand",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(editable=False, max_length=250, unique=True, verbose_name="品牌标识")),
                (
                    "slug",
                    models.SlugField(
                        default=submissions.models.brand.new_brand_slug,
                        editable=False,
                        max_length=20,
                        unique=True,
                        verbose_name="网址标识",
                    ),
                ),
                ("org_name", models.CharField(max_length=100, verbose_name="党组织全称")),
                ("brand_name", models.CharField(max_length=20, verbose_name="品牌名称")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("first_published_at", models.DateTimeField(blank=True, null=True, verbose_name="首次发布时间")),
            ],
            options={
                "verbose_name": "品牌档案",
                "verbose_name_plural": "品牌档案",
                "ordering": ["-first_published_at", "-pk"],
            },
        ),
        migrations.RunPython(brands_of_live_articles, migrations.RunPython.noop),
    ]
