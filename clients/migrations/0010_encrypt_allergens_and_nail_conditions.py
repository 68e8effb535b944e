"""Her allergens and her nails' conditions are health data: encrypted at rest.

Which allergens she has moves from a plain many-to-many table (clients_healthprofile_allergens,
dropped) to an encrypted JSON list of allergen ids on her health profile; each nail's condition
is encrypted in place. Both ways keep every value.
"""

import nailpro.crypto
from django.db import migrations
from django.db.models import Value


def copy_allergen_links(apps, schema_editor):
    """Keep each profile's allergens as its encrypted list of ids."""
    HealthProfile = apps.get_model("clients", "HealthProfile")
    links = {}
    for link in HealthProfile.allergens.through.objects.order_by("allergen_id").iterator():
        links.setdefault(link.healthprofile_id, []).append(link.allergen_id)
    for profile_id, allergen_ids in links.items():
        HealthProfile.objects.filter(pk=profile_id).update(allergen_ids=allergen_ids)


def restore_allergen_links(apps, schema_editor):
    HealthProfile = apps.get_model("clients", "HealthProfile")
    Link = HealthProfile.allergens.through
    for health in HealthProfile.objects.exclude(allergen_ids="").iterator():
        Link.objects.bulk_create(
            Link(healthprofile_id=health.pk, allergen_id=allergen_id)
            for allergen_id in health.allergen_ids
        )


def encrypt_conditions(apps, schema_editor):
    NailState = apps.get_model("clients", "NailState")
    for nail in NailState.objects.exclude(condition="").iterator():
        # Read as plain text (no prefix yet), written encrypted by the field.
        NailState.objects.filter(pk=nail.pk).update(condition=nail.condition)


def decrypt_conditions(apps, schema_editor):
    NailState = apps.get_model("clients", "NailState")
    for nail in NailState.objects.exclude(condition="").iterator():
        # A Value is written as it is, past the field's encryption.
        NailState.objects.filter(pk=nail.pk).update(condition=Value(nail.condition))


class Migration(migrations.Migration):
    # Each data step commits before the next ALTER TABLE: on PostgreSQL, a table whose rows
    # were just written in the same transaction cannot be altered ("pending trigger events").
    atomic = False

    dependencies = [
        ("catalog", "0004_service_rebook_after_weeks"),
        ("clients", "0009_import_resume_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="healthprofile",
            name="allergen_ids",
            field=nailpro.crypto.EncryptedJSONField(
                blank=True, default=list, verbose_name="allergies"
            ),
        ),
        migrations.RunPython(copy_allergen_links, restore_allergen_links),
        migrations.RemoveField(
            model_name="healthprofile",
            name="allergens",
        ),
        migrations.AlterField(
            model_name="nailstate",
            name="condition",
            field=nailpro.crypto.EncryptedTextField(
                blank=True,
                choices=[
                    ("healthy", "Healthy"),
                    ("brittle", "Brittle"),
                    ("bitten", "Bitten"),
                    ("split", "Split"),
                    ("lifting", "Lifting"),
                    ("onycholysis", "Onycholysis"),
                    ("mycosis_suspected", "Mycosis suspected"),
                    ("damaged", "Damaged"),
                    ("other", "Other"),
                ],
                verbose_name="condition",
            ),
        ),
        migrations.RunPython(encrypt_conditions, decrypt_conditions),
    ]
