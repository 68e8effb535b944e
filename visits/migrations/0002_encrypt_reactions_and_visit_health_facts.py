"""Her reactions' symptoms, each visit's hand chart and allergy warning are health data:
encrypted at rest (the chart's JSON column becomes an encrypted text). Both ways keep every value.
"""

import json

import nailpro.crypto
from django.db import migrations
from django.db.models import Value

FIELDS = [("Reaction", "symptoms"), ("Visit", "allergy_warning"), ("Visit", "chart_snapshot")]


def encrypt_existing(apps, schema_editor):
    for model_name, field in FIELDS:
        model = apps.get_model("visits", model_name)
        for pk, value in model.objects.values_list("pk", field).iterator():
            if value:  # read as plain text or JSON (no prefix yet), written encrypted
                model.objects.filter(pk=pk).update(**{field: value})


def decrypt_existing(apps, schema_editor):
    for model_name, field in FIELDS:
        model = apps.get_model("visits", model_name)
        for pk, value in model.objects.values_list("pk", field).iterator():
            plain = json.dumps(value) if field == "chart_snapshot" else value
            # A Value is written as it is, past the field's encryption.
            model.objects.filter(pk=pk).update(**{field: Value(plain)})


class Migration(migrations.Migration):
    # Each data step commits before the next ALTER TABLE: on PostgreSQL, a table whose rows
    # were just written in the same transaction cannot be altered ("pending trigger events").
    atomic = False

    dependencies = [
        ("visits", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reaction",
            name="symptoms",
            field=nailpro.crypto.EncryptedTextField(verbose_name="symptoms"),
        ),
        migrations.AlterField(
            model_name="visit",
            name="allergy_warning",
            field=nailpro.crypto.EncryptedTextField(
                blank=True, editable=False, verbose_name="allergy warning"
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="chart_snapshot",
            field=nailpro.crypto.EncryptedJSONField(
                blank=True, default=dict, verbose_name="hand chart at this visit"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
