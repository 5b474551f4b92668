# Indexes for the admin at 100 000 entries (issue 29, item 6): the first items of the queues on the
# admin's first page read in their order from an index, not sorted from every entry of a status.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0027_notice_machine"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="submission",
            index=models.Index("status", "status_changed_at", "id", name="sub_status_changed"),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(
                "submitted_at",
                "id",
                condition=models.Q(("status__in", ("submitted", "eligible", "recommended", "resubmitted"))),
                name="sub_triage",
            ),
        ),
    ]
