"""The column's own word indexes on PostgreSQL: GIN indexes of the articles' documents alone
(kind = 'showcase'), beside 0012's over every document (the admin's entries too). A search of
the column then reads the word's articles from its own index, instead of intersecting the whole
index with every article's row of the date index (docs/search.md). SQLite's FTS5 table needs
nothing: a document's kind is read from the table for the few rows FTS5 returns."""

from django.db import migrations

POSTGRES_INDEX = [
    "CREATE INDEX IF NOT EXISTS search_showcase_title_gin ON submissions_searchdocument"
    " USING gin (title_vector) WHERE kind = 'showcase'",
    "CREATE INDEX IF NOT EXISTS search_showcase_body_gin ON submissions_searchdocument"
    " USING gin (body_vector) WHERE kind = 'showcase'",
]
POSTGRES_UNDO = [
    "DROP INDEX IF EXISTS search_showcase_body_gin",
    "DROP INDEX IF EXISTS search_showcase_title_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("submissions", "0020_search_window")]

    operations = [migrations.RunPython(_run(POSTGRES_INDEX), _run(POSTGRES_UNDO))]
