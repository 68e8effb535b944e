"""Erasure at her request: nothing personal left anywhere, the accounting lines kept."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from clients.models import Client, ConsentEvent, SignedConsent
from tests.factories import (
    ClientFactory,
    ConsentEventFactory,
    GiftFactory,
    HealthProfileFactory,
    NailStateFactory,
    PhotoFactory,
    SignedConsentFactory,
    VisitFactory,
)
from visits.models import Visit

pytestmark = pytest.mark.django_db

PERSONAL = [
    "Zoé",
    "Secrète",
    "0698765432",
    "33698765432",
    "zoe.secrete@example.com",
    "Isotrétinoïne",
    "Code 4B21",
    "Mix corail",
]


def database_dump():
    out = io.StringIO()
    with scopes_disabled():
        call_command("dumpdata", "clients", "visits", "gallery", stdout=out)
    return out.getvalue()


def test_erasure_leaves_nothing_personal_and_keeps_revenue(
    alice, alice_client, media_root, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        zoe = ClientFactory(
            account=alice.account,
            first_name="Zoé",
            last_name="Secrète",
            phone="+33698765432",
            email="zoe.secrete@example.com",
            access_notes="Code 4B21",
            with_photo=True,
        )
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        signed = SignedConsentFactory(client=zoe)  # her consent form, signature image included
        HealthProfileFactory(client=zoe, medications="Isotrétinoïne")
        NailStateFactory(client=zoe)
        GiftFactory(client=zoe)
        visit = VisitFactory(client=zoe, total=Decimal("55.00"), technique_notes="Mix corail")
        PhotoFactory(client=zoe, visit=visit)
        revenue = Visit.objects.aggregate(total=Sum("total"))["total"]
    files_before = [p.name for p in media_root.rglob("*") if p.is_file()]
    assert len(files_before) == 5

    page = alice_client.get(f"/clients/{zoe.pk}/erase/").content.decode()
    with translation.override(zoe.account.language):  # what stays, in her technician's words
        assert gettext("the date, services, amount and payment method of each visit.") in page
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(f"/clients/{zoe.pk}/erase/").status_code == 302

    dump = database_dump()
    for value in PERSONAL:
        assert value not in dump, value
    for name in files_before:
        assert name not in dump
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    assert signed.digest not in dump
    with scopes_disabled():
        assert not SignedConsent.objects.exists()
        assert Visit.objects.aggregate(total=Sum("total"))["total"] == revenue
        kept = Visit.objects.get()
        assert (kept.total, kept.payment_method) == (Decimal("55.00"), "card")
        assert Client.objects.filter(pk=zoe.pk).exists()
