"""The day in her pocket: what the service worker may keep on her phone, and writes queued there.

Only responses to the morning sync (a request carrying `SYNC_HEADER`) of views marked with
`offline_copy` are cacheable: they carry `Cache-Control: private, max-age=…` and the
`COPY_HEADER` marker, which the service worker (static/js/sw.js) checks before storing anything.
Every other page stays `no-store` (nailpro.middleware.AccountMiddleware).

A write queued offline is sent again with an `Idempotency-Key` header; `idempotent` views run it
once per key and account, and answer the same outcome to every copy of it (rule 15).
"""

import datetime
import functools
import re

from babel.dates import format_skeleton
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ReplayedRequest

SYNC_HEADER = "X-NailPro-Sync"
COPY_HEADER = "X-NailPro-Offline"
# What the phone keeps is purged after this long (the service worker checks it too).
KEPT_FOR = datetime.timedelta(hours=48)
KEY_PATTERN = re.compile(r"[A-Za-z0-9-]{16,64}")

COPY_LABELS = {
    "card": gettext_lazy("Offline — card of %(when)s"),
    "day": gettext_lazy("Offline — day as of %(when)s"),
    "route": gettext_lazy("Offline — route as of %(when)s"),
    "appointment": gettext_lazy("Offline — appointment as of %(when)s"),
    "checkout": gettext_lazy("Offline — form of %(when)s: saved on this phone, sent later"),
}


def user_key(user):
    """Return a key naming this user's copies on a phone without giving away who she is."""
    return salted_hmac("nailpro.offline.user", str(user.pk), algorithm="sha256").hexdigest()[:32]


def stamp(moment=None):
    """Return the moment a copy was made, short and in her language: “2 déc. 08:14”."""
    moment = timezone.localtime(moment or timezone.now())
    locale = translation.to_locale(translation.get_language() or "en")
    day = format_skeleton("MMMd", moment, locale=locale)
    return f"{day} {format_skeleton('Hm', moment, locale=locale)}"


def is_sync(request):
    return request.method == "GET" and request.headers.get(SYNC_HEADER) == "1"


def offline_copy(kind):
    """Let the morning sync keep this page on her phone, stamped with the time it was made."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            syncing = is_sync(request) and request.user.is_authenticated
            if syncing:
                request.offline_copy = {"label": COPY_LABELS[kind] % {"when": stamp()}}
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, [SYNC_HEADER])
            if syncing and response.status_code == 200:
                response["Cache-Control"] = f"private, max-age={int(KEPT_FOR.total_seconds())}"
                response[COPY_HEADER] = timezone.now().isoformat()
            return response

        return wrapper

    return decorator


def idempotent(view):
    """Run a POST carrying an `Idempotency-Key` once per key; answer its outcome as JSON.

    The outcome is "done" when the view redirected without an error message, else "refused"
    with what the view said, so the phone shows her what was not applied and keeps her data.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "")
        if request.method != "POST" or not key:
            return view(request, *args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            return JsonResponse(
                {"outcome": "refused", "code": "bad_key", "messages": [_("Invalid request.")]},
                status=400,
            )
        with transaction.atomic():
            try:
                with transaction.atomic():
                    replay = ReplayedRequest.objects.create(
                        account=request.account, key=key, path=request.path[:300]
                    )
            except IntegrityError:  # the same write, sent again: it happened once already
                replay = None
            if replay is not None:
                replay.outcome = _run(request, view, args, kwargs)
                replay.save(update_fields=["outcome"])
                return JsonResponse(replay.outcome)
        first = ReplayedRequest.objects.get(account=request.account, key=key)
        if first.path != request.path[:300]:
            return JsonResponse(
                {"outcome": "refused", "code": "bad_key", "messages": [_("Invalid request.")]},
                status=400,
            )
        return JsonResponse({**first.outcome, "replayed": True})

    return wrapper


def _run(request, view, args, kwargs):
    storage = messages.get_messages(request)
    earlier = len(storage)
    try:
        with transaction.atomic():
            response = view(request, *args, **kwargs)
    except Http404:
        return {
            "outcome": "refused",
            "code": "gone",
            "messages": [_("It no longer exists: the client or the appointment was deleted.")],
        }
    said = list(storage)[earlier:]  # read here, so they do not show on her next page
    errors = [str(m) for m in said if m.level >= messages.WARNING]
    if response.status_code in (301, 302, 303) and not errors:
        # Kept without its messages: they may name the client, and the key outlives her.
        return {"outcome": "done", "location": response["Location"]}
    if response.status_code == 200 and not errors:  # the form came back with its errors
        errors = [_("The form was refused: open it again and correct it.")]
    return {"outcome": "refused", "code": "refused", "messages": errors}


def replayed_requests_purge():
    """Forget the outcomes of offline writes old enough that no phone still sends them."""
    old = timezone.now() - ReplayedRequest.KEPT_FOR
    ReplayedRequest.objects.filter(created_at__lt=old).delete()
