"""The visits page and the card's history show a visit with the same row (visits/visit_rows.html):
the page reads its services, products and photos once for all its rows."""

import datetime
import re

import pytest
import time_machine
from django_scopes import scopes_disabled

from tests.factories import PhotoFactory
from tests.visits.test_history import add_visit

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


def rows(html):
    return re.findall(r'<li class="visit-row">.*?</li>', html, re.S)


@time_machine.travel(NOW, tick=False)
def test_a_visit_reads_the_same_on_the_visits_page_and_on_her_card(alice_client, zoe, catalog):
    with scopes_disabled():
        visit = add_visit(
            zoe,
            (2026, 11, 20),
            "61",
            services=("Remplissage gel", "Nail art par ongle"),
            payment="cash",
            paid=False,
            product=catalog["gel"],
        )
        PhotoFactory(client=zoe, visit=visit)

    listed = alice_client.get("/visits/").content.decode()
    card = alice_client.get(f"/clients/{zoe.pk}/").content.decode()

    [row] = rows(listed)
    assert f'href="/visits/{visit.pk}/"' in row
    assert "Remplissage gel, Nail art par ongle" in row
    assert "Ongle Étoile" in row
    assert row.count("<img ") == 1
    assert "Espèces" in row and "still due" not in row and "reste dû" in row.lower()
    assert "Zoé Martin" in row  # the visits page names her; her card does not need to
    assert rows(card) == [row.replace(" · Zoé Martin", "")]
