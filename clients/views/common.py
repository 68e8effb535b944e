"""What every view of a client card needs: finding her, and reading the card."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nailpro.health_log import log_health_view

from ..chart import chart_legend, hand_chart
from ..models import (
    Client,
    ConsentEvent,
    Gift,
    HealthProfile,
    NailState,
    SignedConsent,
)

HISTORY_SIZE = 10
GALLERY_SIZE = 12


def get_client(request, client_id):
    """Return the client of the logged-in account, or 404 (another account's looks missing)."""
    return get_object_or_404(Client, pk=client_id)


def get_card(request, client_id):
    """Return the client with everything the card shows, in a fixed number of queries."""
    return get_object_or_404(_card_queryset(), pk=client_id)


def _card_queryset():
    return Client.objects.select_related("category", "referred_by").prefetch_related(
        Prefetch(
            "consent_events",
            queryset=ConsentEvent.objects.select_related("recorded_by", "form__text"),
        ),
        Prefetch("signed_consents", queryset=SignedConsent.objects.select_related("text")),
        Prefetch("nails", queryset=NailState.objects.all()),
        Prefetch("gifts", queryset=Gift.objects.all()),
        Prefetch("health", queryset=HealthProfile.objects.all()),
    )


def card_context(client):
    """Everything the card shows, read in a bounded number of queries."""
    today = timezone.localdate()
    consents = client.consent_state()
    health_consent = client_has(consents, ConsentEvent.Kind.HEALTH)
    chart = hand_chart(client)
    gifts_by_year = {}
    for gift in client.gifts.all():
        gifts_by_year.setdefault(gift.given_on.year, []).append(gift)
    health = client.known_health(consent=health_consent)
    chart = hand_chart(client, consent=health_consent)
    medical = [
        nail
        for hand in chart.values()
        for nail in hand
        if nail.condition in NailState.MEDICAL_CONDITIONS
    ]
    # Visits, appointments and photos live in higher apps: read through reverse relations.
    return {
        **_appointments_context(client),
        "photos": list(client.photos.all()[:GALLERY_SIZE]),
        "client": client,
        "today": today,
        "visits": list(client.visits.for_history()[:HISTORY_SIZE]),
        "visit_stats": client.visits.stats(),
        "consents": [
            (kind, label, consents[kind], client_has(consents, kind))
            for kind, label in ConsentEvent.Kind.choices
        ],
        "health_consent": health_consent,
        "health": health,
        # Whether the card shows a health fact: then the access log records it.
        "shows_health": health is not None or bool(medical),
        "allergens": client.known_allergens(consent=health_consent),
        "chart": chart,
        "chart_legend": chart_legend(chart),
        "gifts_by_year": sorted(gifts_by_year.items(), reverse=True),
        "birthday_gift_given": any(
            g.occasion == Gift.Occasion.BIRTHDAY for g in gifts_by_year.get(today.year, [])
        ),
        "next_birthday": _next_birthday(client, today),
    }


def _appointments_context(client):
    """Her coming appointments, the cancelled and missed ones, and how often she missed one.
    The agenda lives in a higher app: read through the reverse relation."""
    with_services = client.appointments.prefetch_related("services")
    return {
        "upcoming_appointments": list(
            with_services.open().filter(start__gte=timezone.now()).order_by("start")[:5]
        ),
        "missed_appointments": list(with_services.inactive().order_by("-start")[:10]),
        "appointment_counts": client.appointments.missed_counts(),
    }


def shown_card_context(request, client):
    """The card's context for a page or partial that shows her health: the reading is logged."""
    context = card_context(client)
    if context["shows_health"]:
        log_health_view(request, client)
    return context


def client_has(consents, kind):
    event = consents[kind]
    return event.given if event else ConsentEvent.DEFAULTS[kind]


def _next_birthday(client, today):
    if not client.birthday:
        return None
    birthday = client.birthday_in(today.year)
    if birthday < today:
        birthday = client.birthday_in(today.year + 1)
    return birthday
