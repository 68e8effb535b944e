"""Recompute the kept figures (visits.figures) of one account or of all:
`manage.py rebuild_figures [--account <uuid>]`. Safe to run at any time, it is idempotent."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from nailpro.models import Account
from visits import figures


class Command(BaseCommand):
    help = (
        "Recompute the kept figures: every client's (last visit, count, spend, interval, due "
        "date, listed) and every day's (visits, revenue)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", help="the account's id (all accounts when left out)")

    def handle(self, *args, account=None, **options):
        with scopes_disabled():
            if account is None:
                accounts = list(Account.objects.values_list("pk", flat=True))
            else:
                try:
                    accounts = [Account.objects.get(pk=account).pk]
                except (Account.DoesNotExist, ValidationError) as missing:
                    raise CommandError(f"No account {account}.") from missing
            rows = sum(figures.rebuild(pk) for pk in accounts)
        self.stdout.write(f"{rows} clients' figures rebuilt in {len(accounts)} account(s).")
