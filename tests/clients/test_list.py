import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from catalog.models import Allergen
from clients.models import AccessLog, Client, ConsentEvent, HealthProfile
from tests.factories import CategoryFactory, ClientFactory, ConsentEventFactory, make_pro

pytestmark = pytest.mark.django_db


def names(response):
    """The clients found: the page's rows, or her alone when the one match opened her card."""
    if response.status_code == 302:
        with scopes_disabled():
            return [Client.objects.get(pk=response.url.split("/")[2]).display_name]
    return [client.display_name for client in response.context["page"].object_list]


@pytest.fixture
def clients(alice, bob):
    with scopes_disabled():
        return {
            "helene": ClientFactory(
                account=alice.account, first_name="Hélène", last_name="Dupont", phone="+33612345678"
            ),
            "zoe": ClientFactory(
                account=alice.account, first_name="Zoé", last_name="Martin", phone="+33698765432"
            ),
            "nameless": ClientFactory(
                account=alice.account, first_name="", last_name="", phone="+33755554444"
            ),
            "bobs": ClientFactory(account=bob.account, first_name="Hélène", last_name="Autre"),
        }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helene", ["Hélène Dupont"]),
        ("HÉLÈNE", ["Hélène Dupont"]),
        ("dup", ["Hélène Dupont"]),
        ("06 12", ["Hélène Dupont"]),
        ("+33 6 98", ["Zoé Martin"]),
        ("0698765432", ["Zoé Martin"]),
        ("zoe mart", ["Zoé Martin"]),
        ("07 55", ["Cliente 07 55 55 44 44"]),
        ("nobody", []),
    ],
)
def test_search_ignores_accents_case_and_phone_spacing(alice_client, clients, query, expected):
    assert names(alice_client.get("/clients/", {"q": query})) == expected


def test_the_list_never_shows_another_account_s_clients(alice_client, clients):
    listed = names(alice_client.get("/clients/"))
    assert "Hélène Autre" not in listed
    assert len(listed) == 3


def test_the_letter_index_filters_by_first_letter(alice_client, clients):
    assert names(alice_client.get("/clients/", {"letter": "Z"})) == ["Zoé Martin"]
    assert names(alice_client.get("/clients/", {"letter": "#"})) == ["Cliente 07 55 55 44 44"]


def test_filters_by_category_and_blacklist(alice, alice_client, clients):
    with scopes_disabled():
        vip = CategoryFactory(account=alice.account, name="Fidèles")
        clients["zoe"].category = vip
        clients["zoe"].blacklisted = True
        clients["zoe"].blacklist_reason = "Absente deux fois"
        clients["zoe"].save()
    assert names(alice_client.get("/clients/", {"category": vip.pk})) == ["Zoé Martin"]
    assert names(alice_client.get("/clients/", {"blacklisted": "yes"})) == ["Zoé Martin"]
    assert "Zoé Martin" not in names(alice_client.get("/clients/", {"blacklisted": "no"}))


def test_filter_by_consent_uses_the_latest_answer_and_the_defaults(alice_client, clients):
    with scopes_disabled():
        ConsentEventFactory(client=clients["zoe"], kind=ConsentEvent.Kind.REMINDERS, given=False)
        ConsentEventFactory(client=clients["helene"], kind=ConsentEvent.Kind.MARKETING, given=True)
    reminders = names(alice_client.get("/clients/", {"consent": "reminders:yes"}))
    assert reminders == ["Cliente 07 55 55 44 44", "Hélène Dupont"]
    assert names(alice_client.get("/clients/", {"consent": "marketing:yes"})) == ["Hélène Dupont"]


@time_machine.travel(datetime.datetime(2026, 12, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_filter_by_birthday_today_tomorrow_and_the_next_seven_days(alice, alice_client, clients):
    alice_client.force_login(alice)  # a session opened on the travel date
    with scopes_disabled():
        clients["helene"].birth_date = datetime.date(1990, 12, 30)
        clients["helene"].save()
        clients["zoe"].birth_date = datetime.date(1985, 1, 4)  # next week, next year
        clients["zoe"].save()
    assert names(alice_client.get("/clients/", {"birthday": "today"})) == ["Hélène Dupont"]
    assert names(alice_client.get("/clients/", {"birthday": "tomorrow"})) == []
    assert names(alice_client.get("/clients/", {"birthday": "week"})) == [
        "Hélène Dupont",
        "Zoé Martin",
    ]
    in_range = {"birthday": "range", "birthday_from": "2027-01-01", "birthday_to": "2027-01-10"}
    assert names(alice_client.get("/clients/", in_range)) == ["Zoé Martin"]


def test_filter_by_date_added(alice_client, clients):
    with scopes_disabled():
        clients["zoe"].created_at = datetime.datetime(2025, 1, 15, tzinfo=datetime.UTC)
        clients["zoe"].save()
    data = {"added_from": "2025-01-01", "added_to": "2025-01-31"}
    assert names(alice_client.get("/clients/", data)) == ["Zoé Martin"]


def test_bad_filter_values_are_explained_not_fatal(alice_client, clients):
    response = alice_client.get(
        "/clients/",
        {"category": "not-a-uuid", "added_from": "2025-13-45", "page": "abc", "letter": "ZZ"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_rows_offer_call_sms_whatsapp_and_e_mail(alice_client, clients):
    with scopes_disabled():
        clients["helene"].email = "helene@example.com"
        clients["helene"].save()
    page = alice_client.get("/clients/").content.decode()
    assert 'href="tel:+33612345678"' in page
    assert 'href="sms:+33612345678"' in page
    assert 'href="https://wa.me/33612345678"' in page
    assert 'href="mailto:helene@example.com"' in page


def test_htmx_search_returns_only_the_results(alice_client, clients):
    response = alice_client.get(
        "/clients/", {"q": "zoe"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="client-results"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="client-results"')
    assert "Zoé Martin" in page
    assert "<html" not in page


def test_the_list_paginates(alice, alice_client):
    with scopes_disabled():
        make_pro(alice.account)
        ClientFactory.create_batch(30, account=alice.account)
    first = alice_client.get("/clients/")
    second = alice_client.get("/clients/", {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert 'href="?page=2"' in first.content.decode()
    filtered = alice_client.get("/clients/", {"blacklisted": "no"}).content.decode()
    assert 'href="?blacklisted=no&amp;page=2"' in filtered


def test_the_top_bar_search_uses_the_same_search(alice_client, clients):
    page = alice_client.get("/").content.decode()
    assert 'action="/clients/"' in page
    assert 'name="q"' in page


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("filters", [{}, {"q": "a", "consent": "marketing:no", "birthday": "week"}])
def test_the_list_runs_a_fixed_number_of_queries(alice, alice_client, filters):
    with scopes_disabled():
        make_pro(alice.account)  # the size changes, not the plan (a Free plan shows its usage)
        categories = CategoryFactory.create_batch(3, account=alice.account)
        ClientFactory.create_batch(5, account=alice.account, category=categories[0])
    few = count_queries(alice_client, "/clients/", **filters)
    with scopes_disabled():
        ClientFactory.create_batch(195, account=alice.account, category=categories[1])
    many = count_queries(alice_client, "/clients/", **filters)
    print(f"client list: {few} queries with 5 clients, {many} with 200 ({filters})")
    assert few == many


def test_search_folds_apostrophes_and_hyphens(alice, alice_client):
    with scopes_disabled():
        ClientFactory(account=alice.account, first_name="Awa", last_name="N’Diaye")
        ClientFactory(account=alice.account, first_name="Marie-Claire", last_name="Roux")
    assert names(alice_client.get("/clients/", {"q": "n'diaye"})) == ["Awa N’Diaye"]
    assert names(alice_client.get("/clients/", {"q": "ndiaye"})) == ["Awa N’Diaye"]
    assert names(alice_client.get("/clients/", {"q": "marie claire"})) == ["Marie-Claire Roux"]


def test_one_bad_filter_does_not_drop_the_others(alice_client, clients):
    response = alice_client.get("/clients/", {"q": "zoe", "added_from": "not-a-date"})
    assert response.status_code == 200  # the error is shown, not skipped by opening her card
    assert names(response) == ["Zoé Martin"]
    assert response.context["form"].errors["added_from"]


def test_a_sent_search_with_one_match_opens_her_card(alice_client, clients):
    response = alice_client.get("/clients/", {"q": "helene"})
    assert response.status_code == 302
    assert response.url == clients["helene"].get_absolute_url()


def test_typing_through_htmx_never_leaves_the_list(alice_client, clients):
    response = alice_client.get(
        "/clients/", {"q": "helene"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="client-results"
    )
    assert response.status_code == 200
    assert names(response) == ["Hélène Dupont"]


def test_a_search_with_several_matches_or_a_page_stays_on_the_list(alice_client, clients):
    assert alice_client.get("/clients/", {"q": "06"}).status_code == 200
    assert alice_client.get("/clients/", {"q": "helene", "page": "1"}).status_code == 200
    assert alice_client.get("/clients/", {"letter": "Z"}).status_code == 200


def test_rows_mark_allergies_only_under_health_consent(alice, alice_client, clients):
    with scopes_disabled():
        latex = Allergen.objects.order_by("pk").first()
        for key in ("helene", "zoe"):
            HealthProfile.objects.create(
                account=alice.account, client=clients[key], allergen_ids=[latex.pk]
            )
        ConsentEventFactory(client=clients["helene"], kind="health", given=True)
    response = alice_client.get("/clients/")
    rows = {client.display_name: client for client in response.context["page"].object_list}
    assert rows["Hélène Dupont"].allergy_names == [str(latex)]
    assert not rows["Zoé Martin"].allergy_marker  # no consent: nothing of her health shown
    with scopes_disabled():
        logged = AccessLog.objects.filter(client=clients["helene"]).count()
    assert logged == 1


def test_the_allergy_markers_cost_no_query_per_row(alice, alice_client):
    with scopes_disabled():
        latex = Allergen.objects.order_by("pk").first()
        make_pro(alice.account)
        for client in ClientFactory.create_batch(20, account=alice.account):
            ConsentEventFactory(client=client, kind="health", given=True)
            HealthProfile.objects.create(
                account=alice.account, client=client, allergen_ids=[latex.pk]
            )
    few = count_queries(alice_client, "/clients/", letter="#")
    many = count_queries(alice_client, "/clients/")
    print(f"client list with allergy markers: {few} queries for 0 rows, {many} for 20")
    assert many <= few + 4  # the page, her health, the allergens, the access log
