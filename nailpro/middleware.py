"""Per-request tenancy: the logged-in technician's account scope, time zone, language and
phone region."""

import zoneinfo

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django_scopes import scope, scopes_disabled

from nailpro import phones


class AccountMiddleware:
    """Open the account scope of the logged-in user for the whole request.

    Anonymous visitors and users without an account get an empty scope, so a query on
    client data finds nothing. The admin (staff only) runs with scopes disabled. Every
    response to a logged-in user is marked no-store unless the view chose its own caching:
    such pages show client data, which must not stay in a shared or back-forward cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        account = user.account if user.is_authenticated else None
        request.account = account
        if account is not None:
            timezone.activate(zoneinfo.ZoneInfo(account.time_zone))
            translation.activate(account.language)
            request.LANGUAGE_CODE = account.language
            phones.activate(account.phone_region)

        if _is_admin(request.path):
            with scopes_disabled():
                response = self.get_response(request)
        else:
            with scope(account=account):
                response = self.get_response(request)

        timezone.deactivate()
        phones.deactivate()
        if user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # includes no-store
        return response


def _is_admin(path):
    try:
        return path.startswith(reverse("admin:index"))
    except NoReverseMatch:  # a URLconf without the admin
        return False
