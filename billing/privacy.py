"""Billing's part of an account: its subscription, cancelled at Stripe before the account is
deleted (registered in BillingConfig.ready()). It holds nothing about her clients."""

from nailpro.privacy import PrivacyEntry

from .models import Subscription
from .stripe_sync import cancel_subscription


class BillingPrivacy(PrivacyEntry):
    def before_account_erase(self, account):
        """Cancel her paid subscription first: if Stripe cannot be reached the error
        propagates and nothing is deleted, so she is never charged for a deleted account."""
        subscription = Subscription.objects.filter(account=account).first()
        if subscription is not None:
            cancel_subscription(subscription)
