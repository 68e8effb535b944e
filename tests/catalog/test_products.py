"""The products of the catalog: searched, filtered, paginated, edited with their allergens."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scopes_disabled

from catalog.models import Allergen, Product
from nailpro.models import User
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

GOOD = {"brand": "Ongle Étoile", "name": "Base rubber", "category": "base", "shade": "Nude 03"}


def listed(response):
    return [str(product) for product in response.context["page"].object_list]


def error_code(response, field):
    return response.context["form"].errors.as_data()[field][0].code


@pytest.fixture
def hema():
    return Allergen.objects.get(code="hema")


@pytest.fixture
def tpo():
    return Allergen.objects.get(code="tpo")


@pytest.fixture
def products(alice, bob, hema, tpo):
    with scopes_disabled():
        return {
            "etoile": ProductFactory(
                account=alice.account,
                brand="Ongle Étoile",
                name="Gel de construction",
                category="builder_gel",
                shade="Clear",
                allergens=[hema, tpo],
            ),
            "petale": ProductFactory(
                account=alice.account,
                brand="Lumière Gel",
                name="Gel couleur",
                category="colour_gel",
                shade="Pétale de rose",
                allergens=[hema],
            ),
            "oil": ProductFactory(
                account=alice.account,
                brand="Belle Main",
                name="Huile cuticules",
                category="care",
                shade="",
            ),
            "bobs": ProductFactory(account=bob.account, brand="Ongle Étoile", name="Chez Bob"),
        }


def test_it_lists_the_account_s_products_with_their_allergen_badges(alice_client, products):
    response = alice_client.get("/catalog/products/")

    assert response.status_code == 200
    assert listed(response) == [
        "Belle Main Huile cuticules",
        "Lumière Gel Gel couleur Pétale de rose",
        "Ongle Étoile Gel de construction Clear",
    ]
    page = response.content.decode()
    assert "Chez Bob" not in page
    badges = {
        str(product): len(product.allergens.all()) for product in response.context["products"]
    }
    assert badges["Ongle Étoile Gel de construction Clear"] == 2
    assert '<span class="badge">HEMA</span>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("etoile", ["Ongle Étoile Gel de construction Clear"]),
        ("ÉTOILE", ["Ongle Étoile Gel de construction Clear"]),
        ("petale", ["Lumière Gel Gel couleur Pétale de rose"]),
        ("lumiere rose", ["Lumière Gel Gel couleur Pétale de rose"]),
        ("  huile  ", ["Belle Main Huile cuticules"]),
        (
            "gel",
            ["Lumière Gel Gel couleur Pétale de rose", "Ongle Étoile Gel de construction Clear"],
        ),
        ("bob", []),
        ("nothing like it", []),
    ],
)
def test_search_ignores_accents_and_case_on_brand_name_and_shade(
    alice_client, products, query, expected
):
    assert listed(alice_client.get("/catalog/products/", {"q": query})) == expected


def test_it_filters_by_category(alice_client, products):
    response = alice_client.get("/catalog/products/", {"category": "colour_gel"})
    assert listed(response) == ["Lumière Gel Gel couleur Pétale de rose"]
    both = alice_client.get("/catalog/products/", {"category": "colour_gel", "q": "etoile"})
    assert listed(both) == []


def test_a_bad_category_is_explained_not_fatal(alice_client, products):
    response = alice_client.get("/catalog/products/", {"category": "nope", "q": "etoile"})

    assert response.status_code == 200
    assert error_code(response, "category") == "invalid_choice"
    assert listed(response) == ["Ongle Étoile Gel de construction Clear"]


def test_htmx_search_returns_only_the_results(alice_client, products):
    response = alice_client.get(
        "/catalog/products/",
        {"q": "petale"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="product-results",
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="product-results"')
    assert "Pétale de rose" in page
    assert "Gel de construction" not in page
    assert "<html" not in page


def test_the_search_form_searches_as_she_types_and_without_javascript(alice_client):
    page = alice_client.get("/catalog/products/").content.decode()

    assert 'method="get" action="/catalog/products/"' in page
    assert 'hx-get="/catalog/products/"' in page
    assert "input changed delay:250ms" in page
    assert 'hx-target="#product-results"' in page


def test_archived_products_come_last_in_their_own_group(alice, alice_client, products):
    with scopes_disabled():
        ProductFactory(account=alice.account, brand="Rosa Pro", name="Gants latex", archived=True)

    response = alice_client.get("/catalog/products/")

    assert listed(response)[-1] == "Rosa Pro Gants latex"
    assert [str(p) for p in response.context["archived"]] == ["Rosa Pro Gants latex"]
    assert "Rosa Pro Gants latex" not in [str(p) for p in response.context["products"]]


def test_the_list_paginates_by_25(alice, alice_client):
    with scopes_disabled():
        ProductFactory.create_batch(30, account=alice.account)

    first = alice_client.get("/catalog/products/")
    second = alice_client.get("/catalog/products/", {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert 'href="?page=2"' in first.content.decode()


def count_queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/catalog/products/", params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "gel", "category": "colour_gel"}])
def test_the_list_runs_a_fixed_number_of_queries(alice, alice_client, hema, tpo, params):
    with scopes_disabled():
        ProductFactory.create_batch(5, account=alice.account, allergens=[hema, tpo])
        ProductFactory(account=alice.account, archived=True, allergens=[hema])
    few = count_queries(alice_client, **params)
    with scopes_disabled():
        ProductFactory.create_batch(95, account=alice.account, allergens=[hema, tpo])
    many = count_queries(alice_client, **params)
    print(f"product list: {few} queries with 5 products, {many} with 100 ({params})")
    assert few == many


def test_it_creates_a_product_with_its_allergens(alice, alice_client, hema, tpo):
    response = alice_client.post(
        "/catalog/products/new/", {**GOOD, "allergens": [hema.pk, tpo.pk], "notes": "Tient bien"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/catalog/products/"
    with scopes_disabled():
        product = Product.objects.get()
    assert product.account == alice.account
    assert set(product.allergens.all()) == {hema, tpo}
    assert product.search_text == "ongle etoile base rubber nude 03"


def test_it_edits_a_product(alice, alice_client, hema, tpo):
    with scopes_disabled():
        product = ProductFactory(account=alice.account, allergens=[hema, tpo])

    form = alice_client.get(f"/catalog/products/{product.pk}/")
    response = alice_client.post(
        f"/catalog/products/{product.pk}/", {**GOOD, "shade": "Lait", "allergens": [tpo.pk]}
    )

    assert form.status_code == 200
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.shade == "Lait"
    assert list(product.allergens.all()) == [tpo]
    assert "lait" in product.search_text


def test_the_form_offers_active_allergens_and_keeps_a_retired_one_already_there(
    alice, alice_client, hema
):
    latex = Allergen.objects.get(code="latex")
    latex.is_active = False
    latex.save()
    with scopes_disabled():
        gloves = ProductFactory(account=alice.account, allergens=[latex])

    new_choices = alice_client.get("/catalog/products/new/").context["form"]["allergens"]
    edit_choices = alice_client.get(f"/catalog/products/{gloves.pk}/").context["form"]["allergens"]

    new_codes = {allergen.code for allergen in new_choices.field.queryset}
    assert "hema" in new_codes
    assert "latex" not in new_codes
    assert "latex" in {allergen.code for allergen in edit_choices.field.queryset}
    assert 'type="checkbox"' in str(edit_choices)


def test_a_retired_allergen_cannot_be_added_to_a_new_product(alice_client):
    latex = Allergen.objects.get(code="latex")
    latex.is_active = False
    latex.save()

    response = alice_client.post("/catalog/products/new/", {**GOOD, "allergens": [latex.pk]})

    assert response.status_code == 200
    assert error_code(response, "allergens") == "invalid_choice"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("brand", "", "required"), ("name", "", "required"), ("category", "paint", "invalid_choice")],
)
def test_bad_input_is_explained_and_nothing_is_saved(alice_client, field, value, code):
    response = alice_client.post("/catalog/products/new/", {**GOOD, field: value})

    assert response.status_code == 200
    assert error_code(response, field) == code
    with scopes_disabled():
        assert not Product.objects.exists()


def test_it_archives_and_restores_a_product_with_a_message(alice, alice_client):
    with scopes_disabled():
        product = ProductFactory(account=alice.account, brand="Rosa Pro", name="Gants latex")

    archived = alice_client.post(f"/catalog/products/{product.pk}/archive/", follow=True)
    product.refresh_from_db()
    assert product.archived is True
    assert archived.redirect_chain == [("/catalog/products/", 302)]
    assert [m.level_tag for m in archived.context["messages"]] == ["success"]
    assert [str(p) for p in archived.context["archived"]] == ["Rosa Pro Gants latex"]

    alice_client.post(f"/catalog/products/{product.pk}/restore/")
    product.refresh_from_db()
    assert product.archived is False
    assert product.search_text == "rosa pro gants latex"


def test_archive_rejects_get(alice, alice_client):
    with scopes_disabled():
        product = ProductFactory(account=alice.account)
    assert alice_client.get(f"/catalog/products/{product.pk}/archive/").status_code == 405


def test_it_checks_the_owner(alice_client, products):
    bobs = products["bobs"]

    assert alice_client.get(f"/catalog/products/{bobs.pk}/").status_code == 404
    assert alice_client.post(f"/catalog/products/{bobs.pk}/", GOOD).status_code == 404
    assert alice_client.post(f"/catalog/products/{bobs.pk}/archive/").status_code == 404
    bobs.refresh_from_db()
    assert (bobs.name, bobs.archived) == ("Chez Bob", False)


def test_it_handles_a_bad_uuid(alice_client):
    assert alice_client.get("/catalog/products/not-a-uuid/").status_code == 404


def test_an_empty_list_says_what_to_do(alice_client):
    page = alice_client.get("/catalog/products/").content.decode()
    assert 'href="/catalog/products/new/"' in page


def test_staff_find_products_in_the_admin(alice, products):
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client = Client()
    client.force_login(staff)

    found = client.get("/admin/catalog/product/", {"q": "petale"})
    care = client.get("/admin/catalog/product/", {"category__exact": "care"})

    assert found.status_code == 200
    assert [p.name for p in found.context["cl"].result_list] == ["Gel couleur"]
    assert [p.name for p in care.context["cl"].result_list] == ["Huile cuticules"]


def test_allergen_badges_use_short_names():
    names = {allergen.code: allergen for allergen in Allergen.objects.all()}
    with translation.override("fr"):
        assert names["hema"].short_name == "HEMA"
        assert names["latex"].short_name == "Latex"
        assert names["dbp"].short_name == "DBP"
        assert names["other-acrylates"].short_name == "Autres (méth)acrylates"
        assert names["camphor"].short_name == "Camphre"
    with translation.override("en"):
        assert names["tpo-l"].short_name == "TPO-L"
        assert names["colophony"].short_name == "Colophony"
