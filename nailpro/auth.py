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
from django.db import connections, router
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
    A higher app reads more with them through extra_columns() and attach() (billing: the
    plan). Read anew on every request, never cached between requests.

    The query is written once from the models' fields and run as plain SQL: on every page, the
    ORM spent more building it than the database answering it. The values go through the same
    conversions as the ORM's (Model.from_db, the fields' from_db_value)."""

    def extra_columns(self, user_table):
        """{name: SQL of one value} read with her, set on the user under that name."""
        return {}

    def attach(self, user):
        """Keep what extra_columns() read where it is looked for."""

    def get_user(self, user_id):
        user = read_user(user_id, self.extra_columns)
        if user is None:
            return None
        self.attach(user)
        return user if self.user_can_authenticate(user) else None


def read_user(user_id, extra_columns):
    """The user of `user_id` with her account (None: no such user), in one query."""
    users = get_user_model()
    account_field = users._meta.get_field("account")
    accounts = account_field.related_model
    db = router.db_for_read(users)
    connection = connections[db]
    quote = connection.ops.quote_name
    user_table, account_table = users._meta.db_table, accounts._meta.db_table
    user_fields, account_fields = users._meta.concrete_fields, accounts._meta.concrete_fields
    extra = extra_columns(quote(user_table))
    columns = [
        *(f"{quote(user_table)}.{quote(field.column)}" for field in user_fields),
        *(f"{quote(account_table)}.{quote(field.column)}" for field in account_fields),
        *(f"({sql})" for sql in extra.values()),
    ]
    # Names from the models, quoted; the one value a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(user_table)}"  # noqa: S608
        f" LEFT OUTER JOIN {quote(account_table)}"
        f" ON {quote(account_table)}.{quote(accounts._meta.pk.column)}"
        f" = {quote(user_table)}.{quote(account_field.column)}"
        f" WHERE {quote(user_table)}.{quote(users._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [users._meta.pk.get_db_prep_value(user_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    count = len(user_fields)
    user = _from_db(users, user_fields, row[:count], user_table, db, connection)
    values = row[count : count + len(account_fields)]
    account = None
    if values[0] is not None:
        account = _from_db(accounts, account_fields, values, account_table, db, connection)
    account_field.set_cached_value(user, account)
    for name, value in zip(extra, row[count + len(account_fields) :], strict=True):
        setattr(user, name, value)
    return user


def _from_db(model, fields, values, table, db, connection):
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(table)
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(db, [field.attname for field in fields], converted)
