"""What every view of a client card needs: finding her, and reading the card."""

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from nailpro import links
from nailpro.health_log import log_health_view
from nailpro.phones import has_number
from nailpro.thumbnails import for_grid

from ..chart import chart_legend, hand_chart
from ..models import (
    Client,
    ConsentEvent,
    ConsentText,
    Gift,
    NailState,
    SignedConsent,
)

HISTORY_SIZE = 10
GALLERY_SIZE = 12
UPCOMING_SIZE = 5
MISSED_SIZE = 10
THUMBS_SIZE = 4  # on each visit of her history


def get_client(request, client_id):
    """Return the client of the logged-in account, or 404 (another account's looks missing)."""
    return get_object_or_404(Client, pk=client_id)


def get_card(request, client_id):
    """Return the client with everything the card shows, in a fixed number of queries: her
    row, with whether she has consent events, signed forms, a nail chart and gifts; then each
    of those lists she has (most clients have no gift or signed form: nothing is read for
    them). The lists are on `client.card_lists`."""
    client = get_object_or_404(_card_queryset(), pk=client_id)
    client.card_lists = {
        name: list(rows.filter(client=client)) if getattr(client, f"has_{name}") else []
        for name, rows in _card_lists().items()
    }
    return client


def _card_queryset():
    # Her health profile and her kept visit figures (visits.figures) are one-to-one: joined.
    # Who sent her, when someone did, is read on its own: most clients came another way, and
    # the whole row of another client would double the columns read for every card.
    return Client.objects.select_related("category", "health", "figures").annotate(
        **{
            f"has_{name}": Exists(rows.filter(client=OuterRef("pk")))
            for name, rows in _card_lists().items()
        }
    )


def _card_lists():
    return {
        # Each event's form is one of her signed forms: linked in card_context, not joined.
        "consent_events": ConsentEvent.objects.select_related("recorded_by"),
        # The card names each form's text by its language and version, not its wording.
        "signed_consents": SignedConsent.objects.select_related("text").defer(
            "text__title", "text__body", *(f"text__{f}" for f in ConsentText.STATEMENT_FIELDS)
        ),
        "nails": NailState.objects.all(),
        "gifts": Gift.objects.all(),
    }


def card_context(client):
    """Everything the card shows, read in a bounded number of queries."""
    today = timezone.localdate()
    lists = client.card_lists
    # Each kind and way of consent named once for the ledger, not through get_*_display.
    kinds, methods = dict(ConsentEvent.Kind.choices), dict(ConsentEvent.Method.choices)
    forms = {form.pk: form for form in lists["signed_consents"]}
    for form in forms.values():
        form.method_label = methods.get(form.method, form.method)
    for event in lists["consent_events"]:
        event.kind_label = kinds.get(event.kind, event.kind)
        event.method_label = methods.get(event.method, event.method)
        if event.form_id in forms:
            event.form = forms[event.form_id]
    consents = client.consent_state(lists["consent_events"])
    health_consent = client_has(consents, ConsentEvent.Kind.HEALTH)
    gifts_by_year = {}
    for gift in lists["gifts"]:
        gifts_by_year.setdefault(gift.given_on.year, []).append(gift)
    health = client.known_health(consent=health_consent)
    chart = hand_chart(
        lists["nails"], consent=health_consent, url=reverse("clients:nail", args=[client.pk])
    )
    medical = [
        nail
        for hand in chart.values()
        for nail in hand
        if nail.condition in NailState.MEDICAL_CONDITIONS
    ]
    # Visits, appointments and photos live in higher apps: read through reverse relations.
    visits, favourites = client.visits.card_history(HISTORY_SIZE)
    return {
        **_appointments_context(client),
        "photos": _photos(client, visits),
        "client": client,
        "signed_forms": lists["signed_consents"],
        "consent_events": lists["consent_events"],
        "today": today,
        "visits": visits,
        "visit_stats": _visit_stats(client, visits, favourites),
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
        "contact": _contact(client),
    }


def _contact(client):
    """Her phone and e-mail links, each written once (every test of her phone formats it)."""
    phone = has_number(client.phone)
    return {
        "phone": phone,
        "tel_url": links.tel_url(client) if phone else "",
        "whatsapp_url": links.whatsapp_url(client) if phone else "",
        "sms_url": links.sms_url(client) if phone else "",
        "mail_url": links.mail_url(client),
    }


def _visit_stats(client, visits, favourites):
    """Her figures: kept on write (visits.figures), the rest read with her history."""
    kept = getattr(client, "figures", None)  # none before her first visit
    count = kept.visit_count if kept else 0
    newest = visits[0] if visits else None
    return {
        "count": count,
        "first": kept and kept.first_visit_at,
        "last": kept and kept.last_visit_at,
        "average": kept.total_spent / count if count else None,
        "interval_days": kept and kept.interval_days,
        "spent_30_days": newest and newest.spent_30_days,
        "spent_12_months": newest and newest.spent_12_months,
        "favourite_services": favourites,
    }


def _photos(client, visits):
    """Her newest photos for the gallery, and on each visit of her history its first
    thumbnails (`thumbs`), in one query; each history row's link, payment and thumbnails
    written once here (visits/visit_rows.html)."""
    newest = client.photos.all()[:GALLERY_SIZE]
    photos = for_grid(client.photos.filter(Q(pk__in=newest.values("pk")) | Q(visit__in=visits)))
    by_visit = {visit.pk: visit for visit in visits}
    visit_url = links.page_urls("visits:detail")
    payments = dict(client.visits.model.Payment.choices)
    for visit in visits:
        visit.url = visit_url(visit.pk)
        visit.payment_label = payments.get(visit.payment_method, visit.payment_method)
        visit.thumbs = []
    for photo in photos:  # newest first
        visit = by_visit.get(photo.visit_id)
        if visit is not None and len(visit.thumbs) < THUMBS_SIZE:
            visit.thumbs.append((photo.thumb_url, photo.kind_label))
    return photos[:GALLERY_SIZE]


def _appointments_context(client):
    """Her coming appointments, the cancelled and missed ones, and how often she missed one.
    The agenda lives in a higher app: read through the reverse relation, in one query (and
    one for their services)."""
    now = timezone.now()
    booked = client.appointments.all()
    model = booked.model
    upcoming = booked.open().filter(start__gte=now).order_by("start")[:UPCOMING_SIZE]
    missed = booked.inactive().order_by("-start")[:MISSED_SIZE]
    shown = list(
        booked.filter(Q(pk__in=upcoming.values("pk")) | Q(pk__in=missed.values("pk")))
        .annotate(
            # Over all her appointments, on each row: without a row she missed none.
            no_shows=_count(booked.filter(status=model.Status.NO_SHOW)),
            cancelled_by_her=_count(
                booked.filter(status=model.Status.CANCELLED, cancelled_by=model.CancelledBy.CLIENT)
            ),
        )
        .order_by("start")
        .prefetch_related("services")
    )
    inactive = set(model.INACTIVE)
    return {
        "upcoming_appointments": [a for a in shown if a.status not in inactive],
        "missed_appointments": [a for a in reversed(shown) if a.status in inactive],
        "appointment_counts": {
            "no_shows": shown[0].no_shows if shown else 0,
            "cancelled_by_her": shown[0].cancelled_by_her if shown else 0,
        },
    }


def _count(queryset):
    """How many rows `queryset` holds, as a subquery: SELECT COUNT(id) FROM … (one row, 0
    when none; a plain function, not an aggregate, so that no GROUP BY is built)."""
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return Subquery(queryset.order_by().annotate(n=count).values("n"))


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
