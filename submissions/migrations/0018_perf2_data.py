"""Index the entries already there for the admin's search (submissions/search/entries.py)."""

from django.db import migrations

from submissions.platform.search.tokens import tokens


def index_entries(apps, schema_editor):
    Submission = apps.get_model("submissions", "Submission")
    SearchDocument = apps.get_model("submissions", "SearchDocument")
    documents = []
    rows = Submission.objects.order_by("pk").values_list("pk", "org_name", "reference", "brand_name", "contact_name")
    for pk, org_name, reference, brand_name, contact_name in rows.iterator(chunk_size=2000):
        body = "\n".join(part or "" for part in (reference, brand_name, contact_name))
        documents.append(
            SearchDocument(kind="submission", object_id=pk, title=tokens(org_name), body=tokens(f"{org_name}\n{body}"))
        )
        if len(documents) >= 2000:
            SearchDocument.objects.bulk_create(documents, ignore_conflicts=True)
            documents = []
    SearchDocument.objects.bulk_create(documents, ignore_conflicts=True)


def forget_entries(apps, schema_editor):
    apps.get_model("submissions", "SearchDocument").objects.filter(kind="submission").delete()


class Migration(migrations.Migration):
    dependencies = [("submissions", "0017_perf2")]

    operations = [migrations.RunPython(index_entries, forget_entries)]
