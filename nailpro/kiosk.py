"""Kiosk mode: the phone handed to a client (to sign her consent form) shows that one page.

While the session is in kiosk mode every other page of the app sends back to it, until the
technician unlocks with her PIN (or, without a PIN, her password). Wrong attempts are counted in
the session and blocked for a while after a few.
"""

import time

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

SESSION_KEY = "kiosk"
MAX_ATTEMPTS = 5
BLOCK_SECONDS = 300


def kiosk_enter(request, *, page, back):
    """Lock the session on `page` (a path); after unlocking she is taken to `back`."""
    request.session[SESSION_KEY] = {"page": page, "back": back, "failures": 0, "blocked_until": 0}


def kiosk_state(request):
    """Return the kiosk state of this session, or None when not locked."""
    return request.session.get(SESSION_KEY) if hasattr(request, "session") else None


def kiosk_unlock(request, *, secret):
    """Leave the kiosk mode if `secret` is the technician's PIN or password; return where to go.

    Raises ValidationError (code too_many_attempts or wrong_secret) and stays locked otherwise.
    """
    state = kiosk_state(request)
    if state is None:
        return reverse("dashboard")
    now = time.time()
    if state.get("blocked_until", 0) > now:
        raise ValidationError(
            _("Too many wrong attempts: wait a few minutes, then try again."),
            code="too_many_attempts",
        )
    if not request.user.check_kiosk_secret(secret):
        state["failures"] = state.get("failures", 0) + 1
        if state["failures"] >= MAX_ATTEMPTS:
            state["failures"] = 0
            state["blocked_until"] = now + BLOCK_SECONDS
        request.session[SESSION_KEY] = state
        raise ValidationError(_("This is not the right code."), code="wrong_secret")
    del request.session[SESSION_KEY]
    return state["back"]


class KioskMiddleware:
    """While the session is in kiosk mode, send every other app page back to the kiosk page."""

    # What the kiosk page itself needs, and logging out (which ends the session anyway).
    ALLOWED_NAMES = ("kiosk_unlock", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = kiosk_state(request)
        if state and request.user.is_authenticated and not self._allowed(request, state):
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(state["page"])  # the whole page, not a swap
            return redirect(state["page"])
        return self.get_response(request)

    def _allowed(self, request, state):
        path = request.path
        if path == state["page"] or path.startswith(("/static/", "/admin/")):
            return True
        return path in {reverse(name) for name in self.ALLOWED_NAMES}
