"""Plans and subscriptions: what each account pays for, kept in step with Stripe."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nailpro.models import AccountOwned


class Plan(models.TextChoices):
    FREE = "free", _("Free")
    PRO = "pro", _("Pro")


class Subscription(AccountOwned):
    """One per account, created with it on the Free plan."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TRIALING = "trialing", _("Trial")
        PAST_DUE = "past_due", _("Payment overdue")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.CharField(_("plan"), max_length=8, choices=Plan.choices, default=Plan.FREE)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    current_period_end = models.DateTimeField(_("current period ends"), null=True, blank=True)
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=64, blank=True)
    stripe_subscription_id = models.CharField(_("Stripe subscription"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["account"], name="subscription_one_per_account")
        ]

    def __str__(self):
        return f"{self.get_plan_display()} ({self.get_status_display()})"

    @property
    def is_pro(self):
        """Pro while paid or in trial; an overdue payment keeps Pro while Stripe retries."""
        return self.plan == Plan.PRO and self.status != self.Status.CANCELLED


class StripeEvent(models.Model):
    """A webhook event already applied: Stripe may deliver the same event more than once."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.id}"
