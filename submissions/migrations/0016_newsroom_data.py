from django.db import migrations


def seed_templates(apps, schema_editor):
    """The new notification templates (评审分派通知, 评审完成提醒) on a database made before them."""
    from submissions.platform.mail import DEFAULTS

    Template = apps.get_model("submissions", "NotificationTemplate")
    for event in ("assigned", "reviews_complete"):
        description, subject, body = DEFAULTS[event]
        Template.objects.get_or_create(event=event, defaults={"description": description, "subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("submissions", "0015_newsroom")]
    operations = [migrations.RunPython(seed_templates, migrations.RunPython.noop)]
