"""Setting up a new account's client records."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from nailpro.models import Account

from .models import Category


@receiver(post_save, sender=Account, dispatch_uid="clients_default_categories")
def create_default_categories(sender, instance, created, raw=False, **kwargs):
    """Give each new account the default client categories, once, in its language."""
    if created and not raw:
        with scopes_disabled():
            Category.create_defaults(instance)
