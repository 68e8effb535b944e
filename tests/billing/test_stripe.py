"""Stripe: Checkout and portal out (its HTTP calls faked at the library's network edge),
signed webhook events in."""

import hashlib
import hmac
import http.server
import json
import socket
import threading
import time
from urllib.parse import parse_qs

import pytest
import stripe
from django.contrib.messages import get_messages
from django_scopes import scopes_disabled

from billing.models import Plan, StripeEvent, Subscription

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_local_secret"


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_local"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_PRICE_MONTHLY = "price_monthly"
    settings.STRIPE_PRICE_YEARLY = "price_yearly"


class FakeStripeNetwork(stripe.HTTPClient):
    """Answer Stripe's API calls here instead of on the network, and remember them."""

    name = "fake"

    def __init__(self, responses):
        super().__init__()
        self.responses = responses
        self.calls = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.calls.append((method, url, parse_qs(post_data or "")))
        path = url.split("api.stripe.com")[1]
        return json.dumps(self.responses[path]), 200, {}

    def close(self):
        pass


@pytest.fixture
def stripe_network(monkeypatch):
    network = FakeStripeNetwork(
        {
            "/v1/checkout/sessions": {
                "id": "cs_test_1",
                "object": "checkout.session",
                "url": "https://checkout.stripe.com/c/pay/cs_test_1",
            },
            "/v1/billing_portal/sessions": {
                "id": "bps_1",
                "object": "billing_portal.session",
                "url": "https://billing.stripe.com/p/session/bps_1",
            },
        }
    )
    monkeypatch.setattr(stripe, "default_http_client", network)
    return network


def subscription(account):
    with scopes_disabled():
        return Subscription.objects.get(account=account)


def signed_post(client, event, secret=SECRET):
    payload = json.dumps(event)
    timestamp = int(time.time())
    signature = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return client.post(
        "/billing/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={timestamp},v1={signature}",
    )


def event(event_id, kind, data):
    return {"id": event_id, "object": "event", "type": kind, "data": {"object": data}}


def checkout_completed(account, event_id="evt_1"):
    return event(
        event_id,
        "checkout.session.completed",
        {
            "object": "checkout.session",
            "client_reference_id": str(account.pk),
            "customer": "cus_123",
            "subscription": "sub_123",
        },
    )


def test_go_pro_opens_stripe_checkout_for_her_account(
    alice, alice_client, stripe_keys, stripe_network
):
    response = alice_client.post("/billing/checkout/", {"interval": "yearly"})

    assert response.status_code == 303
    assert response.headers["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    method, url, sent = stripe_network.calls[0]
    assert (method, url) == ("post", "https://api.stripe.com/v1/checkout/sessions")
    assert sent["client_reference_id"] == [str(alice.account.pk)]
    assert sent["line_items[0][price]"] == ["price_yearly"]
    assert sent["customer_email"] == ["alice@example.com"]
    assert sent["mode"] == ["subscription"]


def test_manage_opens_the_customer_portal(alice, alice_client, stripe_keys, stripe_network):
    with scopes_disabled():
        Subscription.objects.filter(account=alice.account).update(
            plan=Plan.PRO, stripe_customer_id="cus_123"
        )
    response = alice_client.post("/billing/portal/")
    assert response.headers["Location"] == "https://billing.stripe.com/p/session/bps_1"
    assert stripe_network.calls[0][2]["customer"] == ["cus_123"]


def test_checkout_completed_moves_the_account_to_pro(client, alice, stripe_keys):
    assert signed_post(client, checkout_completed(alice.account)).status_code == 200
    sub = subscription(alice.account)
    assert (sub.plan, sub.status, sub.stripe_customer_id) == (Plan.PRO, "active", "cus_123")


def test_the_same_event_twice_is_applied_once(client, alice, stripe_keys):
    signed_post(client, checkout_completed(alice.account))
    with scopes_disabled():
        Subscription.objects.filter(account=alice.account).update(plan=Plan.FREE)
    assert signed_post(client, checkout_completed(alice.account)).status_code == 200
    assert subscription(alice.account).plan == Plan.FREE
    assert StripeEvent.objects.count() == 1


def test_subscription_updates_follow_stripe_statuses(client, alice, stripe_keys):
    signed_post(client, checkout_completed(alice.account))
    data = {"object": "subscription", "id": "sub_123", "customer": "cus_123"}
    signed_post(
        client,
        event(
            "evt_2",
            "customer.subscription.updated",
            {**data, "status": "past_due", "items": {"data": [{"current_period_end": 1798761600}]}},
        ),
    )
    sub = subscription(alice.account)
    assert (sub.plan, sub.status) == (Plan.PRO, "past_due")
    assert sub.current_period_end.year == 2027


def test_subscription_deleted_moves_the_account_back_to_free_keeping_its_clients(
    client, alice, stripe_keys
):
    from tests.factories import ClientFactory

    signed_post(client, checkout_completed(alice.account))
    with scopes_disabled():
        ClientFactory.create_batch(25, account=alice.account)
    signed_post(
        client,
        event(
            "evt_3",
            "customer.subscription.deleted",
            {
                "object": "subscription",
                "id": "sub_123",
                "customer": "cus_123",
                "status": "canceled",
            },
        ),
    )
    sub = subscription(alice.account)
    assert (sub.plan, sub.status) == (Plan.FREE, "cancelled")
    with scopes_disabled():
        from clients.models import Client

        assert Client.objects.filter(account=alice.account).count() == 25


def test_a_bad_signature_is_refused_and_changes_nothing(client, alice, stripe_keys):
    response = signed_post(client, checkout_completed(alice.account), secret="whsec_forged")
    assert response.status_code == 400
    assert subscription(alice.account).plan == Plan.FREE
    assert not StripeEvent.objects.exists()
    unsigned = client.post("/billing/webhook/", "{}", content_type="application/json")
    assert unsigned.status_code == 400


def test_an_event_for_an_unknown_account_is_accepted_and_ignored(client, alice, stripe_keys):
    forged = checkout_completed(alice.account)
    forged["data"]["object"]["client_reference_id"] = "not-a-uuid"
    assert signed_post(client, forged).status_code == 200
    assert subscription(alice.account).plan == Plan.FREE


def test_without_stripe_keys_the_page_says_staff_change_plans(alice_client):
    response = alice_client.get("/billing/")
    assert response.context["stripe_enabled"] is False
    assert 'action="/billing/checkout/"' not in response.content.decode()
    assert (
        alice_client.post("/billing/webhook/", "{}", content_type="application/json").status_code
        == 404
    )


class _StripeDown(http.server.BaseHTTPRequestHandler):
    """A local stand-in for Stripe's API having a bad day: every call answers 503."""

    def do_POST(self):
        body = json.dumps({"error": {"type": "api_error", "message": "Service unavailable"}})
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture(params=["unreachable", "answers_503"])
def stripe_down(request, monkeypatch):
    """Stripe's HTTP, for real, against a local port: nothing listening, or a failing server."""
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    monkeypatch.setattr(stripe, "default_http_client", None)
    if request.param == "unreachable":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # closed when the block ends: nothing listens
        monkeypatch.setattr(stripe, "api_base", f"http://127.0.0.1:{port}")
        yield
        return
    server = http.server.HTTPServer(("127.0.0.1", 0), _StripeDown)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(stripe, "api_base", f"http://127.0.0.1:{server.server_port}")
    yield
    server.shutdown()
    server.server_close()


def error_tags(response):
    return [message.tags for message in get_messages(response.wsgi_request)]


def test_stripe_down_at_checkout_says_so_without_an_error_page(
    alice, alice_client, stripe_keys, stripe_down
):
    response = alice_client.post("/billing/checkout/", {"interval": "monthly"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/billing/"
    assert error_tags(response) == ["payment_unavailable error"]
    assert subscription(alice.account).plan == Plan.FREE
    assert alice_client.get("/billing/").status_code == 200


def test_stripe_down_at_the_portal_says_so_without_an_error_page(
    alice, alice_client, stripe_keys, stripe_down
):
    with scopes_disabled():
        Subscription.objects.filter(account=alice.account).update(
            plan="pro", stripe_customer_id="cus_1"
        )
    response = alice_client.post("/billing/portal/")

    assert response.status_code == 302
    assert error_tags(response) == ["payment_unavailable error"]
