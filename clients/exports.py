"""The client list as a table: what she sees filtered, with visit figures, for a spreadsheet.

Health data goes in only when she asks for it, and each client whose health data left the
app that way gets an "exported" line in her access log.
"""

from decimal import Decimal

from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from nailpro.phones import format_phone

from .models import (
    AccessLog,
    Client,
    ConsentEvent,
    HealthProfile,
    allergen_reference,
    month_day_text,
)

IDENTITY = [
    "first_name",
    "last_name",
    "patronymic",
    "phone",
    "phone2",
    "email",
    "birth_date",
    "gender",
    "language",
]
ADDRESS = ["street", "postal_code", "city", "access_notes"]
RELATIONSHIP = ["category", "source", "notes"]


def _label(name):
    return capfirst(Client._meta.get_field(name).verbose_name)


def with_figures(clients):
    """Annotate the latest answer of each consent and, when visits exist, her visit figures."""
    annotations = {}
    for kind in ConsentEvent.Kind.values:
        latest = (
            ConsentEvent.objects.filter(client=OuterRef("pk"), kind=kind)
            .order_by("-date", "-recorded_at")
            .values("given")[:1]
        )
        annotations[f"export_consent_{kind}"] = Subquery(latest)
    # Visits live in a higher app: reach them through the reverse relation.
    annotations.update(
        first_visit=Min("visits__started_at"),
        last_visit=Max("visits__started_at"),
        visit_count=Count("visits"),
        total_spent=Sum("visits__total"),
    )
    return clients.annotate(**annotations)


def client_table(clients, *, account, with_health=False, user=None, where=""):
    """Return (headers, rows) for the given clients, in one bounded set of queries."""
    # Explicit order: Django leaves Meta.ordering out of queries that aggregate.
    clients = with_figures(clients.select_related("category")).order_by("search_name", "created_at")
    reference = None
    if with_health:
        clients = clients.prefetch_related("health")
        reference = allergen_reference()  # read once: her allergens are ids, resolved here
    headers = [_label(name) for name in IDENTITY + ADDRESS + RELATIONSHIP]
    headers += [_("Consent: %(kind)s") % {"kind": label} for label in ConsentEvent.Kind.labels] + [
        _label("created_at")
    ]
    headers += [_("First visit"), _("Last visit"), _("Visits"), _("Total spent")]
    if with_health:
        headers += [
            _("Allergies"),
            _label_of(HealthProfile, "allergy_notes"),
            _label_of(HealthProfile, "pathologies"),
            _label_of(HealthProfile, "pathology_notes"),
            _label_of(HealthProfile, "medications"),
            _label_of(HealthProfile, "health_notes"),
        ]
    rows, exported = [], []
    for client in clients:
        row = _client_row(client, account.phone_region)
        row += [_consent(client, kind) for kind in ConsentEvent.Kind.values] + [
            timezone.localtime(client.created_at).date()
        ]
        row += [
            _local_date(client.first_visit),
            _local_date(client.last_visit),
            client.visit_count,
            client.total_spent or Decimal("0.00"),
        ]
        if with_health:
            health = _health_row(client, reference)
            if any(health):
                exported.append(client)
            row += health
        rows.append(row)
    AccessLog.objects.bulk_create(
        AccessLog(
            account_id=client.account_id,
            client=client,
            user=user if getattr(user, "is_authenticated", False) else None,
            action=AccessLog.Action.EXPORTED,
            where=where[:200],
        )
        for client in exported
    )
    return headers, rows


def _label_of(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def phone_text(phone, region):
    """Write a phone as she dials it: national in her country, international otherwise."""
    return format_phone(phone, region)


def _client_row(client, region):
    return [
        client.first_name,
        client.last_name,
        client.patronymic,
        phone_text(client.phone, region),
        phone_text(client.phone2, region),
        client.email,
        # A birthday without a year reads "--07-19", as phones write it; the import reads it back.
        client.birth_date or (month_day_text(client.birthday) if client.birthday else ""),
        client.get_gender_display(),
        client.get_language_display(),
        client.street,
        client.postal_code,
        client.city,
        client.access_notes,
        client.category.name if client.category else "",
        client.get_source_display(),
        client.notes,
    ]


def _consent(client, kind):
    given = getattr(client, f"export_consent_{kind}")
    return ConsentEvent.DEFAULTS[kind] if given is None else given


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _health_row(client, reference):
    """Her health data, only under her current consent (none is kept without it)."""
    consent = _consent(client, ConsentEvent.Kind.HEALTH)
    health = client.known_health(consent=consent)
    if health is None:
        return [""] * 6
    allergens = client.known_allergens(consent=consent, reference=reference)
    return [
        ", ".join(allergen.name for allergen in allergens),
        health.allergy_notes,
        ", ".join(str(label) for label in health.pathology_labels()),
        health.pathology_notes,
        health.medications,
        health.health_notes,
    ]
