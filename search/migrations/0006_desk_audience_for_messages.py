"""Customers' messages move from the "staff" audience to "desk" (the message desk only).

The database fallback's entries change here; every message gets an outbox row so the next drain rewrites its
Elasticsearch document with the new audience (until then the old documents answer only to "staff", which the
outbox replaces within a drain: `manage.py search_drain` applies it at once).
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    SearchEntry = apps.get_model("portal_search", "SearchEntry")
    IndexOutbox = apps.get_model("portal_search", "IndexOutbox")
    rows = SearchEntry.objects.filter(kind="messages").exclude(audience="desk")
    pks = list(rows.values_list("object_pk", flat=True))
    rows.update(audience="desk")
    IndexOutbox.objects.bulk_create([IndexOutbox(kind="messages", object_pk=pk) for pk in pks], batch_size=1000)


def backwards(apps, schema_editor):
    SearchEntry = apps.get_model("portal_search", "SearchEntry")
    SearchEntry.objects.filter(kind="messages", audience="desk").update(audience="staff")


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0005_variant_forms"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="audience",
            field=models.CharField(
                choices=[
                    ("public", "Everyone"),
                    ("agents", "Agents only"),
                    ("staff", "Staff only"),
                    ("desk", "Message desk only"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
