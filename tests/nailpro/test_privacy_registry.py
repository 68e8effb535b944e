"""The privacy registry (nailpro.privacy): every app's part of a client and of an account is
declared once, and everything that spans the apps iterates it."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django_scopes import scope, scopes_disabled

from business.models import AccountExport
from clients.models import Client, ConsentEvent, HealthProfile, ListExport, NailState
from clients.services import health_erase
from nailpro import privacy
from nailpro.models import AccountOwned, ReplayedRequest
from tests.factories import (
    ClientFactory,
    ConsentEventFactory,
    HealthProfileFactory,
    NailStateFactory,
    ReactionFactory,
    VisitFactory,
)


def models_holding_a_client():
    """Every model with a ForeignKey, OneToOne or ManyToMany to Client."""
    found = set()
    for model in apps.get_models():
        fields = list(model._meta.get_fields(include_hidden=True))
        for field in fields:
            if not field.is_relation or (field.auto_created and not field.concrete):
                continue
            if field.related_model is Client:
                found.add(model._meta.label_lower)
    return found


def test_every_model_holding_a_client_is_covered_by_an_entry():
    missing = models_holding_a_client() - privacy.covered_client_models()
    assert missing == set(), "declare it in its app's privacy.py (client_models)"


def test_the_coverage_check_sees_foreign_keys_and_many_to_many():
    found = models_holding_a_client()
    assert {"visits.visit", "agenda.appointment", "gallery.photo", "clients.client"} <= found
    for label in found:
        model = apps.get_model(label)
        assert any(
            isinstance(field, models.ForeignKey | models.ManyToManyField)
            and field.related_model is Client
            for field in model._meta.get_fields()
            if not field.auto_created or field.concrete
        )


def test_each_declared_model_exists_in_the_app_declaring_it():
    for entry in privacy.entries():
        for label in entry.client_models:
            assert label.split(".")[0] == entry.app_label
            apps.get_model(label)


def test_every_account_owned_model_goes_in_the_account_export():
    owned = {model for model in apps.get_models() if issubclass(model, AccountOwned)}
    # Exports are left out: inside the next export they would only repeat what it holds. The
    # outcomes of a phone's replayed writes are a technical record, purged after a month.
    assert owned - set(privacy.account_models()) == {AccountExport, ListExport, ReplayedRequest}


def test_entries_come_in_the_dependency_order_and_erase_the_other_way():
    labels = [entry.app_label for entry in privacy.entries()]
    assert labels == ["catalog", "clients", "visits", "agenda", "gallery", "billing", "business"]
    assert [e.app_label for e in privacy.entries_erasing_first()] == labels[::-1]


def test_only_visits_keep_accounting_records():
    keeping = [entry.app_label for entry in privacy.entries() if entry.keeps_accounting_records]
    assert keeping == ["visits"]


@pytest.mark.django_db
def test_the_client_export_has_every_section():
    with scopes_disabled():
        client = ClientFactory()
        sections = set(privacy.client_sections(client))
    assert sections == {
        "identity",
        "address",
        "preferences",
        "relationship",
        "consents",
        "consent_forms",
        "health",
        "hand_chart",
        "gifts",
        "visits",
        "reactions",
        "appointments",
        "reschedule_requests",
        "photos",
        "appointment_requests",
    }


@pytest.mark.django_db
def test_withdrawing_health_consent_erases_her_health_facts_in_every_app():
    with scopes_disabled():
        client = ClientFactory()
    with scope(account=client.account):
        ConsentEventFactory(client=client, kind=ConsentEvent.Kind.HEALTH, given=True)
        HealthProfileFactory(client=client, health_notes="Diabète")
        NailStateFactory(client=client, condition=NailState.Condition.MYCOSIS_SUSPECTED)
        chart = {
            "left_ring": {"length": "short", "condition": "mycosis_suspected", "remarks": "vu"},
            "right_thumb": {"length": "short", "condition": "healthy", "remarks": ""},
        }
        visit = VisitFactory(
            client=client,
            started_at=datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC),
            chart_snapshot=chart,
            allergy_warning="Allergique au latex",
            technique_notes="Gel, forme amande",
        )
        ReactionFactory(client=client, symptoms="Rougeurs")

        health_erase(client=client)

        visit.refresh_from_db()
        assert visit.allergy_warning == ""
        assert visit.chart_snapshot["left_ring"]["condition"] == ""
        assert visit.chart_snapshot["right_thumb"] == chart["right_thumb"]
        assert visit.technique_notes == "Gel, forme amande"  # not a health fact
        assert not client.reactions.exists()
        assert HealthProfile.objects.get(client=client).health_notes == ""
        assert NailState.objects.get(client=client).condition == ""
