"""Models of the whole business: its exports."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nailpro.models import AccountOwned


def export_path(export, filename):
    """Store an account export under the account's folder, named by its random id."""
    return f"accounts/{export.account_id}/exports/{export.pk}.zip"


class AccountExport(AccountOwned):
    """A ZIP of everything an account holds, built in the background (GDPR Art. 20).

    Kept 7 days, or until she asks for a new one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    KEPT_FOR = datetime.timedelta(days=7)

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    file = models.FileField(_("file"), upload_to=export_path, max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Surviving a crash (business/tasks.py): the build writes `heartbeat_at` as it goes; each
    # claim bumps `attempts`, the lease a worker holds. A dead build is started again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("runs"), default=0)

    class Meta:
        db_table = "nailpro_accountexport"  # the table it had in the core: data kept
        verbose_name = _("account export")
        verbose_name_plural = _("account exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_status_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self):
        return self.created_at + self.KEPT_FOR

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def in_progress(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

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
