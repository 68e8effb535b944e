"""The day in her pocket, server side: what the morning sync lists, which responses may be kept
on the phone, and writes queued offline applied once per idempotency key."""

import json
import os
import subprocess
import sys
import uuid

import pytest
import time_machine
from django_scopes import scopes_disabled

from agenda.models import Appointment
from clients.models import Client
from nailpro.models import ReplayedRequest
from nailpro.offline import COPY_HEADER, SYNC_HEADER, user_key
from tests.factories import ClientFactory
from visits.models import Visit

from .conftest import at, book

pytestmark = pytest.mark.django_db
SYNC = {"headers": {SYNC_HEADER: "1"}}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(at(2026, 12, 2, 12, 0), tick=False):
        yield


@pytest.fixture
def day(zoe, lina, services):
    """Zoé today, Lina tomorrow, Mia next week, Noé cancelled today."""
    with scopes_disabled():
        mia = ClientFactory(account=zoe.account, first_name="Mia", last_name="Lenoir")
        noe = ClientFactory(account=zoe.account, first_name="Noé", last_name="Blanc")
    return {
        "zoe": book(zoe, at(2026, 12, 2, 14, 0), [services["pose"]]),
        "lina": book(lina, at(2026, 12, 3, 9, 30), [services["refill"]]),
        "mia": book(mia, at(2026, 12, 9, 10, 0)),
        "noe": book(noe, at(2026, 12, 2, 16, 0), status=Appointment.Status.CANCELLED),
    }


def visit_data(services):
    return {
        "started_at": "2026-12-02T14:00",
        "ends_at": "15:30",
        "payment_method": "cash",
        "paid": "on",
        "technique_notes": "Base rubber, 2 couches",
        f"service_{services['pose'].pk}": "on",
        f"price_{services['pose'].pk}": "55.00",
    }


def test_the_sync_lists_today_and_tomorrow_and_only_their_clients(alice, alice_client, day):
    response = alice_client.get("/agenda/offline/pages.json")

    assert response.status_code == 200
    data = response.json()
    assert data["user"] == user_key(alice)
    urls = [page["url"] for page in data["pages"]]
    for kept in ("zoe", "lina"):
        appointment = day[kept]
        assert f"/clients/{appointment.client_id}/" in urls
        assert f"/clients/{appointment.client_id}/preferences/" in urls
        assert f"/agenda/{appointment.pk}/" in urls
        assert f"/agenda/{appointment.pk}/done/" in urls
    assert "/agenda/?date=2026-12-02" in urls and "/agenda/route/?date=2026-12-03" in urls
    for left_out in ("mia", "noe"):
        assert not [url for url in urls if str(day[left_out].client_id) in url]
        assert not [url for url in urls if str(day[left_out].pk) in url]


def test_the_sync_needs_her_login_and_shows_only_her_account(client, bob, day):
    assert client.get("/agenda/offline/pages.json").status_code == 302
    client.force_login(bob)
    pages = client.get("/agenda/offline/pages.json").json()["pages"]
    assert [p["kind"] for p in pages] == ["day", "route", "day", "route", "day", "route"]


def test_a_synced_page_carries_its_own_cache_headers_and_stamp(alice_client, day):
    card = f"/clients/{day['zoe'].client_id}/"

    synced = alice_client.get(card, **SYNC)
    browsed = alice_client.get(card)

    assert synced["Cache-Control"] == "private, max-age=172800"
    assert synced[COPY_HEADER].startswith("2026-12-02T")
    assert b'class="offline-stamp"' in synced.content
    assert "no-store" in browsed["Cache-Control"]
    assert not browsed.has_header(COPY_HEADER)
    assert b'class="offline-stamp"' not in browsed.content


@pytest.mark.parametrize(
    "url", ["/clients/", "/visits/", "/", "/clients/export/", "/account/", "/agenda/week/"]
)
def test_other_pages_are_never_marked_for_the_phone(alice_client, day, url):
    response = alice_client.get(url, **SYNC)
    assert not response.has_header(COPY_HEADER)
    assert "no-store" in response.get("Cache-Control", "no-store")


def test_a_write_replayed_twice_records_one_visit(alice_client, day, services):
    appointment = day["zoe"]
    key = str(uuid.uuid4())
    url = f"/agenda/{appointment.pk}/done/"

    first = alice_client.post(url, visit_data(services), headers={"Idempotency-Key": key})
    again = alice_client.post(url, visit_data(services), headers={"Idempotency-Key": key})

    assert first.status_code == again.status_code == 200
    assert first.json()["outcome"] == "done"
    assert again.json()["outcome"] == "done" and again.json()["replayed"] is True
    with scopes_disabled():
        visit = Visit.objects.get()
        appointment.refresh_from_db()
        assert ReplayedRequest.objects.get().key == key
    assert first.json()["location"] == again.json()["location"] == f"/visits/{visit.pk}/saved/"
    assert appointment.visit == visit and visit.technique_notes == "Base rubber, 2 couches"


def test_a_write_on_a_cancelled_appointment_is_refused_and_says_why(alice_client, day, services):
    appointment = day["noe"]
    response = alice_client.post(
        f"/agenda/{appointment.pk}/done/",
        visit_data(services),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )

    outcome = response.json()
    assert outcome["outcome"] == "refused" and outcome["code"] == "refused"
    assert outcome["messages"]
    with scopes_disabled():
        assert not Visit.objects.exists()


def test_a_write_for_an_erased_client_is_refused_as_gone(alice_client, day):
    client_id = day["lina"].client_id
    with scopes_disabled():
        Appointment.objects.filter(client_id=client_id).delete()
        Client.objects.filter(pk=client_id).delete()
    response = alice_client.post(
        f"/clients/{client_id}/preferences/",
        {"notes": "Préfère le vernis clair", "nail_shape": "", "nail_system": ""},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.json()["code"] == "gone"


def test_a_note_queued_offline_is_saved_once(alice_client, day):
    client_id = day["zoe"].client_id
    key = str(uuid.uuid4())
    data = {"notes": "Préfère le vernis clair", "nail_shape": "", "nail_system": ""}
    for _ in range(2):
        response = alice_client.post(
            f"/clients/{client_id}/preferences/", data, headers={"Idempotency-Key": key}
        )
        assert response.json()["outcome"] == "done"
    with scopes_disabled():
        assert Client.objects.get(pk=client_id).notes == "Préfère le vernis clair"
        assert ReplayedRequest.objects.count() == 1


def test_an_absence_before_the_start_is_refused_with_her_message(alice_client, day):
    response = alice_client.post(
        f"/agenda/{day['zoe'].pk}/no-show/", headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.json()["outcome"] == "refused"
    with scopes_disabled():
        day["zoe"].refresh_from_db()
    assert day["zoe"].status == Appointment.Status.PLANNED


def test_the_same_key_from_another_account_is_another_write(alice_client, client, bob, day):
    key = str(uuid.uuid4())
    with scopes_disabled():
        ReplayedRequest.objects.create(
            account=bob.account, key=key, path="/x/", outcome={"outcome": "done"}
        )
    response = alice_client.post(
        f"/agenda/{day['zoe'].pk}/no-show/", headers={"Idempotency-Key": key}
    )
    assert response.json()["outcome"] == "refused"  # hers ran: Zoé's appointment is to come
    # And Bob's own key cannot reach Alice's appointment.
    client.force_login(bob)
    other = client.post(f"/agenda/{day['zoe'].pk}/no-show/", headers={"Idempotency-Key": key})
    assert other.status_code == 400 and json.loads(other.content)["code"] == "bad_key"
    with scopes_disabled():
        day["zoe"].refresh_from_db()
    assert day["zoe"].status == Appointment.Status.PLANNED


def test_a_malformed_key_is_refused(alice_client, day):
    response = alice_client.post(
        f"/agenda/{day['zoe'].pk}/no-show/", headers={"Idempotency-Key": "x"}
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_key"


def test_the_service_worker_and_offline_page(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert b"importScripts" in b"".join(worker)
    page = client.get("/offline/")
    assert page.status_code == 200
    assert b"data-offline-pages" in page.content
    assert client.post("/offline/").status_code == 405


def test_logout_clears_what_the_phone_keeps(alice_client):
    response = alice_client.post("/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_outcomes_of_offline_writes_are_forgotten_after_a_month(alice, no_scopes):
    from nailpro.maintenance import maintenance_run

    ReplayedRequest.objects.create(account=alice.account, key="k" * 20, path="/x/")
    with time_machine.travel(at(2027, 1, 2, 12, 0), tick=False):
        ReplayedRequest.objects.create(account=alice.account, key="n" * 20, path="/x/")
        maintenance_run()
    assert list(ReplayedRequest.objects.values_list("key", flat=True)) == ["n" * 20]


@pytest.mark.django_db(transaction=True)
def test_the_same_write_sent_four_times_at_once_records_one_visit(tmp_path):
    from tests.nailpro.test_parallel_writes import ROOT, database_url

    environment = {**os.environ, "DATABASE_URL": database_url(tmp_path)}
    environment["DJANGO_SETTINGS_MODULE"] = "nailpro.settings"
    done = subprocess.run(
        [sys.executable, "-m", "tests.agenda.parallel_replays", "4"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"outcomes": ["done"] * 4, "stored": 1}, done.stderr[-3000:]
