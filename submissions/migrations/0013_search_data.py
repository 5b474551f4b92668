from django.db import migrations


def index_articles(apps, schema_editor):
    """Index the articles there are, from their stored search text (new saves index themselves)."""
    from submissions.platform.search.tokens import tokens

    Showcase = apps.get_model("submissions", "Showcase")
    SearchDocument = apps.get_model("submissions", "SearchDocument")
    for article in Showcase.objects.only("pk", "title", "search_text").iterator():
        SearchDocument.objects.update_or_create(
            kind="showcase",
            object_id=article.pk,
            defaults={"title": tokens(article.title), "body": tokens(f"{article.title}\n{article.search_text}")},
        )


class Migration(migrations.Migration):
    dependencies = [("submissions", "0012_search")]

    operations = [migrations.RunPython(index_articles, migrations.RunPython.noop)]
