from django.db import migrations

EVENTS = ("signoff_requested", "signed_off", "signoff_returned")


def load(apps, schema_editor):
    from submissions.platform.mail import DEFAULTS

    Template = apps.get_model("submissions", "NotificationTemplate")
    for event in EVENTS:
        description, subject, body = DEFAULTS[event]
        Template.objects.get_or_create(event=event, defaults={"description": description, "subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("submissions", "0006_workflow")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
