from django.utils.functional import SimpleLazyObject

from billing.plans import Usage, client_limit

from .models import Client


def client_usage(request):
    """How many clients the account has against its plan's limit, read only if shown."""
    account = getattr(request, "account", None)
    if account is None:
        return {}

    def usage():
        return Usage(
            count=Client.objects.filter(account=account).count(), limit=client_limit(account)
        )

    return {"client_usage": SimpleLazyObject(usage)}
