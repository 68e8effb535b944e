"""Per-address limits on the pages anyone can reach (public forms, links sent to clients).

A fixed window per (purpose, address), counted in the database so that every app server and
worker shares the count. The address is the one django-axes sees (so AXES_PROXY_COUNT applies
here too), and it is stored only as a hash.
"""

import hashlib

from axes.helpers import get_client_ip_address
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Throttle


def _key(request, purpose):
    address = get_client_ip_address(request) or "unknown"
    return hashlib.sha256(f"{purpose}\0{address}".encode()).hexdigest()


def throttle_allows(request, purpose, *, limit, window):
    """Count this request for `purpose`; return False once the address went over `limit`
    requests in the current `window` (a timedelta)."""
    key, now = _key(request, purpose), timezone.now()
    try:
        with transaction.atomic():
            row = Throttle.objects.select_for_update().filter(key=key).first()
            if row is None:
                Throttle.objects.create(key=key, window_start=now, expires_at=now + window, hits=1)
                return True
            if row.expires_at <= now:
                row.window_start, row.expires_at, row.hits = now, now + window, 1
                row.save(update_fields=["window_start", "expires_at", "hits"])
                return True
            Throttle.objects.filter(pk=row.pk).update(hits=F("hits") + 1)
            return row.hits + 1 <= limit
    except IntegrityError:  # the same address's first request, twice at once
        return True


def throttles_purge():
    """Delete the counters whose window is over (a maintenance job)."""
    Throttle.objects.filter(expires_at__lte=timezone.now()).delete()
