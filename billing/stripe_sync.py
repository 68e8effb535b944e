"""Talking to Stripe: Checkout and the customer portal out, webhook events in.

No card data ever reaches NailPro: Stripe's own pages take the payment, and its signed
webhook events tell us what changed.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .models import Plan, StripeEvent, Subscription


def _stripe():
    import stripe as module

    return module


# The Stripe library weighs ~21 MB in memory: loaded by the first request that talks to Stripe,
# not by every web worker at start.
stripe = SimpleLazyObject(_stripe)

# Stripe subscription statuses, as our plan and status.
STATUSES = {
    "active": (Plan.PRO, Subscription.Status.ACTIVE),
    "trialing": (Plan.PRO, Subscription.Status.TRIALING),
    "past_due": (Plan.PRO, Subscription.Status.PAST_DUE),
    "canceled": (Plan.FREE, Subscription.Status.CANCELLED),
    "unpaid": (Plan.FREE, Subscription.Status.CANCELLED),
    "incomplete_expired": (Plan.FREE, Subscription.Status.CANCELLED),
}


logger = logging.getLogger(__name__)


def _open_session(create, **params):
    """Open a Stripe session; raise a coded ValidationError when Stripe cannot do it now."""
    try:
        return create(api_key=settings.STRIPE_SECRET_KEY, **params)
    except stripe.StripeError as error:
        # Unreachable, down, rate-limited or refusing our request: she can only try later.
        logger.warning("Stripe session not opened: %s", type(error).__name__)
        raise ValidationError(
            _(
                "The payment service cannot be reached right now. Nothing was charged: "
                "try again in a few minutes."
            ),
            code="payment_unavailable",
        ) from error


def is_configured():
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def checkout_url(*, subscription, email, interval, success_url, cancel_url):
    """Open a Stripe Checkout session for the Pro plan and return its page's address."""
    price = settings.STRIPE_PRICE_YEARLY if interval == "yearly" else settings.STRIPE_PRICE_MONTHLY
    account_id = str(subscription.account_id)
    params = {
        "mode": "subscription",
        "line_items": [{"price": price, "quantity": 1}],
        "client_reference_id": account_id,
        "subscription_data": {"metadata": {"account_id": account_id}},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if subscription.stripe_customer_id:
        params["customer"] = subscription.stripe_customer_id
    else:
        params["customer_email"] = email
    return _open_session(stripe.checkout.Session.create, **params).url


def portal_url(*, subscription, return_url):
    session = _open_session(
        stripe.billing_portal.Session.create,
        customer=subscription.stripe_customer_id,
        return_url=return_url,
    )
    return session.url


def handle_webhook(payload, signature):
    """Verify and apply one webhook event; return False when the signature is not Stripe's.

    Each event id is applied once, however many times Stripe delivers it.
    """
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError):
        return False
    try:
        with transaction.atomic(), scopes_disabled():
            StripeEvent.objects.create(id=event["id"], type=event["type"])
            apply_event(event["type"], event["data"]["object"].to_dict())
    except IntegrityError:
        pass  # already applied
    return True


def apply_event(kind, data):
    if kind == "checkout.session.completed":
        subscription = _find(account_id=data.get("client_reference_id"))
        if subscription is not None:
            subscription.stripe_customer_id = data.get("customer") or ""
            subscription.stripe_subscription_id = data.get("subscription") or ""
            subscription.plan, subscription.status = STATUSES["active"]
            subscription.save()
    elif kind in ("customer.subscription.created", "customer.subscription.updated"):
        subscription = _find_for(data)
        if subscription is not None and data.get("status") in STATUSES:
            subscription.plan, subscription.status = STATUSES[data["status"]]
            subscription.stripe_subscription_id = data.get("id") or ""
            subscription.current_period_end = _period_end(data)
            subscription.save()
    elif kind == "customer.subscription.deleted":
        subscription = _find_for(data)
        if subscription is not None:
            subscription.plan, subscription.status = STATUSES["canceled"]
            subscription.current_period_end = _period_end(data)
            subscription.save()


def _find_for(data):
    return (
        _find(stripe_subscription_id=data.get("id"))
        or _find(stripe_customer_id=data.get("customer"))
        or _find(account_id=(data.get("metadata") or {}).get("account_id"))
    )


def _find(**lookup):
    ((field, value),) = lookup.items()
    if not value:
        return None
    try:
        return Subscription.objects.select_for_update().filter(**{field: value}).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID
        return None


def _period_end(data):
    """Stripe has moved the period end from the subscription to its items over versions."""
    timestamp = data.get("current_period_end")
    items = (data.get("items") or {}).get("data") or []
    if timestamp is None and items:
        timestamp = items[0].get("current_period_end")
    if timestamp is None:
        return None
    return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)


def cancel_subscription(subscription):
    """Cancel her Stripe subscription now (her account is being deleted); return whether
    there was one to cancel. Stripe errors propagate: the caller must not go on."""
    if not (is_configured() and subscription.stripe_subscription_id):
        return False
    try:
        stripe.Subscription.cancel(
            subscription.stripe_subscription_id, api_key=settings.STRIPE_SECRET_KEY
        )
    except stripe.InvalidRequestError as error:
        if error.code != "resource_missing":
            raise
        # Already gone at Stripe (cancelled there): nothing left to charge.
    return True
