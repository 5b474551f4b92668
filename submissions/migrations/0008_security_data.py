"""E-mail templates: from Django template syntax to named placeholders (submissions/platform/mailtemplates.py).

Rewrites what the seeded templates (0003) used, in rows editors may have changed since; a
template already in the new syntax is left as it is. Frozen here, not imported.
"""

import re

from django.db import migrations

SIMPLE = {
    "site.site_name": "site_name",
    "site.publisher": "publisher",
    "submission.reference": "reference",
    "submission.org_name": "organization",
    "submission.brand_display": "brand",
    "submission.contact_name": "contact_name",
    "submission.contact_phone": "contact_phone",
    "submission.get_kind_display": "kind",
    "submission.region": "region",
}
LOOP = re.compile(r"\{%\s*for item in entries\s*%\}.*?\{%\s*endfor\s*%\}", re.S)


def to_placeholders(text):
    text = LOOP.sub("\n{{ entries }}", text)
    for old, new in SIMPLE.items():
        text = re.sub(r"\{\{\s*" + re.escape(old) + r"\s*\}\}", "{{ " + new + " }}", text)
    return text


def forwards(apps, schema_editor):
    Template = apps.get_model("submissions", "NotificationTemplate")
    for template in Template.objects.all():
        subject, body = to_placeholders(template.subject), to_placeholders(template.body)
        if (subject, body) != (template.subject, template.body):
            Template.objects.filter(pk=template.pk).update(subject=subject, body=body)


class Migration(migrations.Migration):
    dependencies = [("submissions", "0007_workflow_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
