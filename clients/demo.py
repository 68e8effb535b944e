"""Demo clients for `manage.py seed_demo`: forty realistic French clients, some with allergies
(recorded under consent), consent forms signed on the phone or on paper, hand charts and gifts.
Running it again changes nothing."""

import base64
import datetime
import io
import math
import random

from django.utils import timezone
from PIL import Image, ImageDraw

from catalog.models import Allergen
from nailpro.images import process_signature
from nailpro.text import fold

from .models import Category, Client, ConsentEvent, ConsentText, Gift, HealthProfile, NailState
from .services import consent_form_sign, consent_record

FIRST_NAMES = [
    "Hélène",
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Émilie",
    "Laura",
    "Océane",
    "Marine",
    "Pauline",
    "Anaïs",
    "Mélanie",
    "Clémence",
    "Aurélie",
    "Élodie",
    "Zoé",
    "Lucie",
    "Margaux",
    "Jade",
    "Noémie",
    "Céline",
    "Sophie",
    "Nathalie",
    "Isabelle",
    "Sandrine",
    "Valérie",
    "Agnès",
    "Gaëlle",
    "Maëlys",
    "Anne",
    "Christine",
    "Josiane",
    "Fatima",
    "Yasmine",
    "Amandine",
    "Coralie",
    "Bérénice",
]
LAST_NAMES = [
    "Dupont",
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupuis",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
]
STREETS = [
    ("12 rue des Lilas", "75019", "Paris", "Code 4B21, 3e étage gauche"),
    ("5 avenue Jean Jaurès", "92130", "Issy-les-Moulineaux", "Interphone « Martin », ascenseur"),
    ("28 rue de la République", "93100", "Montreuil", "Se garer rue voisine, portail vert"),
    ("3 allée des Cerisiers", "94300", "Vincennes", "Maison au fond de l'allée"),
    ("41 boulevard Voltaire", "75011", "Paris", "Digicode 1789A, 5e sans ascenseur"),
    ("9 place du Marché", "78000", "Versailles", "Sonner deux fois"),
    ("17 rue Victor Hugo", "92100", "Boulogne-Billancourt", "Parking visiteurs niveau -1"),
    ("66 rue de Paris", "94220", "Charenton-le-Pont", ""),
]
NOTES = [
    "Aime les couleurs nude et les finitions mates.",
    "Préfère les rendez-vous le matin, avant l'école.",
    "Ongles fins : limer doucement, pas de ponçage.",
    "Fan de nail art floral au printemps.",
    "Toujours un chat à la maison (allergie de la technicienne : prévoir).",
    "",
]
MOBILE_PREFIXES = ["12", "20", "32", "45", "58", "63", "74", "85"]
GIFTS = ["Huile pour cuticules", "Crème mains karité", "Mini vernis rose poudré", "Lime en verre"]


# Clients who speak another language than their technician: their consent form, reminders and
# export are in it; a Russian name is written with its patronymic.
SPEAKERS = {
    11: ("Emily", "Clarke", "", "en"),
    17: ("Ольга", "Смирнова", "Игоревна", "ru"),
    26: ("Lucía", "García", "", "es"),
    31: ("Giulia", "Romano", "", "it"),
}


def seed(account, *, client_count=40, **options):
    """Create the demo clients of `account` once; a second run finds them and stops."""
    if Client.objects.filter(account=account).exists():
        return
    rng = random.Random(2026)  # the same demo on every machine
    today = timezone.localdate()
    categories = list(Category.objects.filter(account=account))
    allergens = {a.code: a for a in Allergen.objects.filter(is_active=True)}
    clients = []
    names = list(zip(FIRST_NAMES, LAST_NAMES, strict=True))[:client_count]
    for index, (first, last) in enumerate(names):
        street, postal_code, city, access = STREETS[index % len(STREETS)]
        first, last, patronymic, language = SPEAKERS.get(index, (first, last, "", ""))
        client = Client(
            account=account,
            first_name=first,
            last_name=last,
            patronymic=patronymic,
            language=language,
            phone=f"+336{rng.choice(MOBILE_PREFIXES)}{rng.randrange(100_000, 999_999)}",
            email=f"{_ascii(first)}.{_ascii(last)}@exemple.fr"
            if index % 3 and _ascii(first).isascii()
            else "",
            birth_date=datetime.date(
                rng.randrange(1958, 2004), rng.randrange(1, 13), rng.randrange(1, 29)
            ),
            street=street,
            postal_code=postal_code,
            city=city,
            access_notes=access,
            nail_system=rng.choice(Client.NailSystem.values),
            nail_shape=rng.choice(Client.NailShape.values),
            notes=rng.choice(NOTES),
            category=rng.choice(categories),
            source=rng.choice(Client.Source.values),
            loyalty_card_number=f"FID-{1000 + index}" if index % 4 == 0 else "",
            created_at=timezone.now() - datetime.timedelta(days=rng.randrange(1, 700)),
        )
        if index == 7:
            client.blacklisted = True
            client.blacklist_reason = "Deux rendez-vous manqués sans prévenir"
        if index in (2, 15):  # birthdays to wish in the coming days
            soon = today + datetime.timedelta(days=1 if index == 2 else 4)
            client.birth_date = datetime.date(client.birth_date.year, soon.month, min(soon.day, 28))
            if index == 15:  # from her phone's contacts: day and month, no year
                client.birthday_month, client.birthday_day = soon.month, soon.day
                client.birth_date = None
        client.full_clean(exclude=["referred_by"])
        client.save()
        clients.append(client)
        if client.source == Client.Source.REFERRAL and index:
            client.referred_by = clients[rng.randrange(0, index)]
            client.save(update_fields=["referred_by"])

    for client in clients:
        if rng.random() < 0.3:
            consent_record(
                client=client,
                kind=ConsentEvent.Kind.MARKETING,
                given=True,
                method=ConsentEvent.Method.IN_APP,
                date=today - datetime.timedelta(days=rng.randrange(1, 200)),
            )
        if rng.random() < 0.1:
            consent_record(
                client=client,
                kind=ConsentEvent.Kind.REMINDERS,
                given=False,
                method=ConsentEvent.Method.ORAL,
                date=today - datetime.timedelta(days=rng.randrange(1, 200)),
            )

    health_cases = [
        (["hema", "di-hema-tmhdc"], ["brittle"], "Réaction après une pose gel en salon (2024)."),
        (["nickel"], [], "Éviter les outils non inoxydables."),
        (["latex"], ["onycholysis"], "Gants nitrile uniquement."),
        ([], ["mycosis_suspected"], "Conseiller un avis médical avant toute pose."),
        (["fragrance", "colophony"], ["ridges"], ""),
        (["ethyl-cyanoacrylate"], ["bitten"], "Pas de colle pour capsules."),
    ]
    for client, (codes, pathologies, notes) in zip(clients[::6], health_cases, strict=False):
        consent_record(
            client=client,
            kind=ConsentEvent.Kind.HEALTH,
            given=True,
            method=ConsentEvent.Method.PAPER,
            date=today - datetime.timedelta(days=rng.randrange(10, 300)),
        )
        health = HealthProfile.objects.create(
            account=account,
            client=client,
            pathologies=pathologies,
            health_notes=notes,
            medications="Isotrétinoïne (ongles fragiles)" if "brittle" in pathologies else "",
        )
        health.set_allergens([allergens[code] for code in codes if code in allergens])
        health.save(update_fields=["allergen_ids"])

    # Consent forms: two signed on the phone today, one on paper yesterday (after every
    # answer recorded above, so the ledger reads them as the ones in force).
    text = ConsentText.current(account.language)
    for index, client in enumerate(clients[1:4]):
        choices = dict.fromkeys(ConsentEvent.Kind.values, True)
        choices[ConsentEvent.Kind.MARKETING] = index != 1
        if index == 2:
            consent_form_sign(
                client=client,
                text=text,
                choices=choices,
                signed_on=today - datetime.timedelta(days=1),
            )
        else:
            signature = process_signature(_signature(rng))
            consent_form_sign(client=client, text=text, choices=choices, signature=signature)
    # Emily and Olga signed the form in their own language.
    for client in clients:
        if client.language in ("en", "ru"):
            consent_form_sign(
                client=client,
                text=ConsentText.current(client.spoken_language),
                choices=dict.fromkeys(ConsentEvent.Kind.values, True),
                signature=process_signature(_signature(rng)),
            )

    conditions = [c for c in NailState.Condition.values if c != "other"]
    for client in clients[:12]:
        consent = client.has_consent(ConsentEvent.Kind.HEALTH)
        for finger in rng.sample(NailState.Finger.values, rng.randrange(2, 6)):
            NailState.objects.create(
                account=account,
                client=client,
                finger=finger,
                length=rng.choice(NailState.Length.values),
                # A medical condition only under her health consent (rule 4).
                condition=NailState.shown_condition(rng.choice(conditions), consent=consent),
                remarks=rng.choice(["", "", "Petite fissure côté gauche", "Cuticules sèches"]),
            )

    for client in clients[::3]:
        for year in (today.year - 1, today.year):
            if rng.random() < 0.6 and client.birth_date:
                given_on = client.birthday_in(year)
                if given_on <= today:
                    Gift.objects.create(
                        account=account,
                        client=client,
                        occasion=Gift.Occasion.BIRTHDAY,
                        description=rng.choice(GIFTS),
                        given_on=given_on,
                        value=rng.choice([None, 5, 8, 12]),
                    )


def _ascii(text):
    return fold(text).replace(" ", "")


def _signature(rng):
    """Return a hand-like scribble as the signature pad sends it (a PNG data URL)."""
    image = Image.new("RGBA", (680, 360), (0, 0, 0, 0))
    phase = rng.random() * 3
    points = [
        (60 + x * 5, 200 + 70 * math.sin(x / 6 + phase) * math.cos(x / 17)) for x in range(110)
    ]
    ImageDraw.Draw(image).line(points, fill=(29, 29, 43, 255), width=5, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
