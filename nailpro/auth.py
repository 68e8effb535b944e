"""Login protection helpers for django-axes."""

from django.conf import settings
from django.shortcuts import render


def axes_username(request, credentials):
    """Count failed logins per e-mail whatever its case, so 'Anna@' and 'anna@' add up."""
    # The login form posts "username"; Django hands backends the e-mail as "email".
    source = credentials if credentials is not None else request.POST
    value = source.get("username") or source.get("email") or ""
    return str(value).strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """Say plainly that logins are paused, for how long, and how to get back in."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
