import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django_scopes import scopes_disabled

from catalog.models import Allergen
from clients.models import ConsentEvent, HealthProfile
from tests.errors import error_codes
from tests.factories import ClientFactory, ConsentEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé")


def health_url(client):
    return f"/clients/{client.pk}/health/"


def consent(client_http, zoe, kind="health", given="1", method="in_app", date="2026-11-02"):
    return client_http.post(
        f"/clients/{zoe.pk}/consents/new/",
        {"kind": kind, "given": given, "method": method, "date": date},
    )


def test_health_data_is_refused_without_consent_and_nothing_is_saved(alice_client, zoe):
    hema = Allergen.objects.get(code="hema")
    response = alice_client.post(
        health_url(zoe), {"allergens": [hema.pk], "medications": "Isotrétinoïne"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "consentement explicite" in page
    assert "Isotrétinoïne" in page  # what she typed is kept
    with scopes_disabled():
        assert not HealthProfile.objects.exists()


def test_with_consent_allergies_and_notes_are_saved(alice_client, zoe):
    consent(alice_client, zoe)
    hema, nickel = Allergen.objects.filter(code__in=["hema", "nickel"]).order_by("code")
    response = alice_client.post(
        health_url(zoe),
        {
            "allergens": [hema.pk, nickel.pk],
            "allergy_notes": "Vernis parfumés",
            "pathologies": ["brittle", "ridges"],
            "medications": "Aucun",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        health = HealthProfile.objects.get(client=zoe)
        assert set(health.allergen_list()) == {hema, nickel}
    assert health.pathologies == ["brittle", "ridges"]
    page = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert "Vernis parfumés" in page


def test_health_consent_must_be_written(alice_client, zoe):
    response = consent(alice_client, zoe, method="oral")
    assert response.status_code == 200
    assert response.context["form"].errors["method"]
    with scopes_disabled():
        assert not ConsentEvent.objects.exists()


def test_withdrawing_health_consent_erases_health_data(alice_client, zoe):
    consent(alice_client, zoe)
    alice_client.post(
        health_url(zoe),
        {"allergens": [Allergen.objects.get(code="latex").pk], "health_notes": "Diabète"},
    )

    consent(alice_client, zoe, given="0", date="2026-11-20")

    with scopes_disabled():
        health = HealthProfile.objects.get(client=zoe)
        assert health.allergen_list() == []
        assert health.health_notes == ""
        events = list(ConsentEvent.objects.filter(client=zoe, kind="health"))
    assert [e.given for e in events] == [False, True]  # the ledger keeps both
    page = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert "Diabète" not in page


def test_consents_are_a_ledger_with_defaults(alice, alice_client, zoe):
    response = alice_client.get(f"/clients/{zoe.pk}/")
    # Her card, reminders, marketing, photos and health: none asked yet.
    assert [event for _kind, _label, event, _given in response.context["consents"]] == [None] * 5

    consent(alice_client, zoe, kind="marketing", given="1", method="oral", date="2026-01-10")
    consent(alice_client, zoe, kind="marketing", given="0", method="in_app", date="2026-06-01")

    with scopes_disabled():
        zoe = type(zoe).objects.get(pk=zoe.pk)
        assert zoe.has_consent(ConsentEvent.Kind.DATA_PROCESSING) is True
        assert zoe.has_consent(ConsentEvent.Kind.REMINDERS) is True
        assert zoe.has_consent(ConsentEvent.Kind.MARKETING) is False
        assert zoe.has_consent(ConsentEvent.Kind.IMAGE_RIGHTS) is False
        events = list(zoe.consent_events.values_list("given", "date", "recorded_by"))
    assert [(given, str(date)) for given, date, _ in events] == [
        (False, "2026-06-01"),
        (True, "2026-01-10"),
    ]
    assert all(user == alice.pk for _, _, user in events)


def test_a_consent_cannot_be_dated_in_the_future(alice_client, zoe):
    response = consent(alice_client, zoe, date="2999-01-01")
    assert response.context["form"].errors["date"]


def test_health_data_of_another_account_s_client_is_unreachable(bob, alice_client):
    with scopes_disabled():
        other = ClientFactory(account=bob.account)
        ConsentEventFactory(client=other)
    assert alice_client.get(health_url(other)).status_code == 404
    assert alice_client.post(health_url(other), {"health_notes": "x"}).status_code == 404


def test_withdrawing_with_htmx_reloads_the_whole_card(alice_client, zoe):
    consent(alice_client, zoe)
    response = alice_client.post(
        f"/clients/{zoe.pk}/consents/new/",
        {"kind": "health", "given": "0", "method": "in_app", "date": "2026-11-20"},
        HTTP_HX_REQUEST="true",
    )
    assert response.headers["HX-Redirect"] == f"/clients/{zoe.pk}/#consents"


def test_a_consent_recorded_with_htmx_refreshes_the_consents_section(alice_client, zoe):
    response = alice_client.post(
        f"/clients/{zoe.pk}/consents/new/",
        {"kind": "marketing", "given": "1", "method": "in_app", "date": "2026-11-20"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="consents"')
    with translation.override(zoe.account.language):
        assert date_format(datetime.date(2026, 11, 20), "j F Y") in page  # the new answer


def test_a_consent_cannot_be_dated_before_the_latest_answer(alice_client, zoe):
    consent(alice_client, zoe, date="2026-11-10")
    response = consent(alice_client, zoe, given="0", date="2026-11-01")
    assert error_codes(response, "date") == ["older_than_latest"]
    with scopes_disabled():
        assert ConsentEvent.objects.count() == 1


def test_medical_nail_conditions_need_the_health_consent_and_go_with_it(alice_client, zoe):
    url = f"/clients/{zoe.pk}/nails/?finger=left_ring"
    refused = alice_client.post(url, {"condition": "mycosis_suspected"})
    assert refused.context["form"].errors["condition"]
    assert alice_client.post(url, {"condition": "brittle"}).status_code == 302

    consent(alice_client, zoe)
    assert alice_client.post(url, {"condition": "onycholysis"}).status_code == 302
    consent(alice_client, zoe, given="0", date="2026-11-20")

    with scopes_disabled():
        assert zoe.nails.get().condition == ""


def test_an_allergen_retired_from_the_list_stays_on_her_record(alice_client, zoe):
    consent(alice_client, zoe)
    camphor = Allergen.objects.get(code="camphor")
    alice_client.post(health_url(zoe), {"allergens": [camphor.pk]})
    Allergen.objects.filter(pk=camphor.pk).update(is_active=False)

    page = alice_client.get(health_url(zoe)).content.decode()
    assert f'value="{camphor.pk}"' in page
    alice_client.post(health_url(zoe), {"allergens": [camphor.pk], "health_notes": "ok"})
    with scopes_disabled():
        assert HealthProfile.objects.get().allergen_list() == [camphor]


def test_without_consent_the_health_section_offers_no_edit_link(alice_client, zoe):
    page = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert f'href="/clients/{zoe.pk}/health/"' not in page
    assert f"/clients/{zoe.pk}/consents/new/?kind=health" in page
