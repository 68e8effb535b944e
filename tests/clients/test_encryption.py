"""Health data is encrypted at rest, and stays readable through a key rotation."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from clients.models import ConsentEvent, HealthProfile
from tests.factories import ClientFactory, ConsentEventFactory

pytestmark = pytest.mark.django_db
SECRET_WORDS = ["Isotrétinoïne", "Diabète de type 1", "onycholysis", "Vernis parfumés"]


def raw_row(health):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT allergy_notes, pathologies, medications, health_notes "
            "FROM clients_healthprofile WHERE id = %s",
            [health.pk.hex if connection.vendor == "sqlite" else health.pk],
        )
        return " ".join(str(value) for value in cursor.fetchone())


@pytest.fixture
def health(alice, alice_client):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account)
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
    alice_client.post(
        f"/clients/{zoe.pk}/health/",
        {
            "allergy_notes": "Vernis parfumés",
            "pathologies": ["onycholysis"],
            "medications": "Isotrétinoïne",
            "health_notes": "Diabète de type 1",
        },
    )
    with scopes_disabled():
        return HealthProfile.objects.get(client=zoe)


def test_the_raw_columns_hold_no_plaintext(health):
    raw = raw_row(health)
    for word in SECRET_WORDS:
        assert word not in raw
    assert raw.count("fernet:") == 4
    assert health.medications == "Isotrétinoïne"
    assert health.pathologies == ["onycholysis"]


def test_rotating_the_key_keeps_the_data_readable(health, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("reencrypt_health_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    with scopes_disabled():
        reread = HealthProfile.objects.get(pk=health.pk)
    assert reread.health_notes == "Diabète de type 1"
    assert reread.pathologies == ["onycholysis"]
    for word in SECRET_WORDS:
        assert word not in raw_row(health)
