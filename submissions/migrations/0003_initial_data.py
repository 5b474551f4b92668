from django.db import migrations


def load(apps, schema_editor):
    from submissions.platform.mail import DEFAULTS
    from submissions.platform.regions import SHANDONG

    Region = apps.get_model("submissions", "Region")
    for order, (code, name) in enumerate(SHANDONG):
        Region.objects.update_or_create(code=code, defaults={"name": name, "province": "山东省", "order": order})
    Template = apps.get_model("submissions", "NotificationTemplate")
    for event, (description, subject, body) in DEFAULTS.items():
        Template.objects.get_or_create(event=event, defaults={"description": description, "subject": subject, "body": body})
    apps.get_model("submissions", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("submissions", "0002_roles")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
