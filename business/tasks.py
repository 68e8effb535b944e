"""Background work of the whole business, run by `manage.py db_worker` (django-tasks)."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import task

from clients.models import AccessLog, Client

from .account_export import Exporter, account_exports_purge
from .models import AccountExport
from .retention import erased


@task()
def account_export_build(export_id):
    """Build an account's export ZIP. Safe to run twice: a finished export is left alone."""
    with scopes_disabled():
        account_exports_purge()
        export = AccountExport.objects.select_related("account").filter(pk=export_id).first()
        if export is None or not export.in_progress:
            return
        AccountExport.objects.filter(pk=export.pk).update(
            status=AccountExport.Status.RUNNING, progress=0
        )

        def on_progress(percent):
            AccountExport.objects.filter(pk=export.pk).update(progress=percent)

        storage = export.file.storage
        try:
            with tempfile.TemporaryFile() as target:
                Exporter(export.account, on_progress).write(target)
                target.seek(0)
                name = storage.save(export.file.field.generate_filename(export, ""), File(target))
        except Exception as error:
            AccountExport.objects.filter(pk=export.pk).update(
                status=AccountExport.Status.FAILED, error=repr(error)[:2000]
            )
            raise

        with transaction.atomic():
            current = AccountExport.objects.select_for_update().filter(pk=export.pk).first()
            if current is None or current.status == AccountExport.Status.READY:
                # Deleted meanwhile (a newer export), or another run finished first.
                transaction.on_commit(lambda: storage.delete(name))
                return
            current.file.name = name
            current.status = AccountExport.Status.READY
            current.progress = 100
            current.finished_at = timezone.now()
            current.save(update_fields=["file", "status", "progress", "finished_at"])
            clients = Client.objects.filter(account=export.account).exclude(erased())
            AccessLog.objects.bulk_create(
                AccessLog(
                    account_id=export.account_id,
                    client_id=client_id,
                    user_id=export.requested_by_id,
                    action=AccessLog.Action.EXPORTED,
                    where="account export",
                )
                for client_id in clients.values_list("pk", flat=True).iterator()
            )
