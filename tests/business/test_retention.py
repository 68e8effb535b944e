"""Retention: clients not seen for longer than the account keeps them are listed for erasure."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from business.retention import inactive_clients, retention_cutoff
from clients.models import Client
from clients.services import client_erase
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    PhotoFactory,
    VisitFactory,
    make_pro,
)
from visits.models import Visit

pytestmark = pytest.mark.django_db


UTC = datetime.UTC
LONG_AGO = datetime.datetime(2020, 3, 1, 10, tzinfo=UTC)
RECENTLY = datetime.datetime(2024, 9, 1, 10, tzinfo=UTC)
NOW = datetime.datetime(2025, 6, 1, 10, tzinfo=UTC)  # 3 years back: 1 June 2022


@pytest.fixture
def cast(alice, bob):
    """Alice's clients, each with a story; and Bob's long-forgotten client."""
    alice.account.language = "en"
    alice.account.save()
    with scopes_disabled():
        with time_machine.travel(LONG_AGO, tick=False):
            never_seen = ClientFactory(account=alice.account, first_name="Never", last_name="Seen")
            old_visit = ClientFactory(account=alice.account, first_name="Old", last_name="Visit")
            back_again = ClientFactory(account=alice.account, first_name="Back", last_name="Again")
            already_erased = ClientFactory(account=alice.account, first_name="Gone")
            bobs = ClientFactory(account=bob.account, first_name="Bobs", last_name="Client")
        VisitFactory(client=old_visit, started_at=LONG_AGO, total=50)
        PhotoFactory(client=old_visit)
        VisitFactory(client=back_again, started_at=LONG_AGO, total=30)
        VisitFactory(client=back_again, started_at=RECENTLY, total=40)
        VisitFactory(client=already_erased, started_at=LONG_AGO, total=20)
        client_erase(client=already_erased)
        with time_machine.travel(RECENTLY, tick=False):
            newcomer = ClientFactory(account=alice.account, first_name="New", last_name="Comer")
    return {
        "never_seen": never_seen,
        "old_visit": old_visit,
        "back_again": back_again,
        "already_erased": already_erased,
        "newcomer": newcomer,
        "bobs": bobs,
    }


def names(clients):
    return sorted(client.first_name for client in clients)


def test_the_list_holds_exactly_the_clients_unseen_for_longer_than_the_period(
    alice, alice_client, cast
):
    """Nobody seen or added since the cutoff; not erased ones, not another account's."""
    with time_machine.travel(NOW, tick=False):
        response = alice_client.get("/account/retention/")
        with scopes_disabled():
            listed = list(inactive_clients(alice.account))

    assert names(listed) == ["Never", "Old"]
    assert [c.last_seen for c in listed] == [None, LONG_AGO]
    page = response.content.decode()
    assert "Never Seen" in page and "Old Visit" in page
    for absent in ("Back Again", "New Comer", "Bobs Client"):
        assert absent not in page
    assert "2 inactive clients" in page
    assert "since June 1, 2022: your retention period is 3 years." in page
    assert f"/clients/{cast['old_visit'].pk}/erase/?next=" in page


def test_a_shorter_period_lists_more_and_the_account_page_counts_them(alice, alice_client, cast):
    alice.account.retention_years = 1
    alice.account.save()
    with time_machine.travel(datetime.datetime(2025, 12, 1, tzinfo=UTC), tick=False):
        with scopes_disabled():
            assert names(inactive_clients(alice.account)) == ["Back", "Never", "New", "Old"]
        page = alice_client.get("/account/").content.decode()
    assert (
        "4 clients have had no visit or appointment for longer than your retention period." in page
    )
    assert 'href="/account/retention/"' in page


def test_the_cutoff_handles_29_february(alice):
    alice.account.retention_years = 1
    leap_day = datetime.datetime(2024, 2, 29, 12, tzinfo=UTC)
    assert retention_cutoff(alice.account, leap_day) == datetime.datetime(
        2023, 2, 28, 12, tzinfo=UTC
    )


def test_erasing_all_says_how_many_then_erases_them_and_keeps_revenue(
    alice, alice_client, cast, media_root, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        revenue = Visit.objects.filter(account=alice.account).aggregate(total=Sum("total"))
    assert any(media_root.rglob("*.webp"))

    with time_machine.travel(NOW, tick=False):
        confirm = alice_client.get("/account/retention/erase/").content.decode()
        assert "Erase the data of 2 inactive clients?" in confirm
        assert "the date, services, amount and payment method of each visit" in confirm
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post("/account/retention/erase/")
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/retention/"
        after = alice_client.get("/account/retention/").content.decode()

    assert "2 clients erased" in after
    assert "No inactive client" in after
    with scopes_disabled():
        erased = Client.objects.filter(pk__in=[cast["never_seen"].pk, cast["old_visit"].pk])
        assert {(c.first_name, c.last_name, str(c.phone)) for c in erased} == {("—", "", "")}
        kept = Client.objects.get(pk=cast["back_again"].pk)
        assert kept.first_name == "Back" and kept.last_name == "Again"
        assert Client.objects.get(pk=cast["bobs"].pk).first_name == "Bobs"
        after_revenue = Visit.objects.filter(account=alice.account).aggregate(total=Sum("total"))
    assert after_revenue == revenue
    assert not any(media_root.rglob("*.webp"))  # her photos' files went with her


def test_erasing_one_from_the_list_comes_back_to_the_list(alice, alice_client, cast):
    client = cast["never_seen"]
    back_to = "/account/retention/?page=1"
    with time_machine.travel(NOW, tick=False):
        page = alice_client.get(f"/clients/{client.pk}/erase/", {"next": back_to})
        assert 'name="next" value="/account/retention/?page=1"' in page.content.decode()
        response = alice_client.post(f"/clients/{client.pk}/erase/", {"next": back_to})
    assert response.headers["Location"] == back_to
    with scopes_disabled():
        assert Client.objects.get(pk=client.pk).first_name == "—"


def test_erase_does_not_redirect_off_site(alice, alice_client, cast):
    client = cast["never_seen"]
    response = alice_client.post(f"/clients/{client.pk}/erase/", {"next": "https://evil.example"})
    assert response.headers["Location"] == "/clients/"


def test_the_list_paginates_in_a_fixed_number_of_queries(alice, alice_client):
    make_pro(alice.account)
    alice.account.language = "en"
    alice.account.save()

    def queries(count):
        with scopes_disabled(), time_machine.travel(LONG_AGO, tick=False):
            for _ in range(count):
                VisitFactory(client=ClientFactory(account=alice.account), started_at=LONG_AGO)
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
            assert alice_client.get("/account/retention/").status_code == 200
        return len(captured)

    assert queries(3) == queries(60)
    with time_machine.travel(NOW, tick=False):
        page = alice_client.get("/account/retention/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in page


def test_an_appointment_past_or_to_come_keeps_her_off_the_list(alice, cast):
    with scopes_disabled():
        AppointmentFactory(client=cast["never_seen"], start=RECENTLY)
        AppointmentFactory(client=cast["old_visit"], start=LONG_AGO, status="no_show")
    with time_machine.travel(NOW, tick=False), scopes_disabled():
        listed = list(inactive_clients(alice.account))
    assert names(listed) == ["Old"]
    assert listed[0].last_seen == LONG_AGO  # her visit and her missed appointment, same day
