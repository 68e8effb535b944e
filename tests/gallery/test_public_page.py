"""Her public page brings clients: her public services with prices and durations, her area,
her contact buttons, and each photo on a page of its own; nothing private shows there."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django_scopes import scopes_disabled

from clients.models import ConsentEvent
from clients.services import consent_record
from gallery.portfolio import portfolio_add
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    HealthProfileFactory,
    PhotoFactory,
    PortfolioFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(alice):
    with scopes_disabled():
        return PortfolioFactory(
            account=alice.account,
            slug="alice-ongles",
            title="Les ongles d'Alice",
            area="Lyon, Villeurbanne, 69100",
            phone="+33478000000",
            whatsapp=True,
            instagram="alice.ongles",
        )


def published(client, caption=""):
    with scopes_disabled():
        consent_record(
            client=client,
            kind=ConsentEvent.Kind.IMAGE_RIGHTS,
            given=True,
            method=ConsentEvent.Method.IN_APP,
            date=datetime.date.today(),
        )
        photo = PhotoFactory(client=client, caption=caption)
        portfolio_add(photo)
        return photo


def test_services_shown_publicly_with_price_and_duration_and_only_those(alice, portfolio):
    with scopes_disabled():
        ServiceFactory(account=alice.account, name="Pose gel", price=Decimal("45"), public=True)
        ServiceFactory(account=alice.account, name="Secret-tarif", public=False)
        ServiceFactory(account=alice.account, name="Old-service", public=True, archived=True)
    response = HttpClient().get("/p/alice-ongles/")
    page = response.content.decode()
    assert [s.name for s in response.context["services"]] == ["Pose gel"]
    assert "Pose gel" in page and "45,00" in page and "60 min" in page
    assert "Secret-tarif" not in page and "Old-service" not in page


def test_a_service_is_private_until_switched_on(alice_client, alice):
    response = alice_client.post(
        "/catalog/services/new/",
        {"name": "Manucure", "duration": 45, "price": "30", "colour": "#c2577f"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        from catalog.models import Service

        assert Service.objects.get(name="Manucure").public is False


def test_area_and_only_the_contact_buttons_she_filled_in(portfolio):
    page = HttpClient().get("/p/alice-ongles/").content.decode()
    assert "Lyon, Villeurbanne, 69100" in page
    assert 'href="tel:+33478000000"' in page
    assert 'href="https://wa.me/33478000000"' in page
    assert 'href="https://www.instagram.com/alice.ongles/"' in page
    assert 'href="mailto:' not in page  # no e-mail given: no button
    assert 'href="/p/alice-ongles/request/"' in page


def test_whatsapp_needs_the_switch(portfolio):
    with scopes_disabled():
        portfolio.whatsapp = False
        portfolio.save()
    page = HttpClient().get("/p/alice-ongles/").content.decode()
    assert "wa.me" not in page and 'href="tel:+33478000000"' in page


def test_the_settings_save_area_and_contacts(alice_client, alice, portfolio):
    data = {
        "enabled": "on",
        "slug": "alice-ongles",
        "title": "",
        "introduction": "",
        "area": "Lyon 1er–9e",
        "phone": "06 12 34 56 78",
        "whatsapp": "on",
        "email": "alice@example.com",
        "instagram": "@alice.ongles",
    }
    assert alice_client.post("/p/-/settings/", data).status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.area == "Lyon 1er–9e" and str(portfolio.phone) == "+33612345678"
    assert portfolio.instagram == "alice.ongles"
    bad = alice_client.post("/p/-/settings/", data | {"instagram": "not a name!", "phone": ""})
    errors = bad.context["form"].errors.as_data()
    assert errors["instagram"][0].code == "invalid_instagram"
    assert errors["phone"][0].code == "required"  # WhatsApp without a number


def test_a_photo_opens_on_its_own_page_with_previous_and_next(alice, portfolio):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoénie", last_name="Vasquier")
    photos = [published(zoe, caption=f"Baby boomer {n}") for n in range(3)]
    grid = HttpClient().get("/p/alice-ongles/").content.decode()
    shown = re.findall(r'href="/p/alice-ongles/photos/([0-9a-f-]+)/"', grid)
    assert len(shown) == 3 and '.webp"><img' not in grid  # the grid links to pages
    middle = HttpClient().get(f"/p/alice-ongles/photos/{shown[1]}/")
    page = middle.content.decode()
    assert middle.status_code == 200
    assert f'rel="prev" href="/p/alice-ongles/photos/{shown[0]}/"' in page
    assert f'rel="next" href="/p/alice-ongles/photos/{shown[2]}/"' in page
    assert f'href="/p/alice-ongles/#photo-{shown[1]}"' in page  # back to the grid, at it
    photo = next(p for p in photos if str(p.pk) == shown[1])
    assert f'alt="{photo.caption}"' in page
    assert f'src="/p/alice-ongles/{photo.pk}.webp"' in page
    assert "/static/js/lightbox.js" in page and "<script>" not in page
    first = HttpClient().get(f"/p/alice-ongles/photos/{shown[0]}/").content.decode()
    assert 'rel="prev"' not in first


def test_a_photo_page_refuses_what_is_not_on_the_public_page(alice, bob, portfolio):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account)
        private = PhotoFactory(client=zoe)  # not in the portfolio
        bobs_client = ClientFactory(account=bob.account)
    bobs = published(bobs_client)
    for photo in (private, bobs):
        assert HttpClient().get(f"/p/alice-ongles/photos/{photo.pk}/").status_code == 404
    assert HttpClient().post(f"/p/alice-ongles/photos/{private.pk}/").status_code == 405


def test_the_public_pages_leak_nothing_private(alice, bob, portfolio):
    with scopes_disabled():
        zoe = ClientFactory(
            account=alice.account, first_name="Zoénie", last_name="Vasquier", phone="+33699887766"
        )
        HealthProfileFactory(client=zoe, allergy_notes="Allergie-secrete")
        AppointmentFactory(client=zoe, notes="Rendez-vous-prive")
        ServiceFactory(account=bob.account, name="Bob-service", public=True)
        PortfolioFactory(account=bob.account, slug="bob-beauty")
    photo = published(zoe)
    pages = [
        HttpClient().get(url).content.decode()
        for url in (
            "/p/alice-ongles/",
            f"/p/alice-ongles/photos/{photo.pk}/",
            "/p/alice-ongles/request/",
        )
    ]
    for page in pages:
        for secret in ("Vasquier", "Zoénie", "699887766", "Allergie-secrete", "Rendez-vous-prive"):
            assert secret not in page
        assert "Bob-service" not in page and "Bob Beauty" not in page
