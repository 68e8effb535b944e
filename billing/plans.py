"""What each plan allows. Asked by the client records for the limit; knows nothing of them."""

from dataclasses import dataclass

from django.conf import settings

from .models import Subscription

FREE_CLIENT_LIMIT = 20
# From this many clients on, the Free plan shows a gentle notice.
NEAR_LIMIT = 18


def subscription_of(account):
    return Subscription.objects.filter(account=account).first() or Subscription(account=account)


def client_limit(account):
    """Return how many clients the account may have, or None for no limit."""
    return None if subscription_of(account).is_pro else FREE_CLIENT_LIMIT


@dataclass
class Usage:
    count: int
    limit: int | None

    @property
    def at_limit(self):
        return self.limit is not None and self.count >= self.limit

    @property
    def near_limit(self):
        return self.limit is not None and NEAR_LIMIT <= self.count < self.limit

    @property
    def remaining(self):
        return None if self.limit is None else max(self.limit - self.count, 0)


def prices():
    return {
        "monthly": settings.PRO_PRICE_MONTHLY,
        "yearly": settings.PRO_PRICE_YEARLY,
        "currency": settings.PRO_PRICE_CURRENCY,
    }
