"""The consent form: signed on the phone with her finger, or on paper; viewed, checked, printed."""

import base64
import datetime
import hashlib
import io
import json

import pytest
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scopes_disabled
from PIL import Image

from clients.models import ConsentEvent, ConsentText, HealthProfile, SignedConsent
from clients.services import client_delete
from nailpro.models import User
from tests.factories import (
    PASSWORD,
    ClientFactory,
    ConsentEventFactory,
    SignedConsentFactory,
    image_bytes,
    signature_data_url,
)

pytestmark = pytest.mark.django_db

KINDS = ConsentEvent.Kind.values
ANSWERS = {
    "data_processing": "yes",
    "health": "yes",
    "reminders": "yes",
    "marketing": "no",
    "image_rights": "yes",
}


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé", last_name="Faure")


def current(language="fr"):
    return ConsentText.current(language)


def sign(http, client, answers=ANSWERS, signature=None, text=None, **extra):
    data = {
        **answers,
        "text": (text or current()).pk,
        "signature": signature_data_url() if signature is None else signature,
        **extra,
    }
    response = http.post(f"/clients/{client.pk}/consent-form/", data)
    # Signed on the phone in kiosk mode: the technician takes it back (no PIN: her password).
    http.post("/accounts/kiosk/unlock/", {"secret": PASSWORD})
    return response


def test_the_card_offers_the_form_on_the_phone_and_on_paper(alice_client, zoe):
    page = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert f'href="/clients/{zoe.pk}/consent-form/"' in page
    assert f'href="/clients/{zoe.pk}/consent-form/print/"' in page
    assert f'href="/clients/{zoe.pk}/consent-form/paper/"' in page


def test_the_form_shows_each_choice_unticked_and_a_signature_pad(alice_client, zoe):
    response = alice_client.get(f"/clients/{zoe.pk}/consent-form/")
    page = response.content.decode()
    assert response.status_code == 200
    text = current("fr")  # the account's language
    assert text.title in page
    for kind in KINDS:
        assert escape(getattr(text, kind)) in page
        assert f'name="{kind}" value="yes"' in page
    assert "checked" not in page  # nothing answered for her in advance
    assert '<canvas class="signature-canvas" role="img" aria-labelledby="signature-label"' in page
    assert "/static/js/signature.js" in page
    assert "<script>" not in page and "style=" not in page  # strict CSP


def test_the_form_is_shown_in_her_language(alice_client, zoe):
    english = alice_client.get(f"/clients/{zoe.pk}/consent-form/?language=en").content.decode()
    assert current("en").title in english
    assert current("fr").title not in english
    assert 'lang="en"' in english

    sign(alice_client, zoe, text=current("en"))

    # Next time her form opens in the language she signed in, not the account's.
    again = alice_client.get(f"/clients/{zoe.pk}/consent-form/").content.decode()
    assert current("en").title in again


def test_signing_updates_the_ledger_with_the_text_version_and_hash(
    alice, alice_client, zoe, media_root
):
    response = sign(alice_client, zoe)

    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
        events = list(zoe.consent_events.order_by("kind"))
        zoe.refresh_from_db()
        assert zoe.has_consent(ConsentEvent.Kind.HEALTH) is True
        assert zoe.has_consent(ConsentEvent.Kind.MARKETING) is False
    assert response.status_code == 302
    # Signed in kiosk mode: the phone goes back to her technician, then to the signed form.
    assert response.headers["Location"] == "/accounts/kiosk/unlock/"
    assert signed.choices == {kind: answer == "yes" for kind, answer in ANSWERS.items()}
    assert (signed.text.language, signed.text.version) == ("fr", 1)
    assert signed.method == ConsentEvent.Method.IN_APP
    assert signed.signed_on == timezone.localdate()
    assert signed.recorded_by == alice
    assert len(signed.digest) == 64 and signed.digest == signed.compute_digest()
    assert signed.integrity_verified()
    # One ledger entry per choice, each pointing at the signed form (text version and hash).
    assert sorted(event.kind for event in events) == sorted(KINDS)
    for event in events:
        assert event.form == signed
        assert event.given is signed.choices[event.kind]
        assert (event.method, event.date) == ("in_app", timezone.localdate())
    # The signature is a real PNG, stored under her account's folder, not in a public place.
    stored = media_root / signed.signature.name
    assert signed.signature.name.startswith(f"accounts/{alice.account_id}/clients/{zoe.pk}/")
    assert Image.open(stored).format == "PNG"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == signed.signature_sha256

    card = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert signed.get_absolute_url() in card
    assert f"{signed.digest[:12]}…" in card  # each ledger entry names its form's hash


def test_the_consents_it_gives_are_in_force(alice_client, zoe):
    """Health data can be saved once the signed form gives the consent, as with any entry."""
    with scopes_disabled():
        refused = HealthProfile(account=zoe.account, client=zoe, medications="Isotrétinoïne")
        with pytest.raises(Exception, match="consent"):
            refused.full_clean()

    sign(alice_client, zoe)

    response = alice_client.post(f"/clients/{zoe.pk}/health/", {"medications": "Isotrétinoïne"})
    assert response.status_code == 302
    with scopes_disabled():
        assert HealthProfile.objects.get(client=zoe).medications == "Isotrétinoïne"


def test_the_hash_is_computed_canonically(alice_client, zoe):
    sign(alice_client, zoe)
    with scopes_disabled():
        signed = SignedConsent.objects.select_related("text").get(client=zoe)
    text = signed.text
    content = {
        "choices": dict(sorted(signed.choices.items())),
        "client": str(zoe.pk),
        "method": "in_app",
        "signature_sha256": signed.signature_sha256,
        "signed_at": signed.signed_at.astimezone(datetime.UTC).isoformat(),
        "signed_on": signed.signed_on.isoformat(),
        "text": {
            "body": text.body,
            "language": "fr",
            "statements": {kind: getattr(text, kind) for kind in KINDS},
            "title": text.title,
            "version": 1,
        },
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert signed.digest == hashlib.sha256(canonical.encode()).hexdigest()


def test_a_new_wording_is_a_new_version_and_old_signatures_keep_theirs(alice_client, zoe):
    sign(alice_client, zoe)
    version_1 = current("fr")
    old_body = version_1.body

    version_2 = version_1.revise(body="Nouvelle introduction, plus courte.")

    assert (version_2.language, version_2.version) == ("fr", 2)
    assert current("fr") == version_2
    version_1.refresh_from_db()
    assert version_1.body == old_body
    with pytest.raises(ValueError):
        version_1.save()  # a signed wording is never edited in place

    sign(alice_client, zoe, text=version_2)
    with scopes_disabled():
        old, new = SignedConsent.objects.filter(client=zoe).order_by("signed_at", "text__version")
    assert (old.text.version, new.text.version) == (1, 2)
    assert old.integrity_verified() and new.integrity_verified()
    old_page = alice_client.get(old.get_absolute_url()).content.decode()
    assert escape(old_body) in old_page
    assert "Nouvelle introduction" not in old_page
    assert "Nouvelle introduction" in alice_client.get(new.get_absolute_url()).content.decode()


def test_staff_changing_the_text_in_the_admin_make_a_new_version(client):
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)
    version_1 = current("en")
    data = {
        "title": version_1.title,
        "body": "A clearer introduction.",
        **{kind: getattr(version_1, kind) for kind in KINDS},
    }

    response = client.post(f"/admin/clients/consenttext/{version_1.pk}/change/", data)

    assert response.status_code == 302
    assert current("en").version == 2
    assert current("en").body == "A clearer introduction."
    version_1.refresh_from_db()
    assert version_1.body != "A clearer introduction."


def test_tampered_choices_break_the_hash_check_shown_on_the_form(english, alice_client, zoe):
    sign(alice_client, zoe)
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
    page = alice_client.get(signed.get_absolute_url()).content.decode()
    assert "Integrity verified" in page
    assert "Warning: this form was changed" not in page

    # Someone with database access turns her "no" to marketing into a "yes".
    with scopes_disabled():
        SignedConsent.objects.filter(pk=signed.pk).update(
            choices={**signed.choices, "marketing": True}
        )

    page = alice_client.get(signed.get_absolute_url()).content.decode()
    assert "Integrity verified" not in page
    assert "Warning: this form was changed after it was signed." in page


def test_a_replaced_signature_image_breaks_the_hash_check(english, alice_client, zoe, media_root):
    sign(alice_client, zoe)
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
    (media_root / signed.signature.name).write_bytes(image_bytes("PNG"))

    page = alice_client.get(signed.get_absolute_url()).content.decode()
    assert "Warning: this form was changed after it was signed." in page


def test_the_signed_form_shows_her_answers_signature_and_date(english, alice_client, zoe):
    sign(alice_client, zoe)
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
    page = alice_client.get(signed.get_absolute_url()).content.decode()
    signature_url = f"/clients/{zoe.pk}/consent-forms/{signed.pk}/signature/"
    assert f'src="{signature_url}"' in page
    assert signed.digest in page
    assert escape(current("fr").health) in page
    assert "/static/js/print.js" in page

    image = alice_client.get(signature_url)
    assert image["Content-Type"] == "image/png"
    assert set(image["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).format == "PNG"


def _data_url(raw, kind="image/png"):
    return f"data:{kind};base64,{base64.b64encode(raw).decode()}"


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("", "The signature box is empty"),
        (signature_data_url(stroke=None), "The signature box is empty"),  # a blank canvas
        (signature_data_url(stroke=((100, 100), (102, 101))), "The signature box is empty"),
        (_data_url(b"\x89PNG\r\n\x1a\n garbage"), "The signature could not be read"),
        ("data:image/png;base64,not base64!", "The signature could not be read"),
        (_data_url(image_bytes("JPEG"), "image/jpeg"), "The signature could not be read"),
        (_data_url(image_bytes("JPEG")), "The signature could not be read"),  # a JPEG as PNG
        (signature_data_url(size=(3000, 200)), "The signature is too large"),
        ("data:image/png;base64," + "A" * 1_500_000, "The signature is too large"),
    ],
)
def test_a_blank_or_bad_signature_is_refused_and_her_answers_kept(
    english, alice_client, zoe, signature, message
):
    response = sign(alice_client, zoe, signature=signature, text=current("en"))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert _checked(page, "id_marketing_1")  # her "no"
    assert _checked(page, "id_health_0")  # her "yes"
    with scopes_disabled():
        assert not SignedConsent.objects.exists()
        assert not ConsentEvent.objects.exists()


def _checked(page, input_id):
    start = page.index(f'id="{input_id}"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    return "checked" in tag


def test_a_missing_answer_is_refused_and_her_signature_kept(english, alice_client, zoe):
    answers = {kind: answer for kind, answer in ANSWERS.items() if kind != "image_rights"}
    drawn = signature_data_url()

    response = sign(alice_client, zoe, answers=answers, signature=drawn, text=current("en"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Answer yes or no." in page
    assert f'value="{drawn}"' in page  # drawn again by signature.js: she need not sign twice
    with scopes_disabled():
        assert not SignedConsent.objects.exists()


def test_a_blank_form_prints_the_same_text_with_empty_boxes(english, alice_client, zoe):
    response = alice_client.get(f"/clients/{zoe.pk}/consent-form/print/?language=en")

    page = response.content.decode()
    text = current("en")
    assert response.status_code == 200
    for kind in KINDS:
        assert escape(getattr(text, kind)) in page
    assert page.count('<span class="box" aria-hidden="true"></span>') == 2 * len(KINDS)
    assert "Signature:" in page
    assert "Text version 1" in page
    assert "Zoé Faure" in page
    assert alice_client.post(f"/clients/{zoe.pk}/consent-form/print/").status_code == 405


def test_a_paper_form_is_recorded_with_its_date_and_updates_the_ledger(alice_client, zoe):
    signed_on = timezone.localdate() - datetime.timedelta(days=3)
    data = {**ANSWERS, "text": current("en").pk, "signed_on": signed_on.isoformat()}

    response = alice_client.post(f"/clients/{zoe.pk}/consent-form/paper/", data)

    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
        events = list(zoe.consent_events.all())
        zoe.refresh_from_db()
        assert zoe.has_consent(ConsentEvent.Kind.HEALTH)
    assert response.headers["Location"] == signed.get_absolute_url()
    assert (signed.method, signed.signed_on, signed.text.language) == ("paper", signed_on, "en")
    assert not signed.signature and signed.integrity_verified()
    assert len(events) == len(KINDS)
    assert {(e.method, e.date, e.form_id) for e in events} == {("paper", signed_on, signed.pk)}
    page = alice_client.get(signed.get_absolute_url()).content.decode()
    assert "/signature/" not in page


def test_a_paper_form_cannot_be_dated_in_the_future_or_before_a_later_answer(
    english, alice_client, zoe
):
    url = f"/clients/{zoe.pk}/consent-form/paper/"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {**ANSWERS, "text": current("fr").pk, "signed_on": tomorrow.isoformat()}
    assert "This date is in the future." in alice_client.post(url, data).content.decode()

    with scopes_disabled():
        ConsentEventFactory(client=zoe, kind="marketing", given=False, date=timezone.localdate())
    last_year = timezone.localdate() - datetime.timedelta(days=365)
    response = alice_client.post(url, {**data, "signed_on": last_year.isoformat()})

    page = response.content.decode()
    assert response.status_code == 200
    assert "A later answer is already recorded" in page
    assert _checked(page, "id_marketing_1")
    with scopes_disabled():
        assert not SignedConsent.objects.exists()
        assert zoe.consent_events.count() == 1


def test_deleting_her_removes_the_forms_and_signature_files(
    alice, zoe, media_root, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        SignedConsentFactory(client=zoe)
        SignedConsentFactory(client=zoe, signature=None, signed_on=timezone.localdate())
        assert len(list(media_root.rglob("*.png"))) == 1
        with django_capture_on_commit_callbacks(execute=True):
            client_delete(client=zoe)
        assert not SignedConsent.objects.exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_another_account_s_forms_answer_404(alice_client, bob):
    with scopes_disabled():
        signed = SignedConsentFactory(client=ClientFactory(account=bob.account))
    client_id = signed.client_id
    for url in (
        f"/clients/{client_id}/consent-form/",
        f"/clients/{client_id}/consent-form/print/",
        f"/clients/{client_id}/consent-form/paper/",
        f"/clients/{client_id}/consent-forms/{signed.pk}/",
        f"/clients/{client_id}/consent-forms/{signed.pk}/signature/",
    ):
        assert alice_client.get(url).status_code == 404, url
    response = sign(alice_client, signed.client)
    assert response.status_code == 404


def test_her_form_cannot_be_reached_through_another_client(alice, alice_client, zoe):
    with scopes_disabled():
        other = ClientFactory(account=alice.account)
        signed = SignedConsentFactory(client=zoe)
    url = f"/clients/{other.pk}/consent-forms/{signed.pk}/"
    assert alice_client.get(url).status_code == 404


def test_staff_see_signed_forms_in_the_admin_without_the_signature(client, zoe):
    with scopes_disabled():
        signed = SignedConsentFactory(client=zoe)
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)

    listing = client.get("/admin/clients/signedconsent/")
    page = client.get(f"/admin/clients/signedconsent/{signed.pk}/change/").content.decode()

    assert listing.status_code == 200
    assert signed.digest in page
    assert signed.signature.name not in page
    assert "/signature/" not in page
    with scopes_disabled():
        assert zoe.access_logs.filter(action="staff_viewed").count() == 1
