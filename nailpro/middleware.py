"""Per-request tenancy (the account scope, time zone, language and phone region) and
compressed responses."""

import functools
import zoneinfo

from django.middleware.gzip import GZipMiddleware
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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
    prefix = _admin_prefix(get_urlconf(), get_script_prefix())
    return prefix is not None and path.startswith(prefix)


@functools.cache
def _admin_prefix(urlconf, script_prefix):
    """The admin's URL, reversed once per URLconf and script prefix (not on every request)."""
    try:
        return reverse("admin:index", urlconf=urlconf)
    except NoReverseMatch:  # a URLconf without the admin
        return None


TEXT_TYPES = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


class CompressTextMiddleware(GZipMiddleware):
    """Gzip the pages and other text responses; leave photos, archives and spreadsheets alone.

    Compressing in the app rather than in the reverse proxy keeps Django's BREACH mitigations
    on every compressed response: random bytes of padding in each gzip header (so the length no
    longer tells a guess from a miss) on top of the CSRF token masked anew on each response.
    Already-compressed formats would only cost CPU for no byte saved.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if not content_type.startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
