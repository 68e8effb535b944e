"""Models of the whole business: its exports."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nailpro.models import BuiltFile


def export_path(export, filename):
    """Store an account export under the account's folder, named by its random id."""
    return f"accounts/{export.account_id}/exports/{export.pk}.zip"


class AccountExport(BuiltFile):
    """A ZIP of everything an account holds, built in the background (GDPR Art. 20).

    Kept 7 days, or until she asks for a new one.
    """

    file = models.FileField(_("file"), upload_to=export_path, max_length=255, blank=True)
    # Surviving a crash (business/tasks.py): the build writes `heartbeat_at` as it goes; each
    # claim bumps `attempts`, the lease a worker holds. A dead build is started again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("runs"), default=0)

    class Meta:
        db_table = "nailpro_accountexport"  # the table it had in the core: data kept
        verbose_name = _("account export")
        verbose_name_plural = _("account exports")
        ordering = ["-created_at"]

    @property
    def is_stale(self):
        """Being built, but its worker gave no sign of life for longer than the lease."""
        lease = datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)
        return self.status == self.Status.RUNNING and (
            self.heartbeat_at is None or self.heartbeat_at < timezone.now() - lease
        )

    @property
    def is_interrupted(self):
        """Its worker died: stale, or waiting to be built again."""
        return self.is_stale or (self.status == self.Status.PENDING and self.attempts > 0)
