import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from catalog.models import Allergen, Product, Service
from clients.models import ConsentEvent, HealthProfile
from tests.factories import ClientFactory, ConsentEventFactory, UserFactory

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visit_with_a_product_she_is_allergic_to_needs_a_confirmation(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        account = user.account
        hema = Allergen.objects.get(code="hema")
        Service.objects.create(
            account=account, name="Pose gel complète", duration=90, price=Decimal("55")
        )
        gel = Product.objects.create(
            account=account, brand="Ongle Étoile", name="Builder gel", shade="Nude 02"
        )
        gel.allergens.set([hema])
        Product.objects.create(account=account, brand="Lumi", name="Top coat")
        zoe = ClientFactory(account=account, first_name="Zoé", last_name="Martin")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        HealthProfile.objects.create(account=account, client=zoe, allergen_ids=[hema.pk])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()
    page.goto(f"{live_server.url}/clients/{zoe.pk}/")
    page.get_by_role("button", name="Nouvelle visite").click()

    page.locator("label.service-chip", has_text="Pose gel complète").click()
    page.get_by_label("Trouver un produit").fill("etoile")
    expect(page.get_by_role("checkbox", name=re.compile("^Lumi"))).to_have_count(0)
    page.get_by_role("checkbox", name=re.compile("^Ongle Étoile Builder gel")).check()
    page.get_by_label("Moyen de paiement").select_option("cash")
    page.get_by_role("button", name="Enregistrer la visite").click()

    # Saved without confirming: refused, the confirmation asked next to the product.
    warning = page.locator(".form-errors")
    expect(warning).to_contain_text("Ongle Étoile Builder gel Nude 02")
    expect(warning).to_contain_text("HEMA")
    screenshot("visit-allergy-warning")
    assert axe_violations() == []
    page.get_by_label(re.compile("use these products anyway|utiliser ces produits")).check()
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.get_by_role("button", name="Retour à la fiche").click()

    history = page.locator("#visits .visit-row").first
    expect(history).to_contain_text("Pose gel complète")
    expect(history).to_contain_text(re.compile(r"55,00\s€ · Espèces"))
    screenshot("visit-history")
    assert fits_the_phone()
