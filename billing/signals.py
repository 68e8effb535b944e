"""Every account has its subscription row, from its creation on."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from nailpro.models import Account

from .models import Subscription


@receiver(post_save, sender=Account, dispatch_uid="billing_subscription")
def create_subscription(sender, instance, created, raw=False, **kwargs):
    """Start each new account on the Free plan."""
    if created and not raw:
        with scopes_disabled():
            Subscription.objects.create(account=instance)
