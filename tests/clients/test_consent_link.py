"""The consent form sent as a link: made from the card, signed on her own phone, once."""

import datetime
import re

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone
from django_scopes import scopes_disabled

from clients.models import ConsentEvent, ConsentLink, ConsentText, SignedConsent
from clients.services import consent_link_create
from nailpro.maintenance import maintenance_run
from nailpro.models import Throttle
from tests.factories import (
    ClientFactory,
    HealthProfileFactory,
    SignedConsentFactory,
    signature_data_url,
)

pytestmark = pytest.mark.django_db

ANSWERS = {
    "data_processing": "yes",
    "health": "yes",
    "reminders": "no",
    "marketing": "no",
    "image_rights": "yes",
}


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(
            account=alice.account,
            first_name="Zoé",
            last_name="Faure",
            phone="+33612345678",
            email="zoe@example.com",
            notes="Prefers mornings",
        )


def make_link(alice_client, client):
    """Make her link from the card as the technician does; return its path."""
    response = alice_client.post(f"/clients/{client.pk}/consent-form/send/")
    assert response.status_code == 302
    page = alice_client.get(response.headers["Location"]).content.decode()
    return re.search(r'value="http://testserver(/f/[^"]+/)"', page).group(1)


def sign(http, path, answers=ANSWERS, signature=None, text=None):
    data = {**answers, "signature": signature or signature_data_url()}
    if text is not None:
        data["text"] = text.pk
    return http.post(path, data)


def test_the_card_offers_to_send_the_form(alice_client, zoe):
    card = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert f'href="/clients/{zoe.pk}/consent-form/send/"' in card


def test_the_link_is_offered_by_copy_sms_whatsapp_and_e_mail(alice_client, zoe):
    path = make_link(alice_client, zoe)
    page = alice_client.get(f"/clients/{zoe.pk}/consent-form/send/").content.decode()
    assert "data-copy-target" in page and "/static/js/copy.js" in page
    assert 'href="sms:+33612345678?body=' in page
    assert 'href="https://wa.me/33612345678?text=' in page
    assert 'href="mailto:zoe@example.com?subject=' in page
    assert path.replace("/", "%2F") in page  # the link travels inside each message
    # Only the hash of the secret is stored.
    token = path.split("/")[2]
    with scopes_disabled():
        link = ConsentLink.objects.get(client=zoe)
    assert token not in (link.token_hash, str(link.pk)) and len(token) >= 40
    assert link.expires_at == link.created_at + datetime.timedelta(days=7)


def test_signed_with_a_drawn_stroke_it_lands_on_her_card_with_text_version_and_hash(
    alice, alice_client, zoe, client
):
    path = make_link(alice_client, zoe)
    visitor = HttpClient()  # her own phone: no account, no session of the technician

    form = visitor.get(path)
    page = form.content.decode()
    assert form.status_code == 200
    assert ConsentText.current("fr").title in page
    assert "Zoé" in page and "Alice Nails" in page
    assert "Faure" not in page and "Prefers mornings" not in page
    assert '<canvas class="signature-canvas"' in page

    response = sign(visitor, path, text=ConsentText.current("fr"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/f/signed/"
    assert visitor.get("/f/signed/").status_code == 200

    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
        events = list(zoe.consent_events.all())
        link = ConsentLink.objects.get(client=zoe)
        zoe.refresh_from_db()
        assert zoe.has_consent(ConsentEvent.Kind.HEALTH) is True
        assert zoe.has_consent(ConsentEvent.Kind.REMINDERS) is False
    # Exactly as on the technician's phone: same method, text version, hash and ledger.
    assert signed.method == ConsentEvent.Method.IN_APP
    assert (signed.text.language, signed.text.version) == ("fr", ConsentText.current("fr").version)
    assert signed.choices == {kind: answer == "yes" for kind, answer in ANSWERS.items()}
    assert signed.digest == signed.compute_digest() and signed.integrity_verified()
    assert sorted(e.kind for e in events) == sorted(ConsentEvent.Kind.values)
    assert all(e.form == signed and e.method == "in_app" for e in events)
    assert signed.recorded_by == alice  # the technician who sent the link
    assert link.used_at is not None and link.signed == signed

    card = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert signed.get_absolute_url() in card


def test_the_form_is_in_her_language(alice_client, zoe):
    english, french = ConsentText.current("en"), ConsentText.current("fr")
    # Her last form was in English: the link opens the English text, whatever the account's.
    SignedConsentFactory(client=zoe, text=english)
    path = make_link(alice_client, zoe)
    response = HttpClient().get(path)
    page = response.content.decode()
    assert english.title in page and '<html lang="en">' in page
    # A text of another language posted back is not taken: she signs what she was shown.
    sign(HttpClient(), path, text=french)
    with scopes_disabled():
        assert zoe.signed_consents.order_by("-signed_at").first().text == english


def test_the_link_works_once(alice_client, zoe):
    path = make_link(alice_client, zoe)
    assert sign(HttpClient(), path).status_code == 302
    again = HttpClient()
    assert again.get(path).status_code == 404
    assert sign(again, path).status_code == 404
    with scopes_disabled():
        assert SignedConsent.objects.filter(client=zoe).count() == 1


def test_an_expired_or_unknown_link_shows_the_same_page(alice_client, zoe):
    path = make_link(alice_client, zoe)
    used = make_link(alice_client, zoe)  # a new link replaces the first one
    sign(HttpClient(), used)
    expired = make_link(alice_client, zoe)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        pages = [HttpClient().get(p) for p in (path, used, expired, "/f/not-a-real-token/")]
        assert sign(HttpClient(), expired).status_code == 404
    assert {page.status_code for page in pages} == {404}
    bodies = {re.sub(r"[A-Za-z0-9]{64}", "<csrf>", page.content.decode()) for page in pages}
    assert len(bodies) == 1  # nothing tells which of the four it was
    with scopes_disabled():
        assert SignedConsent.objects.filter(client=zoe).count() == 1


def test_a_bad_signature_is_refused_and_the_link_still_works(alice_client, zoe):
    path = make_link(alice_client, zoe)
    visitor = HttpClient()
    response = sign(visitor, path, signature="data:image/png;base64,not base64!")
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["signature"][0].code
    assert sign(visitor, path).status_code == 302


def test_the_page_shows_no_health_data(alice_client, alice, zoe):
    with scopes_disabled():
        HealthProfileFactory(client=zoe, allergy_notes="Itchy-secret-note")
    path = make_link(alice_client, zoe)
    page = HttpClient().get(path).content.decode()
    assert "Itchy-secret-note" not in page
    assert "zoe@example.com" not in page and "612345678" not in page


def test_guessing_links_is_rate_limited_per_address(alice_client, zoe):
    path = make_link(alice_client, zoe)
    visitor = HttpClient(REMOTE_ADDR="203.0.113.9")
    statuses = [visitor.get(f"/f/guess-{n}/").status_code for n in range(30)]
    assert set(statuses) == {404}
    # Over the limit even the right link is refused to this address, not to another one.
    assert visitor.get(path).status_code == 429
    assert HttpClient(REMOTE_ADDR="203.0.113.10").get(path).status_code == 200
    # The address is kept hashed.
    assert not Throttle.objects.filter(key__contains="203.0.113").exists()


def test_bobs_technician_cannot_make_a_link_for_alices_client(client, bob, zoe):
    client.force_login(bob)
    assert client.post(f"/clients/{zoe.pk}/consent-form/send/").status_code == 404
    assert client.get(f"/clients/{zoe.pk}/consent-form/send/").status_code == 404
    with scopes_disabled():
        assert not ConsentLink.objects.exists()


def test_the_send_page_refuses_other_methods(alice_client, zoe):
    assert alice_client.put(f"/clients/{zoe.pk}/consent-form/send/").status_code == 405


def test_old_links_are_purged(alice, zoe):
    with scopes_disabled():
        link, _token = consent_link_create(client=zoe)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        maintenance_run()  # expired, still shown as such on her card for a while
    with scopes_disabled():
        assert ConsentLink.objects.filter(pk=link.pk).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=22)):
        maintenance_run()
    with scopes_disabled():
        assert not ConsentLink.objects.filter(pk=link.pk).exists()
