"""Consents and health data: the special-category part of the card (rule 4 in ARCHITECTURE.md)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from nailpro.decorators import account_required
from nailpro.health_log import log_health_view

from ..forms import ConsentForm, HealthForm
from ..models import ConsentEvent, HealthProfile
from ..services import consent_record
from .common import card_context, get_card, get_client, shown_card_context


@account_required
def consent_new(request, client_id):
    """Record a consent given or withdrawn; withdrawing the health consent erases health data."""
    client = get_client(request, client_id)
    initial = {"kind": request.GET.get("kind"), "method": ConsentEvent.Method.IN_APP}
    form = ConsentForm(request.POST or None, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        event = consent_record(
            client=client,
            user=request.user,
            **{name: form.cleaned_data[name] for name in ("kind", "given", "method", "date")},
        )
        card_url = f"{client.get_absolute_url()}#consents"
        if event.kind == ConsentEvent.Kind.HEALTH:
            if not event.given:
                messages.warning(request, _("Health consent withdrawn: her health data is erased."))
            # The health section and the header change too: reload the whole card.
            return HttpResponseClientRedirect(card_url) if request.htmx else redirect(card_url)
        if request.htmx:
            context = card_context(get_card(request, client_id))
            return render(request, "clients/client_detail.html#consents", context)
        messages.success(request, _("The consent is recorded."))
        return redirect(card_url)
    template = "clients/consent_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, {"client": client, "form": form})


@account_required
def health_edit(request, client_id):
    client = get_client(request, client_id)
    health = HealthProfile.objects.filter(client=client).first() or HealthProfile(
        account=client.account, client=client
    )
    form = HealthForm(request.POST or None, instance=health, client=client)
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            card = shown_card_context(request, get_card(request, client_id))
            context = {**card, "section": "health"}
            return render(request, "clients/section_saved.html", context)
        messages.success(request, _("Health information saved."))
        return redirect(f"{client.get_absolute_url()}#health")
    consent = client.has_consent(ConsentEvent.Kind.HEALTH)
    if consent and health.pk and not health._state.adding:
        log_health_view(request, client)
    context = {"client": client, "form": form, "health_consent": consent}
    template = "clients/health_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context)
