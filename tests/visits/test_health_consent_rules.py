"""Reactions, nail conditions kept with visits and allergy warnings are health data: recorded
only under her health consent, shown only under it, and each showing is logged."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from clients.models import AccessLog, ConsentEvent, NailState
from clients.services import consent_record
from tests.errors import error_codes
from tests.factories import ConsentEventFactory, NailStateFactory, VisitFactory
from tests.visits.conftest import visit_data
from visits.models import Reaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MYCOSIS = NailState.Condition.MYCOSIS_SUSPECTED
CHART = {
    "left_thumb": {"length": "short", "condition": MYCOSIS, "remarks": "vu"},
    "right_ring": {"length": "long", "condition": "lifting", "remarks": ""},
}


def health_logs(client):
    with scopes_disabled():
        return AccessLog.objects.filter(
            client=client, action=AccessLog.Action.HEALTH_VIEWED
        ).count()


def withdraw(client):
    with scopes_disabled():
        consent_record(
            client=client,
            kind=ConsentEvent.Kind.HEALTH,
            given=False,
            method=ConsentEvent.Method.IN_APP,
            date=timezone.localdate(),
        )


def test_a_reaction_is_refused_without_her_health_consent(alice_client, zoe, catalog):
    page = alice_client.get(f"/visits/reactions/new/{zoe.pk}/")
    assert page.context["health_consent"] is False

    response = alice_client.post(
        f"/visits/reactions/new/{zoe.pk}/",
        {"date": timezone.localdate().isoformat(), "symptoms": "Rougeurs"},
    )

    assert response.status_code == 200
    assert error_codes(response) == ["no_health_consent"]
    assert response.context["form"]["symptoms"].value() == "Rougeurs"  # nothing typed is lost
    with scopes_disabled():
        assert not Reaction.objects.exists()


def test_a_reaction_is_recorded_and_its_reading_logged_under_consent(alice_client, zoe):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
    response = alice_client.post(
        f"/visits/reactions/new/{zoe.pk}/",
        {"date": timezone.localdate().isoformat(), "symptoms": "Rougeurs"},
    )
    assert response.status_code == 302
    before = health_logs(zoe)
    page = alice_client.get(response.headers["Location"])
    assert page.context["health_consent"] is True
    assert health_logs(zoe) == before + 1


def test_the_visit_page_shows_a_condition_and_warning_under_consent_and_logs_it(alice_client, zoe):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        visit = VisitFactory(
            client=zoe,
            chart_snapshot=CHART,
            allergy_warning="Gel : HEMA",
            allergy_confirmed=True,
        )
    response = alice_client.get(f"/visits/{visit.pk}/")
    conditions = {nail["label"]: nail["condition"] for nail in response.context["chart"]}
    assert conditions == {"left thumb": "Mycosis suspected", "right ring finger": "Lifting"}
    assert response.context["allergy_warning"] == "Gel : HEMA"
    assert health_logs(zoe) == 1


def test_after_withdrawal_the_visit_page_and_nail_history_show_no_medical_condition(
    alice_client, zoe
):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        NailStateFactory(client=zoe, finger="left_thumb", condition=MYCOSIS)
        visit = VisitFactory(
            client=zoe, chart_snapshot=CHART, allergy_warning="Gel : HEMA", allergy_confirmed=True
        )
    withdraw(zoe)

    response = alice_client.get(f"/visits/{visit.pk}/")
    conditions = {nail["label"]: nail["condition"] for nail in response.context["chart"]}
    assert conditions == {"left thumb": "", "right ring finger": "Lifting"}
    assert response.context["allergy_warning"] == ""
    history = alice_client.get(f"/clients/{zoe.pk}/nails/?finger=left_thumb").context["history"]
    assert [entry["state"] for entry in history] == ["Short"]
    card = alice_client.get(f"/clients/{zoe.pk}/")
    assert all(
        nail.condition != MYCOSIS for hand in card.context["chart"].values() for nail in hand
    )
    assert health_logs(zoe) == 0
    with scopes_disabled():
        visit.refresh_from_db()
        assert visit.chart_snapshot["left_thumb"] == {
            "length": "short",
            "condition": "",
            "remarks": "vu",
        }
        assert visit.allergy_warning == ""
        assert NailState.objects.get(client=zoe).condition == ""


def test_a_medical_condition_kept_without_consent_is_not_shown(alice_client, zoe):
    """A chart kept before the rule (no consent recorded) shows no medical condition."""
    with scopes_disabled():
        visit = VisitFactory(client=zoe, chart_snapshot=CHART)
    response = alice_client.get(f"/visits/{visit.pk}/")
    assert [nail["condition"] for nail in response.context["chart"]] == ["", "Lifting"]
    history = alice_client.get(f"/clients/{zoe.pk}/nails/?finger=left_thumb").context["history"]
    assert [entry["state"] for entry in history] == ["Short"]
    assert health_logs(zoe) == 0


def test_the_nail_history_shows_a_medical_condition_under_consent_and_logs_it(alice_client, zoe):
    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        VisitFactory(client=zoe, chart_snapshot=CHART)
    history = alice_client.get(f"/clients/{zoe.pk}/nails/?finger=left_thumb").context["history"]
    assert [entry["state"] for entry in history] == ["Mycosis suspected, Short"]
    assert health_logs(zoe) == 1


def test_a_visit_recorded_without_consent_keeps_no_medical_condition(alice_client, zoe, catalog):
    """Even a condition noted before the rule stays out of a new visit's chart."""
    with scopes_disabled():
        NailState.objects.create(
            account=zoe.account, client=zoe, finger="left_thumb", condition=MYCOSIS, length="short"
        )
    assert alice_client.post(f"/visits/new/{zoe.pk}/", visit_data(catalog)).status_code == 302
    with scopes_disabled():
        chart = zoe.visits.get().chart_snapshot
    assert chart == {"left_thumb": {"length": "short", "condition": "", "remarks": ""}}
