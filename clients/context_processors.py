from django.utils.functional import cached_property

from billing.plans import FREE_CLIENT_LIMIT, Usage, client_limit

from .models import Client


class LazyUsage(Usage):
    """The account's clients against its plan's limit: the limit read when a template asks,
    the count only when it is shown (a plan with a limit, or the billing page), so a Pro
    account's pages do not count her thousands of clients on every request."""

    def __init__(self, account):
        self.account = account

    @cached_property
    def limit(self):
        # Her plan read with her user and account (nailpro.auth.AccountBackend): no query.
        subscription = getattr(self.account, "plan_read", None)
        if subscription is not None:
            return None if subscription.is_pro else FREE_CLIENT_LIMIT
        return client_limit(self.account)

    @cached_property
    def count(self):
        return Client.objects.filter(account=self.account).count()


def client_usage(request):
    """How many clients the account has against its plan's limit, read only if shown."""
    account = getattr(request, "account", None)
    if account is None:
        return {}
    return {"client_usage": LazyUsage(account)}
