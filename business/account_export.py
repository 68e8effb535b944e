"""The whole account, exported for the technician (GDPR Art. 20): one CSV per table, every
stored file, and one JSON of everything, in a ZIP built in the background (business.tasks).

Tables come from the privacy registry (nailpro.privacy): each app gives its account-owned
models (all of them unless it says otherwise), so a table added later is exported without
editing this file. Health data is decrypted: it is her data, going to her.

It reads from every app, as the dashboard does; no app reads from it.
"""

import csv
import datetime
import decimal
import io
import json
import tempfile
import uuid
import zipfile

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from nailpro import privacy
from nailpro.files import delete_files_on_commit
from nailpro.models import Account, AccountOwned, User
from nailpro.tabular import neutralise

from .models import AccountExport, export_path

SCHEMA_VERSION = 1
HEARTBEAT_ROWS = 2000  # rows of a table between two signs of life to the task
# Columns of the account and its users that are hers to take; secrets stay out.
ACCOUNT_FIELDS = [
    "id",
    "name",
    "time_zone",
    "currency",
    "phone_region",
    "language",
    "travel_buffer_minutes",
    "reminder_hours_before",
    "retention_years",
    "created_at",
]
USER_FIELDS = ["id", "email", "is_active", "date_joined", "last_login"]


def exported_models():
    """Return every app's account-owned models, as each declares them (nailpro.privacy)."""
    return privacy.account_models()


def table_name(model):
    return f"{model._meta.app_label}_{model._meta.model_name}"


def file_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def stored_file_names(account, *, include_exports=False):
    """Return the names of every file stored for the account, as its rows record them."""
    names = []
    owned = exported_models() + ([AccountExport] if include_exports else [])
    for model in owned:
        fields = [field.name for field in file_fields(model)]
        if not fields:
            continue
        for row in model._base_manager.filter(account=account).values_list(*fields):
            names += [name for name in row if name]
    return names


def account_exports_purge(*, account=None, keep=None):
    """Delete expired exports (of every account, or of one), files included.

    With `keep`, delete every other export of that account, expired or not.
    """
    exports = AccountExport._base_manager.all()
    if account is not None:
        exports = exports.filter(account=account)
    if keep is None:
        exports = exports.filter(created_at__lte=timezone.now() - AccountExport.KEPT_FOR)
    else:
        exports = exports.exclude(pk=keep.pk)
    with transaction.atomic():
        # Also where a build killed before recording its file left it (the name is fixed).
        names = {
            name
            for export in exports.only("pk", "account_id", "file")
            for name in (export.file.name, export_path(export, ""))
            if name
        }
        exports.delete()
        delete_files_on_commit(AccountExport._meta.get_field("file").storage, names)


def archive_path(account, name):
    """Return where a stored file goes in the ZIP: under files/, without the account folder."""
    return "files/" + name.removeprefix(f"accounts/{account.pk}/")


class Exporter:
    """Write one account's ZIP into a file, reporting progress as it goes."""

    def __init__(self, account, on_progress=None):
        self.account = account
        self.on_progress = on_progress or (lambda percent: None)
        self.models = exported_models()
        self.files = stored_file_names(account)
        self.steps = len(self.models) + 2 + len(self.files)
        self.done = 0
        self.percent = -1

    def write(self, target):
        """Write the ZIP into `target`, a binary file open for writing."""
        with (
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive,
            tempfile.TemporaryFile("w+", encoding="utf-8") as data,
        ):
            # The JSON grows table by table in a temporary file, so memory stays flat.
            exported_at = json.dumps(timezone.now().isoformat())
            data.write(
                f'{{"schema_version": {SCHEMA_VERSION}, "exported_at": {exported_at}, "tables": {{'
            )
            tables = [
                ("nailpro_account", ACCOUNT_FIELDS, self._rows_of(Account, ACCOUNT_FIELDS)),
                ("nailpro_user", USER_FIELDS, self._rows_of(User, USER_FIELDS)),
            ]
            tables += [self._table(model) for model in self.models]
            for index, (name, columns, rows) in enumerate(tables):
                data.write(("," if index else "") + json.dumps(name) + ": [")
                self._write_table(archive, data, name, columns, rows)
                data.write("]")
                self._step()
            data.write("}}")
            data.seek(0)
            with archive.open("data.json", "w") as entry:
                while chunk := data.read(64 * 1024):
                    entry.write(chunk.encode("utf-8"))
            for name in self.files:
                self._copy_file(archive, name)
                self._step()
        self.on_progress(100)

    def _table(self, model):
        fields = list(model._meta.concrete_fields)
        many = list(model._meta.many_to_many)
        columns = [field.attname for field in fields] + [field.name for field in many]
        queryset = model._base_manager.filter(account=self.account).order_by("pk")
        if many:
            queryset = queryset.prefetch_related(*[field.name for field in many])

        def rows():
            for obj in queryset.iterator(chunk_size=500):
                row = [self._value(getattr(obj, field.attname)) for field in fields]
                for field in many:
                    row.append([self._related(item) for item in getattr(obj, field.name).all()])
                yield row

        return table_name(model), columns, rows()

    def _rows_of(self, model, columns):
        if model is Account:
            queryset = Account.objects.filter(pk=self.account.pk)
        else:
            queryset = model.objects.filter(account=self.account).order_by("date_joined")
        for values in queryset.values_list(*columns):
            yield [self._value(value) for value in values]

    def _write_table(self, archive, data, name, columns, rows):
        with archive.open(f"{name}.csv", "w") as entry:
            text = io.TextIOWrapper(entry, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow(columns)
            for index, row in enumerate(rows):
                if index % HEARTBEAT_ROWS == HEARTBEAT_ROWS - 1:
                    self.on_progress(max(self.percent, 0))  # a long table: still alive
                writer.writerow([csv_value(value) for value in row])
                data.write(
                    ("," if index else "") + json.dumps(dict(zip(columns, row, strict=True)))
                )
            text.flush()
            text.detach()

    def _value(self, value):
        """Return a JSON-ready value; text stays a str, so the CSV knows what to neutralise."""
        if isinstance(value, FieldFile):
            return _Typed(archive_path(self.account, value.name)) if value else None
        if isinstance(value, datetime.datetime | datetime.date | datetime.time):
            return _Typed(value.isoformat())
        if isinstance(value, uuid.UUID | decimal.Decimal):
            return _Typed(str(value))
        if value is None or isinstance(value, bool | int | float | str | list | dict):
            return value
        return _Typed(str(value))  # phone numbers and other typed values

    def _related(self, item):
        return str(item.pk) if isinstance(item, AccountOwned) else str(item)

    def _copy_file(self, archive, name):
        storage = AccountExport._meta.get_field("file").storage
        try:
            with (
                storage.open(name, "rb") as source,
                archive.open(archive_path(self.account, name), "w") as entry,
            ):
                while chunk := source.read(1024 * 1024):
                    entry.write(chunk)
        except OSError:
            pass  # a row whose file is gone: nothing to copy, the CSV still names it

    def _step(self):
        self.done += 1
        percent = min(99, self.done * 100 // self.steps)
        if percent != self.percent:
            self.percent = percent
            self.on_progress(percent)


class _Typed(str):
    """A str made by the exporter from a typed value (date, id, amount): never a formula."""


def csv_value(value):
    """Return the CSV cell of a JSON-ready value, formulas neutralised in free text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, _Typed) or not isinstance(value, str):
        return str(value)
    return neutralise(value)
