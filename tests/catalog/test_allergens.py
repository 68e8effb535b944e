"""The allergen reference list: shipped by a migration, named in the reader's language."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from catalog.models import Allergen
from nailpro.models import User

pytestmark = pytest.mark.django_db

shipping = importlib.import_module("catalog.migrations.0002_common_allergens")


@pytest.fixture
def historical_apps():
    """Return the app registry as the shipping migration sees it, with its frozen models."""
    loader = MigrationLoader(connection)
    return loader.project_state(("catalog", "0002_common_allergens")).apps


EXPECTED_CODES = {
    "hema",
    "di-hema-tmhdc",
    "hpma",
    "iboa",
    "tpo",
    "tpo-l",
    "ethyl-cyanoacrylate",
    "mma",
    "ema",
    "thfma",
    "hea",
    "other-acrylates",
    "benzoyl-peroxide",
    "formaldehyde",
    "formaldehyde-resin",
    "toluene",
    "dbp",
    "camphor",
    "nickel",
    "latex",
    "fragrance",
    "colophony",
    "lanolin",
    "parabens",
}


def test_the_common_nail_allergens_ship_with_the_database():
    codes = set(Allergen.objects.values_list("code", flat=True))

    assert codes >= EXPECTED_CODES
    assert Allergen.objects.filter(is_active=False).count() == 0


def test_every_shipped_allergen_is_complete_in_both_languages():
    """Each row has both names and descriptions, a known family and its own place in the list."""
    families = set(Allergen.Family.values)
    rows = list(Allergen.objects.all())

    assert len(rows) == len(shipping.ALLERGENS)
    for allergen in rows:
        assert allergen.name_fr.strip(), allergen.code
        assert allergen.name_en.strip(), allergen.code
        assert allergen.description_fr.strip(), allergen.code
        assert allergen.description_en.strip(), allergen.code
        assert allergen.family in families, allergen.code
    assert len({a.name_fr for a in rows}) == len(rows)
    assert len({a.name_en for a in rows}) == len(rows)
    assert len({a.order for a in rows}) == len(rows)


def test_shipped_names_are_the_ones_technicians_read():
    latex = Allergen.objects.get(code="latex")
    fragrance = Allergen.objects.get(code="fragrance")

    assert latex.name_fr == "Latex (caoutchouc naturel)"
    assert latex.name_en == "Latex (natural rubber)"
    assert (fragrance.name_fr, fragrance.name_en) == ("Parfum", "Fragrance")
    assert Allergen.objects.get(code="hema").family == Allergen.Family.ACRYLATES
    assert Allergen.objects.get(code="nickel").family == Allergen.Family.METALS


def test_codes_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Allergen.objects.create(code="hema", name_fr="Doublon", name_en="Duplicate")


def test_the_shipping_migration_can_run_again_without_duplicating(historical_apps):
    hema = Allergen.objects.get(code="hema")
    hema.name_en = "Typo"
    hema.is_active = False
    hema.save()
    count = Allergen.objects.count()

    shipping.add_allergens(historical_apps, schema_editor=None)

    hema.refresh_from_db()
    assert Allergen.objects.count() == count
    assert hema.name_en == "HEMA (2-hydroxyethyl methacrylate)"
    assert hema.is_active is False, "staff's choice to retire an allergen is kept"


def test_reversing_the_shipping_migration_removes_only_its_rows(historical_apps):
    own = Allergen.objects.create(code="staff-added", name_fr="Ajout", name_en="Added")

    shipping.remove_allergens(historical_apps, schema_editor=None)

    assert list(Allergen.objects.all()) == [own]


def test_the_name_follows_the_active_language():
    latex = Allergen.objects.get(code="latex")

    with translation.override("fr"):
        assert latex.name == "Latex (caoutchouc naturel)"
        assert str(latex) == "Latex (caoutchouc naturel)"
        assert latex.description == latex.description_fr
    with translation.override("en"):
        assert latex.name == "Latex (natural rubber)"
        assert str(latex) == "Latex (natural rubber)"
        assert latex.description == latex.description_en
    with translation.override("en-gb"):
        assert latex.name == "Latex (natural rubber)"


def test_the_name_falls_back_to_french_without_an_active_language():
    latex = Allergen.objects.get(code="latex")

    with translation.override(None):
        assert latex.name == "Latex (caoutchouc naturel)"


def test_allergens_are_listed_by_display_order_then_french_name():
    """Ties on order go by French name, whatever the codes, English names or creation order."""
    Allergen.objects.create(code="a-beta", name_fr="Bêta", name_en="Beta", order=2)
    Allergen.objects.create(code="z-alpha", name_fr="Alpha", name_en="Zeta", order=2)
    Allergen.objects.create(code="m-zinc", name_fr="Zinc", name_en="Zinc", order=1)

    listed = Allergen.objects.filter(code__in=["a-beta", "z-alpha", "m-zinc"])
    assert [a.code for a in listed] == ["m-zinc", "z-alpha", "a-beta"]


def test_the_shipped_list_opens_with_the_acrylates():
    first = Allergen.objects.first()

    assert first.code == "hema"
    assert first.family == Allergen.Family.ACRYLATES


def test_staff_find_and_filter_allergens_in_the_admin(client):
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)

    found = client.get("/admin/catalog/allergen/", {"q": "caoutchouc"})
    metals = client.get("/admin/catalog/allergen/", {"family__exact": "metals"})

    assert found.status_code == 200
    assert [a.code for a in found.context["cl"].result_list] == ["latex"]
    assert [a.code for a in metals.context["cl"].result_list] == ["nickel"]
