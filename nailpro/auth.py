"""Login protection: django-axes per connection, and a progressive delay per e-mail.

django-axes pauses a connection (IP address) after AXES_FAILURE_LIMIT wrong passwords,
whatever the e-mails tried: spraying one password over many e-mails is stopped there. Wrong
passwords on one e-mail from many connections do not lock her out (that would let anyone
black out the real owner): past LOGIN_DELAY_AFTER failures in the cool-off window, each new
try on that e-mail waits a delay that doubles up to LOGIN_DELAY_MAX_SECONDS, and a connection
she has logged in from before waits nothing.

AccountBackend: the model backend, reading the user of each request with her account.
"""

import math
from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

KNOWN_CONNECTION_DAYS = 90


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


def login_wait_seconds(request, email):
    """Return the seconds this login on `email` must still wait (0: try now)."""
    username = axes_username(request, {"username": email})
    if not username:
        return 0
    now = timezone.now()
    ip_address = get_client_ip_address(request)
    # Failures from this connection are axes' business (it pauses the connection).
    recent = (
        AccessAttempt.objects.filter(
            username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
        )
        .exclude(ip_address=ip_address)
        .aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    failures = recent["failures"] or 0
    if failures < settings.LOGIN_DELAY_AFTER:
        return 0
    known = AccessLog.objects.filter(
        username=username,
        ip_address=ip_address,
        attempt_time__gte=now - timedelta(days=KNOWN_CONNECTION_DAYS),
    ).exists()
    if known:
        return 0
    delay = min(2 ** (failures - settings.LOGIN_DELAY_AFTER), settings.LOGIN_DELAY_MAX_SECONDS)
    waited = (now - recent["last"]).total_seconds()
    return max(0, math.ceil(delay - waited))


def login_records_delete(emails):
    """Delete the login attempts and logs that hold these e-mail addresses."""
    usernames = {email.strip().lower() for email in emails if email}
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=usernames).delete()


class AccountBackend(ModelBackend):
    """Django's model backend, reading the logged-in user on each request with her account in
    one query (not two): every page needs it, for its scope and settings (AccountMiddleware).
    A higher app adds what it reads with them through annotations() and attach() (billing:
    the plan). Read anew on every request, never cached between requests."""

    def annotations(self):
        """{name: expression} read with the user (plain SQL is cheapest to build)."""
        return {}

    def attach(self, user):
        """Keep what annotations() read where it is looked for."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("account")
        try:
            user = users.annotate(**self.annotations()).get(pk=user_id)
        except ObjectDoesNotExist:
            return None
        self.attach(user)
        return user if self.user_can_authenticate(user) else None
