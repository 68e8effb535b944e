"""Deleting her account: her password first; then every row and every file of hers goes."""

import json

import pytest
from django.apps import apps
from django_scopes import scopes_disabled

from billing.models import Subscription
from nailpro.models import Account, AccountOwned, User
from tests.billing.test_stripe import FakeStripeNetwork
from tests.factories import (
    PASSWORD,
    AccountExportFactory,
    AppointmentFactory,
    ClientFactory,
    ConsentEventFactory,
    GiftFactory,
    HealthProfileFactory,
    PhotoFactory,
    PortfolioFactory,
    ProductFactory,
    ServiceFactory,
    VisitFactory,
    make_pro,
)
from visits.models import VisitProduct, VisitService

pytestmark = pytest.mark.django_db


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def rows_of(account_id):
    """Count the rows of every account-owned table that belong to the account."""
    with scopes_disabled():
        counts = {
            model._meta.label: model._base_manager.filter(account_id=account_id).count()
            for model in apps.get_models()
            if issubclass(model, AccountOwned)
        }
    return {label: count for label, count in counts.items() if count}


def fill(account):
    """A business with a bit of everything, files included."""
    with scopes_disabled():
        zoe = ClientFactory(account=account, with_photo=True)
        ConsentEventFactory(client=zoe)
        HealthProfileFactory(client=zoe, medications="Isotrétinoïne")
        GiftFactory(client=zoe)
        service = ServiceFactory(account=account)
        product = ProductFactory(account=account)
        visit = VisitFactory(client=zoe)
        # Catalog rows that visits point to with PROTECT: deletion must still pass.
        VisitService.objects.create(
            account=account, visit=visit, service=service, name="Pose", price=40
        )
        VisitProduct.objects.create(account=account, visit=visit, product=product)
        PhotoFactory(client=zoe, visit=visit)
        appointment = AppointmentFactory(client=zoe, visit=visit, status="done")
        appointment.services.create(
            account=account, service=service, name="Pose", duration=60, price=40
        )
        PortfolioFactory(account=account)
        AccountExportFactory(account=account)
    return zoe


def test_the_page_says_what_goes_and_asks_for_the_password(alice, alice_client, english):
    fill(alice.account)
    page = alice_client.get("/account/delete/").content.decode()
    assert "1 client, with her consents" in page
    assert "1 visit" in page
    assert "2 photos" in page  # her portrait and the visit photo
    assert "5 stored files" in page  # two per photo, and the export
    assert 'type="password"' in page
    assert 'href="/account/delete/"' in alice_client.get("/account/").content.decode()


def test_a_wrong_password_is_refused_and_nothing_is_deleted(
    alice, alice_client, media_root, english, django_capture_on_commit_callbacks
):
    fill(alice.account)
    rows, files = rows_of(alice.account.pk), files_under(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/account/delete/", {"password": "not-my-password"})

    assert response.status_code == 200
    assert "This is not your password: nothing was deleted." in response.content.decode()
    assert rows_of(alice.account.pk) == rows
    assert files_under(media_root) == files
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_right_password_deletes_every_row_and_file_and_logs_her_out(
    alice, bob, alice_client, media_root, english, django_capture_on_commit_callbacks
):
    make_pro(alice.account)
    fill(alice.account)
    fill(bob.account)
    account_id = alice.account.pk
    stray = media_root / "accounts" / str(account_id) / "clients" / "orphan.webp"
    stray.write_bytes(b"left behind by a crash")
    bobs_rows, bobs_files = (
        rows_of(bob.account.pk),
        files_under(media_root / "accounts" / str(bob.account.pk)),
    )
    assert bobs_files

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/"
    assert rows_of(account_id) == {}
    assert not Account.objects.filter(pk=account_id).exists()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert files_under(media_root / "accounts" / str(account_id)) == []
    assert not (media_root / "accounts" / str(account_id)).exists()
    assert files_under(media_root) == bobs_files  # every file left is Bob's
    assert rows_of(bob.account.pk) == bobs_rows
    login_page = alice_client.get("/accounts/login/")
    assert "Your account and all its data are deleted." in login_page.content.decode()
    assert alice_client.get("/account/").status_code == 302  # logged out


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_local"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_local_secret"


def with_stripe_subscription(account):
    with scopes_disabled():
        Subscription.objects.filter(account=account).update(
            plan="pro", stripe_customer_id="cus_1", stripe_subscription_id="sub_1"
        )


def test_her_stripe_subscription_is_cancelled(
    alice, alice_client, stripe_keys, monkeypatch, django_capture_on_commit_callbacks
):
    import stripe

    with_stripe_subscription(alice.account)
    network = FakeStripeNetwork(
        {"/v1/subscriptions/sub_1": {"id": "sub_1", "object": "subscription", "status": "canceled"}}
    )
    monkeypatch.setattr(stripe, "default_http_client", network)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert [(method, url) for method, url, _ in network.calls] == [
        ("delete", "https://api.stripe.com/v1/subscriptions/sub_1")
    ]
    assert not Account.objects.filter(pk=alice.account.pk).exists()


class FailingStripeNetwork(FakeStripeNetwork):
    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.calls.append((method, url, post_data))
        error = {"error": {"type": "invalid_request_error", "message": "Something broke"}}
        return json.dumps(error), 400, {}


def test_when_stripe_refuses_nothing_is_deleted(
    alice, alice_client, stripe_keys, monkeypatch, english
):
    import stripe

    with_stripe_subscription(alice.account)
    fill(alice.account)
    rows = rows_of(alice.account.pk)
    monkeypatch.setattr(stripe, "default_http_client", FailingStripeNetwork({}))

    response = alice_client.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 200
    assert "could not be cancelled at Stripe, so nothing was deleted" in response.content.decode()
    assert rows_of(alice.account.pk) == rows


def test_her_login_attempts_and_logs_go_with_her_account(client, alice, bob, password):
    from axes.models import AccessAttempt, AccessLog

    for email in ["ALICE@example.com", "bob@example.com"]:
        client.post(
            "/accounts/login/", {"username": email, "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
        )
    assert (
        client.post("/accounts/login/", {"username": alice.email, "password": password}).status_code
        == 302
    )
    assert AccessLog.objects.filter(username=alice.email.lower()).exists()

    response = client.post("/account/delete/", {"password": password})

    assert response.status_code == 302
    usernames = {a.username for a in AccessAttempt.objects.all()}
    usernames |= {a.username for a in AccessLog.objects.all()}
    assert usernames == {bob.email.lower()}
