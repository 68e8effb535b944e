"""Every display of a client's health data, and every staff look at her record, is logged."""

import pytest
from django_scopes import scopes_disabled

from clients.models import AccessLog, ConsentEvent
from nailpro.models import User
from tests.factories import ClientFactory, ConsentEventFactory, HealthProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        HealthProfileFactory(client=zoe, medications="Isotrétinoïne")
        return zoe


def entries(client):
    with scopes_disabled():
        return list(
            AccessLog.objects.filter(client=client).values_list("action", "user__email", "where")
        )


def test_showing_her_card_with_health_data_is_logged_and_shown(alice_client, zoe):
    alice_client.get(f"/clients/{zoe.pk}/")
    response = alice_client.get(f"/clients/{zoe.pk}/")
    assert entries(zoe) == [("health_viewed", "alice@example.com", f"/clients/{zoe.pk}/")] * 2
    assert [entry.action for entry in response.context["access_logs"]] == ["health_viewed"] * 2


def test_the_health_form_and_the_visit_form_are_logged(alice_client, zoe):
    alice_client.get(f"/clients/{zoe.pk}/health/")
    alice_client.get(f"/visits/new/{zoe.pk}/")
    assert [where for _action, _user, where in entries(zoe)] == [
        f"/visits/new/{zoe.pk}/",
        f"/clients/{zoe.pk}/health/",
    ]


def test_nothing_is_logged_without_health_data(alice, alice_client):
    with scopes_disabled():
        plain = ClientFactory(account=alice.account)
    alice_client.get(f"/clients/{plain.pk}/")
    assert entries(plain) == []


def test_staff_opening_her_record_in_the_admin_is_logged(client, zoe):
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)
    client.get(f"/admin/clients/client/{zoe.pk}/change/")
    assert entries(zoe) == [
        ("staff_viewed", "staff@nailpro.example", f"/admin/clients/client/{zoe.pk}/change/")
    ]
