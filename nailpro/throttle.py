"""Per-address limits on the pages anyone can reach (links sent to clients).

Same interface as the database-backed version on the `public` branch, which should replace
this one when both are merged (it shares the count between app servers); this one counts in
the cache.
"""

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def throttle_allows(request, purpose, *, limit, window):
    """Count this request for `purpose`; return False once the address went over `limit`
    requests in the current `window` (a timedelta)."""
    key = f"throttle:{purpose}:{get_client_ip_address(request) or 'unknown'}"
    seconds = int(window.total_seconds())
    cache.add(key, 0, timeout=seconds)
    try:
        hits = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=seconds)
        hits = 1
    return hits <= limit
