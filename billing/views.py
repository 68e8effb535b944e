from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nailpro.decorators import account_required
from nailpro.links import mailto_url

from . import stripe_sync
from .plans import FREE_CLIENT_LIMIT, prices, subscription_of


def see_other(url):
    """Send the browser on to Stripe's page after a POST."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@account_required
def billing_index(request):
    """The plan, its usage and the Pro price, with the way to upgrade."""
    if request.account is None:
        return redirect("admin:index")
    context = {
        "subscription": subscription_of(request.account),
        "prices": prices(),
        "free_limit": FREE_CLIENT_LIMIT,
        "stripe_enabled": stripe_sync.is_configured(),
        "just_paid": request.GET.get("checkout") == "done",
        "support_url": mailto_url(settings.SUPPORT_EMAIL),
    }
    return render(request, "billing/billing.html", context)


@account_required
@require_POST
def checkout(request):
    if not stripe_sync.is_configured() or request.account is None:
        return redirect("billing:index")
    page = request.build_absolute_uri(reverse("billing:index"))
    try:
        url = stripe_sync.checkout_url(
            subscription=subscription_of(request.account),
            email=request.user.email,
            interval=request.POST.get("interval", "monthly"),
            success_url=f"{page}?checkout=done",
            cancel_url=page,
        )
    except ValidationError as error:
        return _payment_error(request, error)
    return see_other(url)


def _payment_error(request, error):
    """Say why the payment page did not open (the error's code in the message's tags)."""
    messages.error(request, error.message, extra_tags=error.code)
    return redirect("billing:index")


@account_required
@require_POST
def portal(request):
    subscription = subscription_of(request.account) if request.account else None
    if not stripe_sync.is_configured() or not (subscription and subscription.stripe_customer_id):
        messages.info(request, _("There is no paid subscription to manage yet."))
        return redirect("billing:index")
    try:
        url = stripe_sync.portal_url(
            subscription=subscription,
            return_url=request.build_absolute_uri(reverse("billing:index")),
        )
    except ValidationError as error:
        return _payment_error(request, error)
    return see_other(url)


@csrf_exempt
@require_POST
def webhook(request):
    """Stripe's events: signed, so no login and no CSRF token; a bad signature changes nothing."""
    if not stripe_sync.is_configured():
        return HttpResponse(status=404)
    signature = request.headers.get("Stripe-Signature", "")
    if not stripe_sync.handle_webhook(request.body, signature):
        return HttpResponseBadRequest("Invalid signature")
    return HttpResponse(status=200)
