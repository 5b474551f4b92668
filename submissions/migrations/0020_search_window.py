"""SearchDocument.sort_key: the article's publication date, so that a search of a common word
ranks the newest matches only (submissions.platform.search, docs/search.md). Added as a nullable column
(on SQLite an ALTER TABLE, so the FTS5 triggers of 0006 stay), then filled from the articles."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    SearchDocument = apps.get_model("submissions", "SearchDocument")
    Showcase = apps.get_model("submissions", "Showcase")
    published = Showcase.objects.filter(pk=OuterRef("object_id")).values("published_at")[:1]
    SearchDocument.objects.filter(kind="showcase").update(sort_key=Subquery(published))


class Migration(migrations.Migration):
    dependencies = [("submissions", "0019_a11y")]

    operations = [
        migrations.AddField(model_name="searchdocument", name="sort_key", field=models.DateTimeField(blank=True, null=True)),
        migrations.AddIndex(
            model_name="searchdocument", index=models.Index(fields=["kind", "sort_key"], name="search_document_recent")
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
