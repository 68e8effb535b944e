"""The business's own rows: its exports, which are not exported again (registered in
BusinessConfig.ready())."""

from django.db import transaction

from nailpro.files import delete_files_on_commit
from nailpro.models import SmsSent
from nailpro.privacy import PrivacyEntry

from .models import AccountExport


def _drop_account_exports(account_id):
    """Delete the account's stored exports, files included: each holds every client as she was."""
    exports = AccountExport._base_manager.filter(account_id=account_id)
    with transaction.atomic():
        names = [name for name in exports.values_list("file", flat=True) if name]
        exports.delete()
        delete_files_on_commit(AccountExport._meta.get_field("file").storage, names)


class BusinessPrivacy(PrivacyEntry):
    def account_models(self):
        # Its exports are left out (inside the next export they would only repeat it); the
        # core has no entry of its own, so its SMS counts are exported here.
        return [SmsSent]

    def erase_client(self, client):
        # A ready export still holds her card: it goes, and the technician asks for a new one.
        _drop_account_exports(client.account_id)

    def erase_client_health(self, client):
        # A ready export still holds her health data as it was before she withdrew her consent.
        _drop_account_exports(client.account_id)
