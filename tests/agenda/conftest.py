import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from agenda.models import Appointment, AppointmentService
from catalog.models import Service
from tests.factories import ClientFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def services(alice):
    with scopes_disabled():
        account = alice.account
        return {
            "pose": Service.objects.create(
                account=account, name="Pose gel complète", duration=90, price=Decimal("55")
            ),
            "refill": Service.objects.create(
                account=account,
                name="Remplissage",
                duration=60,
                price=Decimal("40"),
                rebook_after_weeks=3,
            ),
        }


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(
            account=alice.account,
            first_name="Zoé",
            last_name="Martin",
            email="zoe@example.com",
            street="12 rue des Lilas",
            postal_code="69003",
            city="Lyon",
            access_notes="Digicode 4521B, 3e étage",
        )


@pytest.fixture
def lina(alice):
    with scopes_disabled():
        return ClientFactory(
            account=alice.account,
            first_name="Lina",
            last_name="Roux",
            street="3 place Bellecour",
            postal_code="69002",
            city="Lyon",
        )


def at(*args):
    """An aware moment in Paris, the accounts' default time zone."""
    return datetime.datetime(*args, tzinfo=PARIS)


def book(client, start, services=(), duration=None, **fields):
    """An appointment made directly, as the demo does: for tests of what reads them."""
    with scopes_disabled():
        appointment = Appointment.objects.create(
            account=client.account,
            client=client,
            start=start,
            duration=duration or sum(s.duration for s in services) or 60,
            **fields,
        )
        for position, service in enumerate(services):
            AppointmentService.objects.create(
                account=client.account,
                appointment=appointment,
                service=service,
                name=service.name,
                duration=service.duration,
                price=service.price,
                position=position,
            )
        return appointment


def form_data(client, services, start="2026-12-02T10:00", **extra):
    data = {"client": str(client.pk), "start": start, "place": "client_home", "notes": ""}
    for service in services:
        data[f"service_{service.pk}"] = "on"
        data[f"duration_{service.pk}"] = str(service.duration)
        data[f"price_{service.pk}"] = str(service.price)
    data.update(extra)
    return data
