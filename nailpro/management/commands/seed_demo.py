"""Load the demo account: `manage.py seed_demo`. Safe to run again: it updates, never duplicates."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django_scopes import scopes_disabled

from nailpro.models import Account, User

DEMO_EMAIL = "demo@nailpro.localhost"
DEMO_PASSWORD = "demo-nailpro-2026"  # noqa: S105 - a published demo login, local only
DEMO_BUSINESS = "Léa Ongles à domicile"


class Command(BaseCommand):
    help = "Create or refresh the demo technician account and print its login."

    @transaction.atomic
    def handle(self, *args, **options):
        with scopes_disabled():
            user = User.objects.filter(email=DEMO_EMAIL).select_related("account").first()
            if user is None:
                account = Account.objects.create(name=DEMO_BUSINESS)
                user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, account=account)
            else:
                user.set_password(DEMO_PASSWORD)
                user.is_active = True
                user.save()
            self.seed(user.account)
        self.stdout.write(self.style.SUCCESS("Demo account ready."))
        self.stdout.write(f"  e-mail:   {DEMO_EMAIL}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")

    def seed(self, account):
        """Fill the demo account: each app that has a `demo` module seeds its own data."""
        account.plan = Account.Plan.PRO  # the demo shows more clients than the free plan holds
        account.save(update_fields=["plan"])
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").seed(account)
