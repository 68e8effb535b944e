import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from catalog.models import Allergen, Product, Service
from clients.models import ConsentEvent, HealthProfile
from tests.factories import ClientFactory, ConsentEventFactory


@pytest.fixture
def catalog(alice):
    """Alice's services and products; the gel contains HEMA."""
    with scopes_disabled():
        account = alice.account
        hema = Allergen.objects.get(code="hema")
        gel = Product.objects.create(
            account=account,
            brand="Ongle Étoile",
            name="Builder gel",
            shade="Nude 02",
            category="builder_gel",
        )
        gel.allergens.set([hema])
        top = Product.objects.create(
            account=account, brand="Lumi", name="Top coat", category="top_coat"
        )
        return {
            "pose": Service.objects.create(
                account=account, name="Pose gel complète", duration=90, price=Decimal("55")
            ),
            "nail_art": Service.objects.create(
                account=account, name="Nail art par ongle", duration=10, price=Decimal("3")
            ),
            "gel": gel,
            "top": top,
            "hema": hema,
        }


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé", last_name="Martin")


@pytest.fixture
def allergic_zoe(zoe, catalog):
    """Zoé, who consented to health data and is allergic to HEMA."""
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        health = HealthProfile.objects.create(account=zoe.account, client=zoe)
        health.set_allergens([catalog["hema"]])
        health.save()
    return zoe


def visit_data(catalog, **extra):
    data = {
        "started_at": "2026-11-20T10:00",
        "ends_at": "11:30",
        "payment_method": "card",
        "paid": "on",
        f"service_{catalog['pose'].pk}": "on",
        f"price_{catalog['pose'].pk}": "55.00",
    }
    data.update(extra)
    return data


@pytest.fixture
def when():
    return datetime.datetime(2026, 11, 20, 10, 0)
