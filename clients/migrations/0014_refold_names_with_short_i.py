"""Fold again the names holding й: search used to fold it into и, and now keeps it."""

from django.db import migrations
from django.db.models import Q

from nailpro.text import fold


def refold(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    has_short_i = Q()
    for letter in ("й", "Й"):
        has_short_i |= Q(first_name__contains=letter) | Q(last_name__contains=letter)
    changed = []
    for client in Client._base_manager.filter(has_short_i).iterator():
        client.search_name = fold(f"{client.first_name} {client.last_name}")
        changed.append(client)
    Client._base_manager.bulk_update(changed, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("clients", "0013_consent_texts_es_it_ru")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
