"""Reading the client list: search, filters, the A–Z index."""

import re

from django.db import connection
from django.db.models import BooleanField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from nailpro.text import fold

from .forms import birthday_window
from .models import Client, ConsentEvent, allergen_reference, born_on_any

LATIN = "abcdefghijklmnopqrstuvwxyz"
# Ё is folded into Е; Ъ, Ы and Ь never start a name.
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщэюя"


def index_letters(language=None):
    """The A–Z index of the client list: in Russian the Cyrillic alphabet, then the Latin one
    (her clients' names may be written in either); "#" for any other first letter."""
    letters = [*LATIN.upper(), "#"]
    if (language or get_language()) == "ru":
        return [*CYRILLIC.upper(), *letters]
    return letters


def search(clients, text):
    """Find clients by first name, last name or phone digits, ignoring case and accents.

    "helene" finds "Hélène"; "06 12" finds +33 6 12…; "hélène 06" needs both.
    """
    text = (text or "").strip()[:100]
    if not text:
        return clients
    compact = re.sub(r"[\s.\-()+/]", "", text)
    if compact.isdigit():
        return clients.filter(phone_digits__contains=compact)
    for token in text.split():
        token_digits = re.sub(r"\D", "", token)
        if token_digits and len(token_digits) == len(re.sub(r"[.\-()+/]", "", token)):
            clients = clients.filter(phone_digits__contains=token_digits)
        else:
            clients = clients.filter(search_name__contains=fold(token))
    return clients


def with_consent(clients, kind):
    """Annotate `consent_<kind>` with the latest answer recorded (None when never asked)."""
    latest = (
        ConsentEvent.objects.filter(client=OuterRef("pk"), kind=kind)
        .order_by("-date", "-recorded_at")
        .values("given")[:1]
    )
    return clients.annotate(**{f"consent_{kind}": Subquery(latest)})


def apply_filters(clients, data):
    """Apply the cleaned data of a ClientFilterForm."""
    clients = search(clients, data.get("q"))
    letter = (data.get("letter") or "").lower()
    if letter == "#":
        indexed = "".join(index_letters()[:-1]).lower()
        clients = clients.exclude(search_name__regex=f"^[{indexed}]")
    elif letter.isalpha():
        clients = clients.filter(search_name__startswith=fold(letter))
    if data.get("category"):
        clients = clients.filter(category=data["category"])
    if data.get("source"):
        clients = clients.filter(source=data["source"])
    if data.get("blacklisted"):
        clients = clients.filter(blacklisted=data["blacklisted"] == "yes")
    if data.get("consent"):
        kind, answer = data["consent"].split(":")
        clients = with_consent(clients, kind)
        given = answer == "yes"
        field = f"consent_{kind}"
        condition = Q(**{field: given})
        if ConsentEvent.DEFAULTS[kind] == given:
            condition |= Q(**{f"{field}__isnull": True})
        clients = clients.filter(condition)
    pairs = birthday_window(
        data.get("birthday"), data.get("birthday_from"), data.get("birthday_to")
    )
    if pairs is not None:
        clients = clients.filter(born_on_any(pairs))
    if data.get("added_from"):
        clients = clients.filter(created_at__date__gte=data["added_from"])
    if data.get("added_to"):
        clients = clients.filter(created_at__date__lte=data["added_to"])
    return clients


def with_allergies(clients):
    """Read, with the list itself, what the rows' allergy marker needs: her health consent
    and her allergens (no query per row).

    Her latest health consent is a subquery written in SQL (names from the models, the kind
    a parameter, her own account's rows only, as the scoped manager would): the ORM's
    Subquery() cost more to build than the database takes to answer it, on every list."""
    return clients.annotate(
        health_consent_given=RawSQL(  # noqa: S611 (see _latest_health_consent)
            _latest_health_consent(), (ConsentEvent.Kind.HEALTH,), output_field=BooleanField()
        )
    ).select_related("health")


def _latest_health_consent():
    quote = connection.ops.quote_name
    events = ConsentEvent._meta
    client = quote(Client._meta.db_table)

    def column(name):
        return quote(events.get_field(name).column)

    return (
        f"SELECT {column('given')} FROM {quote(events.db_table)}"  # noqa: S608
        f" WHERE {column('client')} = {client}.{quote(Client._meta.pk.column)}"
        f" AND {column('account')} = {client}.{quote(Client._meta.get_field('account').column)}"
        f" AND {column('kind')} = %s"
        f" ORDER BY {column('date')} DESC, {column('recorded_at')} DESC LIMIT 1"
    )


def mark_allergies(clients):
    """Set `allergy_marker` on each client of a list read through with_allergies: her
    allergens (and whether other allergies are noted), only under her health consent.
    Return the clients whose health data is shown, for the access log."""
    shown, reference = [], None
    for client in clients:
        consent = bool(client.health_consent_given)  # never asked: no consent
        health = client.known_health(consent=consent)
        if health is not None and health.allergen_ids and reference is None:
            reference = allergen_reference()  # read once, for the rows that need it
        allergens = client.known_allergens(consent=consent, reference=reference)
        client.allergy_marker = allergens or (health is not None and bool(health.allergy_notes))
        client.allergy_names = [str(allergen) for allergen in allergens]
        if client.allergy_marker:
            shown.append(client)
    return shown
