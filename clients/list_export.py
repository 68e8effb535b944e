"""Long client lists exported by the worker (issue 14): past `immediate_max()` clients, the
list is built by `manage.py db_worker`, with a progress bar, and downloaded when ready.

Below the threshold the export answers at once, as it always did (clients.views.transfer).
The built file is private (under her account's folder, served after the scope check), kept
`ClientListExport.KEPT_FOR`, and purged with its row: when a newer list is asked for, when the
page is opened, and by the worker itself.
"""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_tasks import task

from nailpro.files import delete_files_on_commit
from nailpro.tabular import table_write

from .exports import client_table
from .forms import ClientFilterForm
from .models import Client, ClientListExport
from .queries import apply_filters

logger = logging.getLogger(__name__)
# Rows built, and written, per chunk: bounds the worker's memory and paces the progress bar.
CHUNK = 1_000
# A list still "being built" after this long lost its worker: a new one may start.
STALLED_AFTER = datetime.timedelta(hours=1)


def immediate_max():
    """Return how many clients an export builds within the request (settings, default 2,000:
    about 2 s of work); a longer list goes to the worker."""
    return getattr(settings, "CLIENT_EXPORT_IMMEDIATE_MAX", 2_000)


def filtered_clients(account, query):
    """Return the account's clients as the list page's filters (a QueryDict) select them."""
    filters = ClientFilterForm(query, account=account)
    filters.is_valid()  # as on the list: the valid filters apply
    return apply_filters(Client.objects.filter(account=account), filters.cleaned_data)


def list_exports_purge(*, account=None):
    """Delete expired list exports (of every account, or of one), files included."""
    exports = ClientListExport._base_manager.filter(
        created_at__lte=timezone.now() - ClientListExport.KEPT_FOR
    )
    if account is not None:
        exports = exports.filter(account=account)
    with transaction.atomic():
        names = [name for name in exports.values_list("file", flat=True) if name]
        exports.delete()
        delete_files_on_commit(ClientListExport._meta.get_field("file").storage, names)


def client_list_export_start(*, account, user, query, file_format, with_health):
    """Queue the list as filtered by `query` (a QueryDict) for the worker; return the export.

    The same list already being built is returned instead of a second one.
    """
    filters = {
        name: values
        for name, values in query.lists()
        if name not in ("page", "format", "health", "csrfmiddlewaretoken")
    }
    with transaction.atomic():
        running = ClientListExport.objects.filter(
            account=account,
            filters=filters,
            file_format=file_format,
            with_health=with_health,
            status__in=[ClientListExport.Status.PENDING, ClientListExport.Status.RUNNING],
            created_at__gt=timezone.now() - STALLED_AFTER,
        ).first()
        if running is not None:
            return running
        export = ClientListExport.objects.create(
            account=account,
            requested_by=user,
            filters=filters,
            file_format=file_format,
            with_health=with_health,
        )
        list_exports_purge(account=account)
        pk = str(export.pk)
        transaction.on_commit(lambda: client_list_export_build.enqueue(pk))
    return export


def _query(filters):
    query = QueryDict(mutable=True)
    for name, values in filters.items():
        query.setlist(name, values)
    return query


@task()
def client_list_export_build(export_id):
    """Build a queued list export; return False when there was nothing to do (gone, already
    taken by another worker, or finished)."""
    list_exports_purge()
    claimed = ClientListExport._base_manager.filter(
        pk=export_id, status=ClientListExport.Status.PENDING
    ).update(status=ClientListExport.Status.RUNNING, progress=0)
    if not claimed:
        return False
    export = ClientListExport._base_manager.select_related("account", "requested_by").get(
        pk=export_id
    )
    account = export.account
    with (
        scope(account=account.pk),
        translation.override(account.language),
        timezone.override(account.time_zone),
    ):
        try:
            name = _build(export)
        except Exception as error:
            logger.exception("Client list export %s failed", export_id)
            ClientListExport._base_manager.filter(pk=export.pk).update(
                status=ClientListExport.Status.FAILED, error=repr(error)[:2000]
            )
            raise
    storage = export.file.storage
    with transaction.atomic(), scopes_disabled():
        current = ClientListExport._base_manager.select_for_update().filter(pk=export.pk).first()
        if current is None:  # purged meanwhile
            transaction.on_commit(lambda: storage.delete(name))
            return False
        current.file.name = name
        current.status = ClientListExport.Status.READY
        current.progress = 100
        current.finished_at = timezone.now()
        current.save(update_fields=["file", "status", "progress", "finished_at"])
    return True


def _build(export):
    """Write the list into storage, chunk by chunk; return the stored file's name."""
    clients = filtered_clients(export.account, _query(export.filters))
    # The order client_table uses, so that chunks put end to end keep it.
    ids = list(clients.order_by("search_name", "created_at").values_list("pk", flat=True))
    ClientListExport._base_manager.filter(pk=export.pk).update(total=len(ids))
    headers = client_table(
        Client.objects.none(), account=export.account, with_health=export.with_health
    )[0]

    def rows():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            _headers, chunk_rows = client_table(
                Client.objects.filter(pk__in=chunk),
                account=export.account,
                with_health=export.with_health,
                user=export.requested_by,
                where="client list export",
            )
            yield from chunk_rows
            done = min(start + CHUNK, len(ids))
            ClientListExport._base_manager.filter(pk=export.pk).update(
                progress=min(99, done * 100 // max(len(ids), 1))
            )

    storage = export.file.storage
    with tempfile.TemporaryFile() as target:
        table_write(target, headers, rows(), file_format=export.file_format, title=_("Clients"))
        target.seek(0)
        return storage.save(export.file.field.generate_filename(export, ""), File(target))
