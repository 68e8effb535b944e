"""A per-connection budget for public pages that take a secret (against guessing)."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def throttled(request, name, *, limit, minutes):
    """Count this request against its connection's budget for `name`; True once spent.

    Kept in the cache: with several app servers, give them a shared cache (CACHES)."""
    key = f"throttle:{name}:{get_client_ip_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=minutes * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=minutes * 60)
        count = 1
    return count > limit
