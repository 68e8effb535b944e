"""The Free plan's 20 clients, through every way a client can be created."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from billing.models import Plan, Subscription
from clients.models import Client
from nailpro.models import User
from tests.errors import error_codes
from tests.factories import ClientFactory, make_pro

pytestmark = pytest.mark.django_db


def fill(account, count):
    with scopes_disabled():
        ClientFactory.create_batch(count, account=account)


def client_count(account):
    with scopes_disabled():
        return Client.objects.filter(account=account).count()


def test_the_quick_create_form_refuses_the_21st_client_and_links_to_pro(alice, alice_client):
    fill(alice.account, 20)
    response = alice_client.post("/clients/new/", {"first_name": "Vingt-et-une"})
    page = response.content.decode()
    assert response.status_code == 200
    assert error_codes(response) == ["plan_limit"]
    assert 'href="/billing/"' in page
    assert 'value="Vingt-et-une"' in page
    assert client_count(alice.account) == 20


def test_the_20th_client_is_still_accepted(alice, alice_client):
    fill(alice.account, 19)
    assert alice_client.post("/clients/new/", {"first_name": "Vingt"}).status_code == 302
    assert client_count(alice.account) == 20


def test_the_admin_refuses_the_21st_client(client, alice):
    fill(alice.account, 20)
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)
    response = client.post(
        "/admin/clients/client/add/",
        {
            "account": alice.account.pk,
            "first_name": "Admin",
            "consentevent_set-TOTAL_FORMS": 0,
            "consentevent_set-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert client_count(alice.account) == 20


def test_saving_directly_refuses_the_21st_client_as_an_import_would(alice, no_scopes):
    fill(alice.account, 20)
    with pytest.raises(ValidationError) as refusal:
        Client(account=alice.account, first_name="Importée").save()
    assert refusal.value.code == "plan_limit"
    assert client_count(alice.account) == 20


def test_seed_demo_keeps_the_free_demo_below_the_limit():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        free = User.objects.get(email="free@nailpro.localhost").account
        assert Subscription.objects.get(account=free).plan == Plan.FREE
        assert client_count(free) == 19
        Client(account=free, first_name="Vingt").save()
        with pytest.raises(ValidationError):
            Client(account=free, first_name="Vingt-et-une").save()


def test_pro_has_no_limit(alice, alice_client):
    make_pro(alice.account)
    fill(alice.account, 25)
    assert alice_client.post("/clients/new/", {"first_name": "Vingt-six"}).status_code == 302


def test_a_downgraded_account_keeps_everything_and_only_cannot_add(alice, alice_client):
    make_pro(alice.account)
    fill(alice.account, 25)
    with scopes_disabled():
        Subscription.objects.filter(account=alice.account).update(plan=Plan.FREE)
        zoe = Client.objects.filter(account=alice.account).first()

    assert client_count(alice.account) == 25
    assert alice_client.get(f"/clients/{zoe.pk}/").status_code == 200
    edit = alice_client.post(f"/clients/{zoe.pk}/preferences/", {"notes": "Toujours là"})
    assert edit.status_code == 302
    full = alice_client.get("/clients/new/")
    assert full.status_code == 200 and full.context["plan_full"] and full.context["form"] is None
    assert alice_client.post("/clients/new/", {"first_name": "Nouvelle"}).status_code == 200
    assert client_count(alice.account) == 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_cannot_pass_the_limit(alice):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks to race against")
    fill(alice.account, 15)
    refusals, errors = [], []

    def create(number):
        try:
            with scopes_disabled():
                client = Client(account=alice.account, first_name=f"Course {number}")
                client.full_clean()
                client.save()
        except ValidationError as refusal:
            refusals.append(refusal.code if hasattr(refusal, "code") else refusal.messages)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert client_count(alice.account) == 20
    assert len(refusals) == 5
