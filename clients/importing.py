"""Importing a client list from another tool: guess the columns, check each row, create.

The same `Importer` checks the rows for the preview and for the import itself, so what she
sees before starting is what happens. The import runs in the background (django-tasks) by
checkpoints: a checkpoint's clients and the import's cursor are committed together, so a
worker killed mid-import leaves whole checkpoints or none, and the next run (queued again by
the maintenance round or her page once the heartbeat is stale) goes on from the cursor. A row
that matches a client already there (same phone or e-mail, or the same name when the row has
neither) is skipped: running the same file twice creates nobody twice.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from django_tasks import task
from phonenumber_field.phonenumber import to_python as to_phone

from billing.plans import client_limit
from nailpro.files import delete_files_on_commit
from nailpro.maintenance import maintenance_ensure, stale_before, worker_seen
from nailpro.tabular import TableError, read_table, transcode
from nailpro.text import clean_text, fold

from .models import Category, Client, ClientImport, birthday_of
from .vcard import COLUMNS as VCARD_COLUMNS
from .vcard import is_vcard, read_vcards

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 10
# The mapping page checks only the file's first lines: it is shown again at each change of a
# column, and checking 100,000 rows took 12 s. The whole file is checked once, by the import.
PREVIEW_SAMPLE = 20
BATCH_SIZE = 100

# What a column can fill, in the order of the mapping menu.
FIELDS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "full_name": gettext_lazy("Full name (first and last)"),
    "patronymic": gettext_lazy("Patronymic"),
    # A phone book's middle name: the patronymic on a Russian-speaking account (Android in
    # Russian labels that field "Отчество"), else the end of her first name.
    "middle_name": gettext_lazy("Middle name"),
    # The Russian way: "Иванова Елена Петровна".
    "full_name_lfp": gettext_lazy("Full name (last, first, patronymic)"),
    "phone": gettext_lazy("Phone"),
    "phone2": gettext_lazy("Second phone"),
    "email": gettext_lazy("E-mail"),
    # A phone book holds more than a card: a third phone or a second e-mail fills an empty
    # one, else is kept in the notes.
    "other_phone": gettext_lazy("More phone numbers"),
    "other_email": gettext_lazy("More e-mails"),
    "birth_date": gettext_lazy("Birth date"),
    "gender": gettext_lazy("Gender"),
    "language": gettext_lazy("Her language"),
    "street": gettext_lazy("Street"),
    "postal_code": gettext_lazy("Postal code"),
    "city": gettext_lazy("City"),
    "access_notes": gettext_lazy("Access notes"),
    "category": gettext_lazy("Category"),
    "source": gettext_lazy("How she found you"),
    "notes": gettext_lazy("Notes"),
}
# Fields that several columns may fill: their texts are joined.
JOINED_FIELDS = {"notes", "access_notes", "other_phone", "other_email"}
# Headers other tools write, in French, English, Spanish, Italian and Russian (folded: no
# accents, no case, no punctuation), and the name columns of Google Contacts ("Given Name",
# "Additional Name"), Outlook ("Middle Name") and iPhone exports ("First", "Last"). Our own
# export's headers are added from the field labels.
SYNONYMS = {
    "first_name": [
        "prenom",
        "first name",
        "firstname",
        "given name",
        "forename",
        "first",
        "nombre",
        "nome",
        "имя",
    ],
    "patronymic": ["patronyme", "patronymic", "patronimico", "отчество"],
    "middle_name": [
        "middle name",
        "additional name",
        "middle",
        "second prenom",
        "secondo nome",
        "segundo nombre",
    ],
    "full_name_lfp": ["фио", "ф и о", "фамилия имя отчество"],
    "last_name": [
        "nom",
        "nom de famille",
        "last name",
        "lastname",
        "surname",
        "family name",
        "apellido",
        "apellidos",
        "cognome",
        "last",
        "primer apellido",
        "фамилия",
    ],
    "full_name": [
        "nom complet",
        "nom et prenom",
        "prenom et nom",
        "name",
        "full name",
        "client",
        "cliente",
        "nombre completo",
        "nome completo",
        "nombre y apellidos",
        "nome e cognome",
        "display name",
        "имя и фамилия",
        "клиент",
        "клиентка",
    ],
    "phone": [
        "telephone",
        "tel",
        "portable",
        "mobile",
        "numero de telephone",
        "telephone portable",
        "gsm",
        "phone",
        "phone number",
        "mobile phone",
        "cell",
        "cell phone",
        "telefono",
        "movil",
        "celular",
        "cellulare",
        "numero di telefono",
        "telefono movil",
        "telefono cellulare",
        "mobile phone number",
        "iphone",
        "телефон",
        "мобильный",
        "мобильный телефон",
        "номер телефона",
        "сотовый",
    ],
    "phone2": [
        "telephone 2",
        "second telephone",
        "autre telephone",
        "telephone fixe",
        "fixe",
        "phone 2",
        "second phone",
        "other phone",
        "home phone",
        "telefono 2",
        "telefono fijo",
        "telefono fisso",
        "телефон 2",
        "домашний телефон",
        "другой телефон",
    ],
    "email": [
        "email",
        "mail",
        "courriel",
        "adresse email",
        "adresse mail",
        "email address",
        "correo",
        "correo electronico",
        "posta elettronica",
        "indirizzo email",
        "e mail",
        "электронная почта",
        "эл почта",
        "почта",
        "емейл",
    ],
    "birth_date": [
        "date de naissance",
        "naissance",
        "anniversaire",
        "ne le",
        "nee le",
        "birthday",
        "birth date",
        "birthdate",
        "date of birth",
        "dob",
        "fecha de nacimiento",
        "cumpleanos",
        "data di nascita",
        "compleanno",
        "fecha nacimiento",
        "дата рождения",
        "день рождения",
        "др",
    ],
    "gender": [
        "genre",
        "sexe",
        "civilite",
        "gender",
        "sex",
        "sexo",
        "genero",
        "sesso",
        "пол",
    ],
    "language": [
        "langue",
        "language",
        "idioma",
        "lengua",
        "lingua",
        "язык",
    ],
    "street": [
        "adresse",
        "rue",
        "adresse postale",
        "address",
        "street",
        "street address",
        "direccion",
        "domicilio",
        "calle",
        "indirizzo",
        "via",
        "адрес",
        "улица",
    ],
    "postal_code": [
        "code postal",
        "cp",
        "zip",
        "zip code",
        "postcode",
        "postal code",
        "codigo postal",
        "cap",
        "codice postale",
        "индекс",
        "почтовый индекс",
    ],
    "city": [
        "ville",
        "commune",
        "localite",
        "city",
        "town",
        "ciudad",
        "localidad",
        "poblacion",
        "citta",
        "comune",
        "город",
        "населенный пункт",
    ],
    "access_notes": [
        "acces",
        "code porte",
        "digicode",
        "access",
        "door code",
        "codigo de acceso",
        "codice citofono",
        "код домофона",
        "как пройти",
    ],
    "category": [
        "categorie",
        "category",
        "categories",
        "groupe",
        "group",
        "categoria",
        "gruppo",
        "grupo",
        "категория",
        "группа",
    ],
    "source": [
        "source",
        "origine",
        "provenance",
        "canal",
        "referral source",
        "fuente",
        "fonte",
        "источник",
        "откуда узнала",
    ],
    "notes": [
        "notes",
        "note",
        "remarques",
        "remarque",
        "commentaire",
        "commentaires",
        "comments",
        "comment",
        "notas",
        "nota",
        "observaciones",
        "osservazioni",
        "заметки",
        "примечание",
        "примечания",
        "комментарий",
        "комментарии",
    ],
}
GENDERS = {
    Client.Gender.FEMALE: ["f", "femme", "mme", "madame", "feminin", "w", "woman", "female"],
    Client.Gender.MALE: ["h", "m", "homme", "monsieur", "masculin", "man", "male", "hombre"],
}
GENDERS[Client.Gender.FEMALE] += ["mujer", "femenino", "donna", "femminile", "sra"]
GENDERS[Client.Gender.MALE] += ["masculino", "uomo", "maschile", "sr"]
GENDERS[Client.Gender.FEMALE] += ["ж", "жен", "женский", "женщина"]
GENDERS[Client.Gender.MALE] += ["м", "муж", "мужской", "мужчина"]
DATE_FORMATS = [
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%Y/%m/%d",
    "%Y%m%d",  # vCard's basic format: 19850719
    "%m/%d/%Y",  # an English Outlook's 7/19/1985, tried only once day first has failed
]
# A birthday without its year: "--07-19" and "--0719" (ISO 8601, vCard, Google Contacts),
# "19/07" or "19.07" day first; "07-19" read month first only where day first cannot be.
YEARLESS_ISO = re.compile(r"--(\d\d)-?(\d\d)")
YEARLESS_SHORT = re.compile(r"(\d{1,2})[/.-](\d{1,2})")
# What Outlook writes for no birthday.
NO_DATES = {"0/0/00", "00/00/0000", "0000-00-00"}
# Columns of phone books: Google Contacts ("Phone 1 - Value", "Address 1 - City") and Outlook
# ("Mobile Phone", "Home Street"), folded. Their rank says which comes first.
NUMBERED_COLUMN = re.compile(r"(phone|email|address) (\d+) (.+)")
PLACED_COLUMN = re.compile(r"(primary|mobile|home|business|work|other|car) (.+)")
OUTLOOK_EMAIL = re.compile(r"email(?: (\d+))? address")
PLACE_RANKS = {"primary": 0, "mobile": 0, "home": 1, "business": 2, "work": 2, "other": 3, "car": 4}
ADDRESS_PARTS = {
    "street": "street",
    "street 2": "access_notes",
    "street 3": "access_notes",
    "extended address": "access_notes",
    "city": "city",
    "postal code": "postal_code",
    "formatted": "formatted",
}


def _languages():
    """The languages of the app: her export's headers and labels may be in any of them."""
    return [code for code, _name in settings.LANGUAGES]


def header_names():
    """Return {folded header: field}: the synonyms and our own labels in each language."""
    names = {}
    for name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            names.setdefault(fold(synonym), name)
    for language in _languages():
        with translation.override(language):
            for name, label in FIELDS.items():
                names.setdefault(fold(str(label)), name)
            for name in FIELDS.keys() - {
                "full_name",
                "full_name_lfp",
                "middle_name",
                "other_phone",
                "other_email",
            }:
                verbose = Client._meta.get_field(name).verbose_name
                names.setdefault(fold(str(verbose)), name)
    return names


def guess_mapping(headers):
    """Return, for each header, the field it most likely fills ("" when unknown).

    A field is given to its first matching column only, except the columns of a phone book
    (Google Contacts, Outlook): their phones fill the phone, then the second phone, then
    "more phone numbers", best first (mobile, then home, then work); their e-mails likewise;
    and the parts of one address, home first, fill the street, postal code and city.
    """
    names = header_names()
    mapping, taken, contacts = [], set(), {}
    for index, header in enumerate(headers):
        folded = fold(str(header))
        contact = _contact_column(folded)
        if contact:
            contacts[index] = contact
            mapping.append("")
            continue
        name = names.get(folded, "")
        if name in taken and name not in JOINED_FIELDS:
            name = ""
        taken.add(name)
        mapping.append(name)
    _guess_contact_columns(contacts, mapping, taken)
    return mapping


def _contact_column(folded):
    """Return (kind, rank, part) for a phone book's column, None for any other header."""
    email = OUTLOOK_EMAIL.fullmatch(folded)
    if email:
        return ("email", int(email.group(1) or 1), "")
    numbered = NUMBERED_COLUMN.fullmatch(folded)
    if numbered:
        kind, number, part = numbered.groups()
        if kind == "address":
            return ("address", int(number), part) if part in ADDRESS_PARTS else None
        return (kind, int(number), "") if part == "value" else None
    placed = PLACED_COLUMN.fullmatch(folded)
    if placed:
        place, part = placed.groups()
        rank = PLACE_RANKS[place]
        if part in ("phone", "phone 2"):
            return ("phone", rank + (0.5 if part == "phone 2" else 0), "")
        if part in ADDRESS_PARTS and part != "extended address":
            return ("address", rank, part)
    return None


def _guess_contact_columns(contacts, mapping, taken):
    """Fill `mapping` for the phone book's columns, best ranked first."""
    ordered = sorted(contacts.items(), key=lambda item: (item[1][1], item[0]))
    for kind, fields in (
        ("phone", ["phone", "phone2", "other_phone"]),
        ("email", ["email", "other_email"]),
    ):
        for index, (column_kind, _rank, _part) in ordered:
            if column_kind == kind:
                mapping[index] = next(
                    name for name in fields if name not in taken or name in JOINED_FIELDS
                )
                taken.add(mapping[index])
    if {"street", "postal_code", "city"} & taken:
        return  # an address column of her own already: leave the phone book's out
    addresses = [(rank, index, part) for index, (kind, rank, part) in ordered if kind == "address"]
    if not addresses:
        return
    best = min(rank for rank, _index, _part in addresses)
    parts = {part: index for rank, index, part in addresses if rank == best}
    for part, index in parts.items():
        field_name = ADDRESS_PARTS[part]
        if field_name == "formatted":
            # The whole address in one cell: the street's place when no street column.
            field_name = "" if "street" in parts else "street"
        mapping[index] = field_name
    for part in ("street 2", "street 3", "extended address"):
        if part in parts:
            mapping[parts[part]] = "access_notes"


def _choice_names(choices, extra=None):
    """Return {folded code or label in each language: value} for a model's choices."""
    names = {}
    for language in _languages():
        with translation.override(language):
            for value, label in choices:
                names[fold(value)] = value
                names[fold(str(label))] = value
    for value, words in (extra or {}).items():
        for word in words:
            names.setdefault(fold(word), value)
    return names


def _native_language_names():
    """Each language's own name ("español", "русский") and its English one."""
    names = {}
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        names[code] = [info["name_local"], info["name"]]
    return names


def parse_birthday(value):
    """Return a date, (month, day) for a birthday without its year, or None when unreadable."""
    date = parse_date(value)
    if date is not None or isinstance(value, datetime.date):
        return date
    text = str(value).strip()
    match = YEARLESS_ISO.fullmatch(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        return (month, day) if birthday_of(None, month, day) else None
    match = YEARLESS_SHORT.fullmatch(text)
    if match:
        first, second = int(match.group(1)), int(match.group(2))
        for month, day in ((second, first), (first, second)):  # day first, as in France
            if birthday_of(None, month, day):
                return (month, day)
    return None


def parse_date(value):
    """Return a date from an Excel date cell or day-first / ISO text; None when it is not."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if len(text) > 10 and text[:4].isdigit() and text[4] == "-":
        text = text[:10]  # "1990-05-12 00:00:00" from a tool that kept the time
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


@dataclass
class Row:
    line: int
    values: list
    fields: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    duplicate: str = ""

    @property
    def valid(self):
        return not self.errors and not self.duplicate

    @property
    def reason(self):
        return "; ".join(self.errors) or self.duplicate

    @property
    def name(self):
        return f"{self.fields.get('first_name', '')} {self.fields.get('last_name', '')}".strip()

    @property
    def birthday(self):
        """Her birthday without its year, as a date of 2000 to show day and month."""
        month, day = self.fields.get("birthday_month"), self.fields.get("birthday_day")
        return datetime.date(2000, month, day) if month and day else None


class Importer:
    """Check rows against one account: its phone region, its clients, and the file so far."""

    def __init__(self, account, mapping):
        self.account = account
        self.mapping = mapping
        self.genders = _choice_names(Client.Gender.choices, GENDERS)
        self.sources = _choice_names(Client.Source.choices)
        self.languages = _choice_names(settings.LANGUAGES, _native_language_names())
        self.categories = {
            fold(category.name): category for category in Category.objects.filter(account=account)
        }
        self.existing = set()
        for phone, phone2, email, name in Client.objects.filter(account=account).values_list(
            "phone", "phone2", "email", "search_name"
        ):
            for key in (_phone_key(phone), _phone_key(phone2), _email_key(email)):
                if key:
                    self.existing.add(key)
            if name:
                self.existing.add(("name", name))
        self.in_file = {}  # key -> line of the row that holds it

    def check(self, line, values):
        """Return the row with its client fields, its errors, or why it is a duplicate."""
        refusal = getattr(values, "refusal", None)  # a contact card that cannot be read
        # The import boundary: no control character reaches a client (nor her exports).
        row = Row(line=line, values=[clean_text(value) for value in values])
        if refusal:
            row.errors.append(str(refusal))
            return row
        self._convert(row)
        if not row.errors:
            self._validate(row)
        if not row.errors:
            self._find_duplicate(row)
        return row

    def remember(self, row):
        """Count this row's contact details as taken, for the rows after it in the file."""
        for key in self._keys(row):
            self.in_file.setdefault(key, row.line)

    def create(self, row):
        """Create the row's client (and her category if new), all or nothing."""
        with transaction.atomic():
            client = self._client(row, self._categories([row]))
            client.save()
        self._keep_categories([client])
        return client

    def create_many(self, rows):
        """Create checked rows together where no plan limit applies; return the errors by row.

        One insert for the batch; should it fail, each row is created alone, so one bad row
        costs only itself.
        """
        try:
            with transaction.atomic():
                categories = self._categories(rows)
                clients = [self._client(row, categories) for row in rows]
                for client in clients:
                    client.fill_search_fields()
                Client.objects.bulk_create(clients)
        except DatabaseError:
            logger.warning("A batch of imported clients failed: creating them one by one")
        else:
            self._keep_categories(clients)
            return {}
        errors = {}
        for row in rows:
            try:
                self.create(row)
            except (ValidationError, DatabaseError) as error:
                errors[row.line] = error
        return errors

    def _categories(self, rows):
        """Return the rows' categories by folded name, creating the missing ones."""
        found = {}
        for row in rows:
            name = row.fields.get("category", "")
            key = fold(name)
            if not name or key in found:
                continue
            found[key] = self.categories.get(key) or Category.objects.create(
                account=self.account, name=name, position=len(self.categories) + len(found)
            )
        return found

    def _keep_categories(self, clients):
        for client in clients:
            if client.category is not None:
                self.categories[fold(client.category.name)] = client.category

    def _client(self, row, categories):
        fields = dict(row.fields)
        category = (
            categories.get(fold(fields.pop("category", ""))) if "category" in fields else None
        )
        return Client(account=self.account, category=category, **fields)

    def _convert(self, row):
        data = row.fields
        more_phones, more_emails = [], []
        for index, name in enumerate(self.mapping):
            if not name or index >= len(row.values):
                continue
            value = row.values[index]
            # Only the birth date reads a date cell as a date; elsewhere it is text.
            text = str(value).strip()
            if text == "":
                continue
            if name == "full_name":
                first, _space, last = text.partition(" ")
                data.setdefault("first_name", first)
                data.setdefault("last_name", last.strip())
            elif name == "full_name_lfp":
                last, first, patronymic = [*text.split(maxsplit=2), "", ""][:3]
                data.setdefault("last_name", last)
                data.setdefault("first_name", first)
                data.setdefault("patronymic", patronymic)
            elif name == "language":
                language = self.languages.get(fold(text))
                if language:
                    data[name] = language
            elif name == "other_phone":
                more_phones += _several(text)
            elif name == "other_email":
                more_emails += [email.lower() for email in _several(text)]
            elif name in ("phone", "phone2"):
                # Google Contacts writes a label's several numbers in one cell: "a ::: b".
                text, *others = _several(text) or [text]
                more_phones += others
                phone = to_phone(str(text), region=self.account.phone_region)
                if phone is None or not phone.is_valid():
                    row.errors.append(
                        _("Invalid phone number: %(value)s") % {"value": str(text)[:40]}
                    )
                else:
                    data[name] = phone
            elif name == "birth_date":
                if text in NO_DATES:
                    continue
                date = parse_birthday(value)
                if isinstance(date, tuple):
                    data["birthday_month"], data["birthday_day"] = date
                elif date is None:
                    row.errors.append(
                        _("Unreadable date: %(value)s (use dd/mm/yyyy)") % {"value": str(text)[:40]}
                    )
                elif date > timezone.localdate() or date.year < 1900:
                    row.errors.append(
                        _("Impossible birth date: %(value)s") % {"value": date.isoformat()}
                    )
                else:
                    data[name] = date
            elif name == "gender":
                data[name] = self.genders.get(fold(text), "")
            elif name == "source":
                data[name] = self.sources.get(fold(text), Client.Source.OTHER)
            elif name == "email":
                text, *others = _several(text) or [text]
                data[name] = str(text).lower()
                more_emails += [email.lower() for email in others]
            elif name in JOINED_FIELDS and data.get(name):
                data[name] += "\n" + str(text)
            elif name == "street":
                # Google's formatted address and some streets hold several lines.
                data[name] = ", ".join(part.strip() for part in str(text).splitlines() if part)
            else:
                data[name] = str(text)
        self._place_more(data, more_phones, more_emails)
        middle = data.pop("middle_name", "")
        if middle and self.account.language == "ru":
            data.setdefault("patronymic", middle)
        elif middle:
            data["first_name"] = f"{data.get('first_name', '')} {middle}".strip()

    def _place_more(self, data, phones, emails):
        """Give the empty phone, second phone and e-mail to the numbers and e-mails left;
        keep the rest in the notes, so nothing in her phone book is lost."""
        if not data.get("phone") and data.get("phone2"):
            data["phone"] = data.pop("phone2")
        kept = []
        for text in phones:
            phone = to_phone(text, region=self.account.phone_region)
            if phone is not None and phone.is_valid():
                if phone in (data.get("phone"), data.get("phone2")):
                    continue
                free = next((name for name in ("phone", "phone2") if not data.get(name)), None)
                if free:
                    data[free] = phone
                    continue
            kept.append(f"{FIELDS['other_phone']}: {text}")
        for email in emails:
            if not data.get("email"):
                data["email"] = email
            elif email != data["email"]:
                kept.append(f"{FIELDS['other_email']}: {email}")
        if kept:
            data["notes"] = "\n".join(part for part in (data.get("notes", ""), *kept) if part)

    def _validate(self, row):
        fields = {key: value for key, value in row.fields.items() if key != "category"}
        client = Client(account=self.account, **fields)
        excluded = [f.name for f in Client._meta.fields if f.name not in fields]
        try:
            client.clean_fields(exclude=excluded)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = Client._meta.get_field(name).verbose_name
                row.errors += [f"{str(label).capitalize()}: {message}" for message in messages]
        if len(row.fields.get("category", "")) > 60:
            row.errors.append(_("Category: 60 characters at most."))
        if not (row.name or row.fields.get("phone")):
            row.errors.append(_("No name and no phone number."))

    def _keys(self, row):
        contact = [
            key
            for key in (
                _phone_key(row.fields.get("phone")),
                _phone_key(row.fields.get("phone2")),
                _email_key(row.fields.get("email")),
            )
            if key
        ]
        return contact or [("name", fold(row.name))]

    def _find_duplicate(self, row):
        for key in self._keys(row):
            if key in self.existing:
                row.duplicate = {
                    "phone": _("Already in your clients (same phone)"),
                    "email": _("Already in your clients (same e-mail)"),
                    "name": _("Already in your clients (same name)"),
                }[key[0]]
                return
            if key in self.in_file:
                row.duplicate = _("Same client as line %(line)s of the file") % {
                    "line": self.in_file[key]
                }
                return


def _several(text):
    """Return the values of a cell holding several ("a ::: b", as Google Contacts writes)."""
    return [part.strip() for part in str(text).split(":::") if part.strip()]


def _phone_key(phone):
    return ("phone", phone.as_e164) if phone else None


def _email_key(email):
    return ("email", email.strip().lower()) if email else None


def read_stored(client_import, limit=None):
    """Read the rows of an uploaded file back from storage (with `limit`, only the first)."""
    try:
        with client_import.file.open("rb") as stored:
            data = stored.read()
    except (OSError, ValueError) as missing:
        raise TableError(
            _("The uploaded file is no longer there: upload it again."), "missing"
        ) from missing
    return read_upload(data, client_import.original_name, limit=limit)


def read_upload(data, name, *, limit=None):
    """Return the table of an uploaded list: a spreadsheet, or a phone's contacts (.vcf) with
    our own labels as headers; with `limit`, only its first rows."""
    if is_vcard(data, name):
        table = read_vcards(data)
        table.headers = [str(FIELDS[column]) for column in table.headers]
        if limit is not None:
            table.rows = table.rows[:limit]
        return table
    return read_table(data, name, limit=limit)


def client_import_create(*, account, user, upload, encoding=""):
    """Store an uploaded list privately with its guessed columns; raise TableError if unreadable.

    With the `encoding` she chose, a CSV is stored as UTF-8: read again later, it reads the same.
    """
    data = upload.read()
    if encoding:
        data = transcode(data, encoding)
    table = read_upload(data, upload.name)
    client_import = ClientImport(
        account=account,
        created_by=user,
        original_name=upload.name[:255],
        headers=[str(header) for header in table.headers],
        # A phone's contacts come in our own columns: nothing to guess.
        mapping=list(VCARD_COLUMNS)
        if is_vcard(data, upload.name)
        else guess_mapping(table.headers),
        total=len(table.rows),
    )
    client_import.file.save(upload.name, ContentFile(data), save=False)
    client_import.save()
    return client_import


def import_preview(client_import, table, mapping):
    """Check the table's rows (the file's first lines: see PREVIEW_SAMPLE) as the import
    would; return their counts, the first rows, and whether they are the whole file."""
    importer = Importer(client_import.account, mapping)
    rows, counts = [], {"ready": 0, "duplicates": 0, "errors": 0}
    for line, values in table.rows:
        row = importer.check(line, values)
        if row.errors:
            counts["errors"] += 1
        elif row.duplicate:
            counts["duplicates"] += 1
        else:
            counts["ready"] += 1
            importer.remember(row)
        if len(rows) < PREVIEW_ROWS:
            rows.append(row)
    limit = client_limit(client_import.account)
    places = None
    if limit is not None:
        places = max(limit - Client.objects.filter(account=client_import.account).count(), 0)
    checked = len(table.rows)
    complete = checked >= client_import.total
    # Past the sample, the rows still to come are guessed as ready as the sample's: the plan's
    # limit is then an estimate (the page says only the first lines were checked), and the
    # import's report gives the truth.
    ready = counts["ready"]
    if not complete and checked:
        ready = round(counts["ready"] * client_import.total / checked)
    counts["left_out"] = max(ready - places, 0) if places is not None else 0
    return {
        "rows": rows,
        "counts": counts,
        "places": places,
        "checked": checked,
        "complete": complete,
    }


def client_import_queue(client_import):
    """Start the import in the background once this request's transaction is committed.

    Only a draft starts: a second tap on "Import" finds it queued and queues nothing more.
    """
    started = ClientImport.objects.filter(
        pk=client_import.pk, status=ClientImport.Status.DRAFT
    ).update(
        status=ClientImport.Status.QUEUED,
        mapping=client_import.mapping,
        heartbeat_at=timezone.now(),
    )
    if started:
        client_import.status = ClientImport.Status.QUEUED
        pk = str(client_import.pk)
        transaction.on_commit(lambda: run_client_import.enqueue(pk))
    return bool(started)


DRAFT_KEPT = datetime.timedelta(days=1)
REPORT_KEPT = datetime.timedelta(days=30)
# Rows committed together with the import's cursor: a crash loses at most this much work.
CHECKPOINT_ROWS = 250
# An import whose worker died this many times is stopped: the file may be what kills it.
MAX_ATTEMPTS = 3


def imports_purge(account=None):
    """Forget old imports with what they hold of her clients: an upload never started after a
    day, a finished import's report of rejected rows after 30 days, an import nobody ran for
    30 days. Of one account, or of all (the maintenance round)."""
    now = timezone.now()
    old = ClientImport._base_manager.all() if account is None else ClientImport.objects.all()
    if account is not None:
        old = old.filter(account=account)
    old = old.filter(
        Q(status=ClientImport.Status.DRAFT, created_at__lt=now - DRAFT_KEPT)
        | Q(finished_at__lt=now - REPORT_KEPT)
        | (
            Q(created_at__lt=now - REPORT_KEPT, finished_at__isnull=True)
            & ~Q(status=ClientImport.Status.RUNNING, heartbeat_at__gte=stale_before())
        )
    )
    with transaction.atomic():
        names = [name for name in old.values_list("file", flat=True) if name]
        old.delete()
        delete_files_on_commit(ClientImport._meta.get_field("file").storage, names)


def imports_recover():
    """Queue again every import whose worker died (the maintenance round)."""
    dead = ClientImport._base_manager.filter(
        status__in=[ClientImport.Status.QUEUED, ClientImport.Status.RUNNING]
    ).filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale_before()))
    for client_import in dead:
        import_resume(client_import)


def import_resume(client_import):
    """Queue again an import whose worker died, to go on from its last committed row.

    Only one caller wins (the update is conditional on the heartbeat it saw). After
    MAX_ATTEMPTS runs the import stops as failed, its file deleted. Return whether it was
    queued again.
    """
    now = timezone.now()
    same = ClientImport._base_manager.filter(
        pk=client_import.pk,
        status__in=[ClientImport.Status.QUEUED, ClientImport.Status.RUNNING],
        heartbeat_at=client_import.heartbeat_at,
        attempts=client_import.attempts,
    )
    if client_import.attempts >= MAX_ATTEMPTS:
        logger.warning("Client import %s died %s times: stopped", client_import.pk, MAX_ATTEMPTS)
        _end(same, client_import, ClientImport.Status.FAILED)
        return False
    if not same.update(status=ClientImport.Status.QUEUED, heartbeat_at=now):
        return False
    logger.warning("Client import %s lost its worker: queued again", client_import.pk)
    pk = str(client_import.pk)
    transaction.on_commit(lambda: run_client_import.enqueue(pk))
    return True


def import_watch(client_import):
    """On her page: resume the import if its worker died; say whether a worker is around."""
    if client_import.is_finished:
        return {"worker_missing": False}
    maintenance_ensure()
    if client_import.is_stale and import_resume(client_import):
        client_import.refresh_from_db()
    alive = worker_seen() or (
        ClientImport._base_manager.filter(
            status=ClientImport.Status.RUNNING, heartbeat_at__gte=stale_before()
        ).exists()
    )
    return {"worker_missing": not alive}


class LeaseLost(Exception):
    """Another worker took this import over (this one was thought dead): this run stops."""


@task()
def run_client_import(clientimport_id):
    """Import a queued list, or go on with one whose worker died, from its last committed row.

    Return False when another worker already holds it.
    """
    claimed = ClientImport._base_manager.filter(
        pk=clientimport_id, status=ClientImport.Status.QUEUED
    ).update(
        status=ClientImport.Status.RUNNING,
        attempts=F("attempts") + 1,
        heartbeat_at=timezone.now(),
    )
    if not claimed:
        return False
    client_import = ClientImport._base_manager.select_related("account").get(pk=clientimport_id)
    account = client_import.account
    with scope(account=account.pk), translation.override(account.language):
        try:
            import_rows(client_import)
        except LeaseLost:
            logger.warning("Client import %s: taken over by another worker", clientimport_id)
            return False
        except Exception:
            logger.exception("Client import %s stopped", clientimport_id)
            mine = ClientImport._base_manager.filter(
                pk=client_import.pk, attempts=client_import.attempts
            )
            _end(mine, client_import, ClientImport.Status.FAILED)
            raise
    return True


def import_rows(client_import):
    """Create the valid rows, each whole or not at all; report every row left aside, and why.

    Rows go by checkpoints: the clients of a checkpoint, the report and the cursor
    (`next_row`) are committed in one transaction, so after a crash the next run starts at
    the first row not committed and creates nobody twice.
    """
    mine = ClientImport._base_manager.filter(
        pk=client_import.pk, status=ClientImport.Status.RUNNING, attempts=client_import.attempts
    )
    if client_import.total and client_import.next_row >= client_import.total:
        # Every row was committed before the worker died: only the end is left to record.
        report = sorted(client_import.rejected, key=lambda entry: entry["line"])
        if not _end(mine, client_import, ClientImport.Status.DONE, rejected=report):
            raise LeaseLost(client_import.pk)
        return
    table = read_stored(client_import)
    importer = Importer(client_import.account, client_import.mapping)
    unlimited = client_limit(client_import.account) is None
    client_import.total = len(table.rows)
    report, batch, full = list(client_import.rejected), [], False
    plan_full = _("Left out: your Free plan is full")

    def refuse(row, reason):
        # Only the columns she chose to import are kept: an unmapped column (say, allergies)
        # never reaches the database.
        kept = [
            value if index < len(importer.mapping) and importer.mapping[index] else ""
            for index, value in enumerate(_texts(row.values))
        ]
        report.append({"line": row.line, "reason": str(reason), "values": kept})

    def create_batch():
        errors = importer.create_many(batch)
        for row in batch:
            if row.line in errors:
                refuse(row, "; ".join(_messages(errors[row.line])))
            else:
                client_import.created += 1
        batch.clear()

    def check(line, values):
        nonlocal full
        row = importer.check(line, values)
        if row.errors:
            refuse(row, row.reason)
        elif row.duplicate:
            client_import.skipped += 1
            refuse(row, row.reason)
        elif full:
            client_import.left_out += 1
            refuse(row, plan_full)
        elif unlimited:
            # No limit to check row by row: create in batches, much faster for long lists.
            batch.append(row)
            importer.remember(row)
            if len(batch) >= BATCH_SIZE:
                create_batch()
        else:
            try:
                importer.create(row)
            except ValidationError as refusal:
                if getattr(refusal, "code", "") == "plan_limit":
                    full = True
                    client_import.left_out += 1
                    refuse(row, plan_full)
                else:
                    refuse(row, "; ".join(refusal.messages))
            else:
                client_import.created += 1
                importer.remember(row)

    position = client_import.next_row
    while position < client_import.total:
        # A long report is rewritten at each checkpoint: checkpoints grow with it, so the
        # writing stays proportional to the file.
        chunk = table.rows[position : position + max(CHECKPOINT_ROWS, len(report) // 4)]
        with transaction.atomic():
            # The lease first: this row stays locked until the checkpoint is committed.
            if not mine.update(heartbeat_at=timezone.now()):
                raise LeaseLost(client_import.pk)
            for line, values in chunk:
                check(line, values)
            if batch:
                create_batch()
            position += len(chunk)
            client_import.next_row = client_import.done = position
            client_import.rejected = report
            mine.update(
                total=client_import.total,
                done=position,
                next_row=position,
                created=client_import.created,
                skipped=client_import.skipped,
                left_out=client_import.left_out,
                rejected=report,
                heartbeat_at=timezone.now(),
            )
    client_import.rejected = sorted(report, key=lambda entry: entry["line"])
    if not _end(mine, client_import, ClientImport.Status.DONE, rejected=client_import.rejected):
        raise LeaseLost(client_import.pk)


def _end(queryset, client_import, status, **fields):
    """Record the end (when `queryset` still finds the import) and, once committed, delete the
    uploaded file: her clients' data stays in one place. Return whether it ended."""
    name = client_import.file.name
    now = timezone.now()
    with transaction.atomic():
        ended = queryset.update(status=status, finished_at=now, heartbeat_at=now, file="", **fields)
        if ended and name:
            # Before the commit: a crash in between leaves the import unfinished with every
            # row committed, which the next run ends without the file (see import_rows),
            # rather than a file no import names any more.
            ClientImport._meta.get_field("file").storage.delete(name)
    if ended:
        client_import.status, client_import.finished_at, client_import.file = status, now, ""
    return bool(ended)


def _messages(error):
    return error.messages if isinstance(error, ValidationError) else [_("Could not be saved.")]


def _texts(values):
    return [
        value.isoformat() if isinstance(value, datetime.date) else str(value) for value in values
    ]
