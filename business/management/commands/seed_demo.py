"""Load the demo accounts: `manage.py seed_demo`. Run it again: it updates, never duplicates."""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django_scopes import scopes_disabled

from billing.models import Plan, Subscription
from nailpro.models import Account, User


@dataclass
class Demo:
    email: str
    password: str
    business: str
    plan: str
    client_count: int
    what: str


DEMOS = [
    Demo(
        "demo@nailpro.localhost",
        "demo-nailpro-2026",
        "Léa Ongles à domicile",
        Plan.PRO,
        40,
        "Pro plan, forty clients with their history",
    ),
    Demo(
        "free@nailpro.localhost",
        "free-nailpro-2026",
        "Chloé Beauté nomade",
        Plan.FREE,
        19,
        "Free plan, 19 clients: one more reaches the limit",
    ),
]
DEMO_EMAIL, DEMO_PASSWORD = DEMOS[0].email, DEMOS[0].password


class Command(BaseCommand):
    help = "Create or refresh the demo technician accounts and print their logins."

    @transaction.atomic
    def handle(self, *args, **options):
        with scopes_disabled():
            for demo in DEMOS:
                self.seed(demo)
        self.stdout.write(self.style.SUCCESS("Demo accounts ready:"))
        for demo in DEMOS:
            self.stdout.write(f"  {demo.what}")
            self.stdout.write(f"    e-mail:   {demo.email}")
            self.stdout.write(f"    password: {demo.password}")

    def seed(self, demo):
        """Create the login and its account; each app with a `demo` module adds its data."""
        user = User.objects.filter(email=demo.email).select_related("account").first()
        if user is None:
            account = Account.objects.create(name=demo.business)
            user = User.objects.create_user(demo.email, demo.password, account=account)
        else:
            user.set_password(demo.password)
            user.is_active = True
            user.save()
        Subscription.objects.filter(account=user.account).update(plan=demo.plan)
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").seed(user.account, client_count=demo.client_count)
