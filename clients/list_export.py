"""Long lists exported by the worker: past a threshold, her client list (and her
visits, registered by the visits app) is built by `manage.py db_worker`, with a progress bar,
and downloaded when ready. Below the threshold the export answers at once, as it always did.

Each kind of list registers how it is built (`register_list`): its rows are produced in
chunks of ids, so the worker's memory stays flat and the bar moves; the file is written row by
row (nailpro.tabular.table_write). The built file is private (under her account's folder,
served after the scope check), kept `ListExport.KEPT_FOR`, and purged with its row: when a
newer list is asked for, when the page is opened, and by the worker itself.
"""

import datetime
import logging
import tempfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled
from django_tasks import task

from nailpro.files import delete_files_on_commit
from nailpro.tabular import table_write

from .exports import client_table
from .forms import ClientFilterForm
from .models import Client, ListExport
from .queries import apply_filters

logger = logging.getLogger(__name__)
# Rows built, and written, per chunk: bounds the worker's memory and paces the progress bar.
CHUNK = 1_000
# A list still "being built" after this long lost its worker: a new one may start.
STALLED_AFTER = datetime.timedelta(hours=1)
NOT_FILTERS = ("page", "format", "health", "csrfmiddlewaretoken")


@dataclass(frozen=True)
class ListKind:
    """How one kind of list is exported.

    `ids(account, query)` returns the ids of the rows in their order (a queryset of pks);
    `table(account, ids, export)` returns (headers, rows) for those ids, in that order.
    """

    title: Any  # the sheet's title and the page's, translated lazily
    label: Any  # the file name's word: "clients", "visits"
    back: str  # the URL name of the list page
    setting: str  # the settings name of the threshold
    default_max: int
    ids: Any
    table: Any


_kinds = {}


def register_list(kind, list_kind):
    """Register how a kind of list is exported (an app's ready(), or this module)."""
    _kinds[kind] = list_kind


def list_kind(kind):
    return _kinds[kind]


def immediate_max(kind="clients"):
    """Return how many rows an export builds within the request; a longer list goes to the
    worker. Settings: CLIENT_EXPORT_IMMEDIATE_MAX (2,000 clients: about 2 s of work),
    VISIT_EXPORT_IMMEDIATE_MAX (5,000 visits)."""
    known = _kinds[kind]
    return getattr(settings, known.setting, known.default_max)


def filtered_clients(account, query):
    """Return the account's clients as the list page's filters (a QueryDict) select them."""
    filters = ClientFilterForm(query, account=account)
    filters.is_valid()  # as on the list: the valid filters apply
    return apply_filters(Client.objects.filter(account=account), filters.cleaned_data)


def _client_ids(account, query):
    # The order client_table uses, so that chunks put end to end keep it.
    return filtered_clients(account, query).order_by("search_name", "created_at")


def _client_table(account, ids, export):
    return client_table(
        Client.objects.filter(pk__in=ids),
        account=account,
        with_health=export.with_health,
        user=export.requested_by,
        where="client list export",
    )


register_list(
    "clients",
    ListKind(
        title=_("Clients"),
        label=_("clients"),
        back="clients:list",
        setting="CLIENT_EXPORT_IMMEDIATE_MAX",
        default_max=2_000,
        ids=_client_ids,
        table=_client_table,
    ),
)


def list_exports_purge(*, account=None):
    """Delete expired list exports (of every account, or of one), files included."""
    exports = ListExport._base_manager.filter(created_at__lte=timezone.now() - ListExport.KEPT_FOR)
    if account is not None:
        exports = exports.filter(account=account)
    with transaction.atomic():
        names = [name for name in exports.values_list("file", flat=True) if name]
        exports.delete()
        delete_files_on_commit(ListExport._meta.get_field("file").storage, names)


def list_export_start(*, kind, account, user, query, file_format, with_health=False):
    """Queue the list as filtered by `query` (a QueryDict) for the worker; return the export.

    The same list already being built is returned instead of a second one.
    """
    filters = {name: values for name, values in query.lists() if name not in NOT_FILTERS}
    with transaction.atomic():
        running = ListExport.objects.filter(
            account=account,
            kind=kind,
            filters=filters,
            file_format=file_format,
            with_health=with_health,
            status__in=[ListExport.Status.PENDING, ListExport.Status.RUNNING],
            created_at__gt=timezone.now() - STALLED_AFTER,
        ).first()
        if running is not None:
            return running
        export = ListExport.objects.create(
            account=account,
            kind=kind,
            requested_by=user,
            filters=filters,
            file_format=file_format,
            with_health=with_health,
        )
        list_exports_purge(account=account)
        pk = str(export.pk)
        transaction.on_commit(lambda: list_export_build.enqueue(pk))
    return export


def _query(filters):
    query = QueryDict(mutable=True)
    for name, values in filters.items():
        query.setlist(name, values)
    return query


@task()
def list_export_build(export_id):
    """Build a queued list export; return False when there was nothing to do (gone, already
    taken by another worker, or finished)."""
    list_exports_purge()
    claimed = ListExport._base_manager.filter(
        pk=export_id, status=ListExport.Status.PENDING
    ).update(status=ListExport.Status.RUNNING, progress=0)
    if not claimed:
        return False
    export = ListExport._base_manager.select_related("account", "requested_by").get(pk=export_id)
    account = export.account
    with (
        scope(account=account.pk),
        translation.override(account.language),
        timezone.override(account.time_zone),
    ):
        try:
            name = _build(export)
        except Exception as error:
            logger.exception("List export %s failed", export_id)
            ListExport._base_manager.filter(pk=export.pk).update(
                status=ListExport.Status.FAILED, error=repr(error)[:2000]
            )
            raise
    storage = export.file.storage
    with transaction.atomic(), scopes_disabled():
        current = ListExport._base_manager.select_for_update().filter(pk=export.pk).first()
        if current is None:  # purged meanwhile
            transaction.on_commit(lambda: storage.delete(name))
            return False
        current.file.name = name
        current.status = ListExport.Status.READY
        current.progress = 100
        current.finished_at = timezone.now()
        current.save(update_fields=["file", "status", "progress", "finished_at"])
    return True


def _build(export):
    """Write the list into storage, chunk by chunk; return the stored file's name."""
    known = _kinds[export.kind]
    account = export.account
    ids = list(known.ids(account, _query(export.filters)).values_list("pk", flat=True))
    ListExport._base_manager.filter(pk=export.pk).update(total=len(ids))
    headers = known.table(account, [], export)[0]

    def rows():
        for start in range(0, len(ids), CHUNK):
            _headers, chunk_rows = known.table(account, ids[start : start + CHUNK], export)
            yield from chunk_rows
            done = min(start + CHUNK, len(ids))
            ListExport._base_manager.filter(pk=export.pk).update(
                progress=min(99, done * 100 // max(len(ids), 1))
            )

    storage = export.file.storage
    with tempfile.TemporaryFile() as target:
        table_write(target, headers, rows(), file_format=export.file_format, title=str(known.title))
        target.seek(0)
        return storage.save(export.file.field.generate_filename(export, ""), File(target))
