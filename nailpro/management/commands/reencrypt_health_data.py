"""Re-encrypt every piece of health data with the newest key of FIELD_ENCRYPTION_KEYS."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from nailpro.crypto import EncryptedJSONField, EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt health data with the first key of FIELD_ENCRYPTION_KEYS. Run it after "
        "putting a new key first; then the old keys can be removed."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        total = 0
        with scopes_disabled():
            for model in apps.get_models():
                fields = [
                    field.name
                    for field in model._meta.concrete_fields
                    if isinstance(field, EncryptedTextField | EncryptedJSONField)
                ]
                if not fields:
                    continue
                for row in model._base_manager.all().iterator():
                    row.save(update_fields=fields)  # read with any key, written with the first
                    total += 1
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted with the newest key."))
