"""Importing a client list from another tool: guess the columns, check each row, create.

The same `Importer` checks the rows for the preview and for the import itself, so what she
sees before starting is what happens. The import runs in the background (django-tasks); each
row is created in its own transaction, so a crash leaves whole clients or none, and a row
that matches a client already there (same phone or e-mail, or the same name when the row has
neither) is skipped: running the same file twice creates nobody twice.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from django_tasks import task
from phonenumber_field.phonenumber import to_python as to_phone

from billing.plans import client_limit
from nailpro.files import delete_files_on_commit
from nailpro.tabular import TableError, read_table
from nailpro.text import fold

from .models import Category, Client, ClientImport

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 10
# The mapping page checks only the file's first lines: it is shown again at each change of a
# column, and checking 100,000 rows took 12 s. The whole file is checked once, by the import.
PREVIEW_SAMPLE = 20
PROGRESS_EVERY = 100
BATCH_SIZE = 100

# What a column can fill, in the order of the mapping menu.
FIELDS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "full_name": gettext_lazy("Full name (first and last)"),
    "phone": gettext_lazy("Phone"),
    "phone2": gettext_lazy("Second phone"),
    "email": gettext_lazy("E-mail"),
    "birth_date": gettext_lazy("Birth date"),
    "gender": gettext_lazy("Gender"),
    "street": gettext_lazy("Street"),
    "postal_code": gettext_lazy("Postal code"),
    "city": gettext_lazy("City"),
    "access_notes": gettext_lazy("Access notes"),
    "category": gettext_lazy("Category"),
    "source": gettext_lazy("How she found you"),
    "notes": gettext_lazy("Notes"),
}
# Fields that several columns may fill: their texts are joined.
JOINED_FIELDS = {"notes", "access_notes"}
# Headers other tools write, in French, English, Spanish and Italian (folded: no accents,
# no case, no punctuation). Our own export's headers are added from the field labels.
SYNONYMS = {
    "first_name": ["prenom", "first name", "firstname", "given name", "forename", "nombre", "nome"],
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
    ],
    "gender": ["genre", "sexe", "civilite", "gender", "sex", "sexo", "genero", "sesso"],
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
    ],
    "city": ["ville", "commune", "localite", "city", "town", "ciudad", "localidad", "citta"],
    "access_notes": ["acces", "code porte", "digicode", "access", "door code"],
    "category": ["categorie", "category", "groupe", "group", "categoria", "gruppo"],
    "source": ["source", "origine", "provenance", "canal", "referral source", "fuente", "fonte"],
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
    ],
}
GENDERS = {
    Client.Gender.FEMALE: ["f", "femme", "mme", "madame", "feminin", "w", "woman", "female"],
    Client.Gender.MALE: ["h", "m", "homme", "monsieur", "masculin", "man", "male", "hombre"],
}
GENDERS[Client.Gender.FEMALE] += ["mujer", "femenino", "donna", "femminile", "sra"]
GENDERS[Client.Gender.MALE] += ["masculino", "uomo", "maschile", "sr"]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d"]


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
            for name in FIELDS.keys() - {"full_name"}:
                verbose = Client._meta.get_field(name).verbose_name
                names.setdefault(fold(str(verbose)), name)
    return names


def guess_mapping(headers):
    """Return, for each header, the field it most likely fills ("" when unknown).

    A field is given to its first matching column only.
    """
    names = header_names()
    mapping, taken = [], set()
    for header in headers:
        name = names.get(fold(str(header)), "")
        if name in taken and name not in JOINED_FIELDS:
            name = ""
        taken.add(name)
        mapping.append(name)
    return mapping


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


class Importer:
    """Check rows against one account: its phone region, its clients, and the file so far."""

    def __init__(self, account, mapping):
        self.account = account
        self.mapping = mapping
        self.genders = _choice_names(Client.Gender.choices, GENDERS)
        self.sources = _choice_names(Client.Source.choices)
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
        row = Row(line=line, values=values)
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
            elif name in ("phone", "phone2"):
                phone = to_phone(str(text), region=self.account.phone_region)
                if phone is None or not phone.is_valid():
                    row.errors.append(
                        _("Invalid phone number: %(value)s") % {"value": str(text)[:40]}
                    )
                else:
                    data[name] = phone
            elif name == "birth_date":
                date = parse_date(value)
                if date is None:
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
                data[name] = str(text).lower()
            elif name in JOINED_FIELDS and data.get(name):
                data[name] += "\n" + str(text)
            else:
                data[name] = str(text)

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
    return read_table(data, client_import.original_name, limit=limit)


def client_import_create(*, account, user, upload):
    """Store an uploaded list privately with its guessed columns; raise TableError if unreadable."""
    data = upload.read()
    table = read_table(data, upload.name)
    client_import = ClientImport(
        account=account,
        created_by=user,
        original_name=upload.name[:255],
        headers=[str(header) for header in table.headers],
        mapping=guess_mapping(table.headers),
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
    ).update(status=ClientImport.Status.QUEUED, mapping=client_import.mapping)
    if started:
        client_import.status = ClientImport.Status.QUEUED
        pk = str(client_import.pk)
        transaction.on_commit(lambda: run_client_import.enqueue(pk))
    return bool(started)


DRAFT_KEPT = datetime.timedelta(days=1)
REPORT_KEPT = datetime.timedelta(days=30)


def imports_purge(account):
    """Forget old imports with what they hold of her clients: an upload never started after a
    day, a finished import's report of rejected rows after 30 days."""
    now = timezone.now()
    old = ClientImport.objects.filter(account=account).filter(
        Q(status=ClientImport.Status.DRAFT, created_at__lt=now - DRAFT_KEPT)
        | Q(finished_at__lt=now - REPORT_KEPT)
    )
    names = [client_import.file.name for client_import in old if client_import.file]
    old.delete()
    delete_files_on_commit(ClientImport._meta.get_field("file").storage, names)


@task()
def run_client_import(clientimport_id):
    """Import a queued list; return False when another worker already took it."""
    claimed = ClientImport._base_manager.filter(
        pk=clientimport_id, status=ClientImport.Status.QUEUED
    ).update(status=ClientImport.Status.RUNNING)
    if not claimed:
        return False
    client_import = ClientImport._base_manager.select_related("account").get(pk=clientimport_id)
    account = client_import.account
    with scope(account=account.pk), translation.override(account.language):
        try:
            import_rows(client_import)
        except Exception:
            logger.exception("Client import %s stopped", clientimport_id)
            client_import.status = ClientImport.Status.FAILED
            finish(client_import)
            raise
    return True


def import_rows(client_import):
    """Create the valid rows, each whole or not at all; report every row left aside, and why."""
    table = read_stored(client_import)
    importer = Importer(client_import.account, client_import.mapping)
    unlimited = client_limit(client_import.account) is None
    client_import.total = len(table.rows)
    report, batch, full = [], [], False
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

    for index, (line, values) in enumerate(table.rows, start=1):
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
        client_import.done = index
        if index % PROGRESS_EVERY == 0:
            client_import.save(update_fields=["total", "done", "created", "skipped", "left_out"])
    if batch:
        create_batch()
    client_import.rejected = sorted(report, key=lambda entry: entry["line"])
    client_import.status = ClientImport.Status.DONE
    finish(client_import)


def finish(client_import):
    """Record the end, and delete the uploaded file: her clients' data stays in one place."""
    client_import.finished_at = timezone.now()
    client_import.file.delete(save=False)
    client_import.save()


def _messages(error):
    return error.messages if isinstance(error, ValidationError) else [_("Could not be saved.")]


def _texts(values):
    return [
        value.isoformat() if isinstance(value, datetime.date) else str(value) for value in values
    ]
