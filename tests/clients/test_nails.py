import pytest
from django_scopes import scopes_disabled

from clients.models import NailState
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé")


def test_the_chart_has_ten_named_focusable_nails(alice_client, zoe):
    page = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert page.count('class="nail-link"') == 10
    assert 'aria-label="annulaire gauche : non renseigné"' in page
    assert f'href="/clients/{zoe.pk}/nails/?finger=left_ring"' in page


def test_annotating_a_nail_saves_it_and_colours_the_chart(alice_client, zoe):
    response = alice_client.post(
        f"/clients/{zoe.pk}/nails/?finger=left_ring",
        {"length": "long", "condition": "lifting", "remarks": "Décollement côté cuticule"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        nail = NailState.objects.get(client=zoe)
    assert (nail.finger, nail.length, nail.condition) == ("left_ring", "long", "lifting")
    page = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert 'aria-label="annulaire gauche : Décollement, Long"' in page
    assert "nail condition-lifting" in page
    assert "Décollement côté cuticule" in page


def test_annotating_again_updates_the_same_nail(alice_client, zoe):
    url = f"/clients/{zoe.pk}/nails/?finger=right_thumb"
    alice_client.post(url, {"condition": "brittle"})
    alice_client.post(url, {"condition": "healthy", "length": "short"})
    with scopes_disabled():
        assert NailState.objects.get(client=zoe).condition == "healthy"
        assert NailState.objects.count() == 1


def test_the_nail_form_comes_as_a_fragment_with_htmx(alice_client, zoe):
    response = alice_client.get(
        f"/clients/{zoe.pk}/nails/?finger=left_ring", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith("<form")
    assert "Annulaire gauche" in page


def test_the_saved_chart_comes_back_as_a_fragment_with_htmx(alice_client, zoe):
    response = alice_client.post(
        f"/clients/{zoe.pk}/nails/?finger=left_ring",
        {"condition": "bitten"},
        HTTP_HX_REQUEST="true",
    )
    assert response.content.decode().lstrip().startswith('<section id="nails"')


def test_an_unknown_finger_is_not_found(alice_client, zoe):
    assert alice_client.get(f"/clients/{zoe.pk}/nails/?finger=sixth").status_code == 404


def test_bad_choices_are_refused(alice_client, zoe):
    response = alice_client.post(f"/clients/{zoe.pk}/nails/?finger=left_ring", {"length": "huge"})
    assert response.status_code == 200
    assert response.context["form"].errors["length"]


def test_a_nail_saved_with_htmx_is_confirmed_and_its_section_stays_open(alice_client, zoe):
    response = alice_client.post(
        f"/clients/{zoe.pk}/nails/?finger=left_ring",
        {"condition": "split", "length": "short"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert '<p class="message success" role="status">' in page
    assert 'data-fold="nails" open' in page


def test_the_chart_legend_names_each_drawn_condition_in_words(alice_client, zoe, english):
    alice_client.post(f"/clients/{zoe.pk}/nails/?finger=left_ring", {"condition": "split"})
    alice_client.post(f"/clients/{zoe.pk}/nails/?finger=left_thumb", {"condition": "healthy"})
    legend = alice_client.get(f"/clients/{zoe.pk}/").context["chart_legend"]
    assert [(code, str(label)) for code, label in legend] == [
        ("healthy", "Healthy"),
        ("split", "Split"),
    ]
