"""Demo visits for `manage.py seed_demo`: a year of visits for the demo clients, with the
catalog's services and products, prices and payments that add up."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog.models import Product, Service
from clients.models import Client

from .forms import chart_of
from .models import Visit, VisitProduct, VisitService

PAYMENTS = ["card"] * 5 + ["cash"] * 3 + ["transfer", "cheque", "voucher"]
NOTES = [
    "",
    "",
    "Mix nude 02 + une goutte de rose poudré",
    "Base caoutchouc pour ongles mous",
    "Babyboomer, dégradé à l'éponge",
    "Chrome or rose sur top mat",
    "Limer en amande, ongle annulaire fragile",
]


@transaction.atomic
def seed(account, **options):
    """Create a year of visits once; a second run finds them and stops."""
    if Visit.objects.filter(account=account).exists():
        return
    services = list(Service.objects.filter(account=account, archived=False))
    products = list(
        Product.objects.filter(account=account, archived=False).prefetch_related("allergens")
    )
    if not services:
        return
    rng = random.Random(7)
    now = timezone.now()
    clients = Client.objects.filter(account=account, blacklisted=False).order_by("created_at")
    for client in clients:
        allergies = set(client.known_allergens())
        safe_products = [p for p in products if not allergies & set(p.allergens.all())]
        chart = chart_of(client)
        interval = rng.choice([21, 21, 28, 28, 35, 42, 60])
        moment = now - datetime.timedelta(days=365 - rng.randrange(0, interval))
        # Most clients still come; some stopped a while ago (to book again, or lapsed).
        stopped = rng.choice([2] * 7 + [45, 100, 150])
        while moment < now - datetime.timedelta(days=stopped):
            start = moment.replace(
                hour=rng.choice([9, 10, 11, 14, 15, 16, 18]), minute=0, second=0, microsecond=0
            )
            chosen = rng.sample(services, k=rng.choice([1, 1, 1, 2]))
            prices = [service.price for service in chosen]
            total = sum(prices, Decimal("0"))
            if rng.random() < 0.1:
                total -= min(Decimal("5"), total)  # a loyalty discount
            payment = rng.choice(PAYMENTS)
            visit = Visit(
                account=account,
                client=client,
                started_at=start,
                duration=sum(service.duration for service in chosen),
                total=total,
                payment_method=payment,
                paid=rng.random() > 0.05,
                technique_notes=rng.choice(NOTES),
                chart_snapshot=chart,
            )
            visit.save()
            VisitService.objects.bulk_create(
                VisitService(
                    account=account, visit=visit, service=s, name=s.name, price=s.price, position=i
                )
                for i, s in enumerate(chosen)
            )
            used = rng.sample(safe_products, k=min(len(safe_products), rng.randrange(1, 4)))
            VisitProduct.objects.bulk_create(
                VisitProduct(
                    account=account,
                    visit=visit,
                    product=product,
                    batch_number=f"L{rng.randrange(10000, 99999)}" if rng.random() < 0.6 else "",
                )
                for product in used
            )
            moment += datetime.timedelta(days=interval + rng.randrange(-4, 5))
