"""Writes on a whole account: its export and its deletion."""

import datetime

from django.db import transaction
from django.utils import timezone

from clients.models import ClientImport
from nailpro import privacy
from nailpro.auth import login_records_delete
from nailpro.files import delete_folder_on_commit
from nailpro.maintenance import maintenance_ensure, stale_before, worker_seen

from .account_export import account_exports_purge, stored_file_names
from .models import AccountExport
from .tasks import account_export_build, export_resume

# A build still waiting after this long lost its worker: she may start another.
STALLED_AFTER = datetime.timedelta(hours=1)


def account_export_start(*, account, user):
    """Queue a new export of the account, replacing the older ones; return it.

    While one is being built, return that one instead of starting a second.
    """
    with transaction.atomic():
        running = (
            AccountExport.objects.select_for_update()
            .filter(
                account=account,
                status__in=[AccountExport.Status.PENDING, AccountExport.Status.RUNNING],
                created_at__gt=timezone.now() - STALLED_AFTER,
            )
            .first()
        )
        if running is not None:
            return running
        export = AccountExport.objects.create(
            account=account, requested_by=user, heartbeat_at=timezone.now()
        )
        account_exports_purge(account=account, keep=export)
        transaction.on_commit(lambda: account_export_build.enqueue(str(export.pk)))
    return export


def account_export_watch(export):
    """On her page: rebuild the export if its worker died; say whether a worker is around."""
    if export is None or not export.in_progress:
        return {"worker_missing": False}
    maintenance_ensure()
    if export.is_stale and export_resume(export):
        export.refresh_from_db()
    alive = worker_seen() or any(
        model._base_manager.filter(heartbeat_at__gte=stale_before(), status="running").exists()
        for model in (AccountExport, ClientImport)
    )
    return {"worker_missing": not alive}


def account_delete(*, account):
    """Delete the account, every row it owns and, once committed, every file it stored.

    Each app may stop it first (billing cancels her paid subscription at Stripe: if Stripe
    cannot be reached the error propagates and nothing is deleted, so she is never charged
    for a deleted account).
    """
    privacy.before_account_erase(account)
    storage = AccountExport._meta.get_field("file").storage
    folder = f"accounts/{account.pk}"  # before the deletion empties the pk
    with transaction.atomic():
        names = stored_file_names(account, include_exports=True)
        privacy.erase_account(account)  # each app, the ones on top first
        # Her login attempts and logs hold her e-mail: they go with her.
        login_records_delete(account.users.values_list("email", flat=True))
        account.delete()
        delete_folder_on_commit(storage, folder, extra=names)
