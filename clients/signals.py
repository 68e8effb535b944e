"""Setting up a new account's client records, and removing the files of deleted ones."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from nailpro.files import delete_files_on_commit
from nailpro.models import Account

from .models import Category, SignedConsent


@receiver(post_save, sender=Account, dispatch_uid="clients_default_categories")
def create_default_categories(sender, instance, created, raw=False, **kwargs):
    """Give each new account the default client categories, once, in its language."""
    if created and not raw:
        with scopes_disabled():
            Category.create_defaults(instance)


@receiver(post_delete, sender=SignedConsent, dispatch_uid="clients_delete_signature")
def delete_signature_file(sender, instance, **kwargs):
    """Delete a signature's file once its form is gone, however it went: erasure, client
    deletion or account deletion."""
    if instance.signature:
        delete_files_on_commit(instance.signature.storage, [instance.signature.name])
