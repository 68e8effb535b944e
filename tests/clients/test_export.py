"""Her data, exported as a ZIP: everything the card shows, nothing of anyone else."""

import io
import json
import zipfile

import pytest
from django_scopes import scopes_disabled

from clients.models import AccessLog, ConsentEvent
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

pytestmark = pytest.mark.django_db


def test_the_export_holds_her_whole_card_and_logs_it(alice, alice_client):
    with scopes_disabled():
        zoe = ClientFactory(
            account=alice.account, first_name="Zoé", last_name="Martin", email="zoe@example.com"
        )
        other = ClientFactory(account=alice.account, first_name="Inès", last_name="Autre")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        HealthProfileFactory(client=zoe, medications="Isotrétinoïne")
        NailStateFactory(client=zoe, finger="left_ring", condition="lifting")
        GiftFactory(client=zoe, description="Crème karité")
        VisitFactory(client=zoe, technique_notes="Mix nude")
        VisitFactory(client=other, technique_notes="Pas pour Zoé")
        signed = SignedConsentFactory(client=zoe)
        SignedConsentFactory(client=other)
        photo = PhotoFactory(client=zoe, caption="Après pose")
        PhotoFactory(client=other, caption="Photo d'Inès")

    response = alice_client.get(f"/clients/{zoe.pk}/export/")

    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["identity"]["first_name"] == "Zoé"
    assert data["identity"]["email"] == "zoe@example.com"
    assert data["health"]["medications"] == "Isotrétinoïne"
    assert data["hand_chart"]["left_ring"]["condition"] == "lifting"
    assert [gift["description"] for gift in data["gifts"]] == ["Crème karité"]
    assert [visit["technique_notes"] for visit in data["visits"]] == ["Mix nude"]
    assert {event["kind"] for event in data["consents"]} == set(ConsentEvent.Kind.values)
    assert {event["form"] for event in data["consents"]} == {str(signed.pk), None}
    [form] = data["consent_forms"]
    assert form["choices"] == signed.choices
    assert (form["text"]["language"], form["text"]["version"]) == ("fr", 1)
    assert form["text"]["statements"]["health"] == signed.text.health
    assert (form["sha256"], form["integrity_verified"]) == (signed.digest, True)
    with signed.signature.open("rb") as stored:
        assert archive.read(form["signature_file"]) == stored.read()
    assert [n for n in archive.namelist() if n.startswith("consents/")] == [form["signature_file"]]
    assert [p["caption"] for p in data["photos"]] == ["Après pose"]
    assert f"photos/{photo.pk}.webp" in archive.namelist()
    assert json.loads(archive.read("schema.json"))["title"] == "NailPro client export"
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert "Inès".encode() not in everything
    assert "Pas pour Zoé".encode() not in everything
    assert "Zoé Martin" in archive.read("summary.html").decode()
    with scopes_disabled():
        assert AccessLog.objects.filter(client=zoe, action="exported").count() == 1


def test_another_account_s_client_cannot_be_exported(alice_client, bob):
    with scopes_disabled():
        stranger = ClientFactory(account=bob.account)
    assert alice_client.get(f"/clients/{stranger.pk}/export/").status_code == 404
