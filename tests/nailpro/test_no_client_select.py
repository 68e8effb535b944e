"""No page lists every client in a <select> (rule 11): every GET page of the URLconf, walked
as the cross-account harness does, on an account with 200 clients."""

import re

import pytest
from django_scopes import scopes_disabled

from clients.models import Client
from tests.factories import ClientFactory, make_pro
from tests.nailpro.test_cross_account import ALL_FACTORIES, private_routes
from tests.tenancy import ObjectBuilder

OPTION_VALUE = re.compile(r"<option\b[^>]*\bvalue=\"([^\"]*)\"")
MOST_CLIENT_OPTIONS = 50


def client_options(html, client_ids):
    return sum(1 for value in OPTION_VALUE.findall(html) if value in client_ids)


@pytest.mark.django_db
def test_no_page_renders_a_select_of_more_than_50_clients(alice, alice_client):
    make_pro(alice.account)
    with scopes_disabled():
        ClientFactory.create_batch(200, account=alice.account)
    builder = ObjectBuilder(ALL_FACTORIES)
    walked, most, failures = 0, 0, []
    for route in private_routes():
        url = route.url(builder.build(alice.account, route.parameters))
        response = alice_client.get(url)
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        walked += 1
        with scopes_disabled():
            ids = {
                str(pk)
                for pk in Client.objects.filter(account=alice.account).values_list("pk", flat=True)
            }
        count = client_options(response.content.decode(), ids)
        most = max(most, count)
        if count > MOST_CLIENT_OPTIONS:
            failures.append(f"{url} renders {count} client options")
    print(f"client <option>s: {walked} HTML pages walked, at most {most} client options on one")
    assert walked > 50  # the walk reached the pages, not only redirects
    assert not failures, "\n".join(failures)


def test_the_counter_sees_client_options():
    ids = {"a1", "b2"}
    html = (
        '<select><option value="">-</option><option value="a1">A</option>'
        '<option selected value="b2">B</option></select>'
    )
    assert client_options(html, ids) == 2
