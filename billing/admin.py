from django.contrib import admin

from nailpro.admin_mixins import NoAddAdminMixin, NoChangeAdminMixin, NoDeleteAdminMixin

from .models import StripeEvent, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(NoAddAdminMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """One per account, created with it."""

    list_display = ["account", "plan", "status", "current_period_end", "updated_at"]
    list_select_related = ["account"]
    list_filter = ["plan", "status"]
    search_fields = ["account__name", "account__users__email", "stripe_customer_id"]
    readonly_fields = ["account", "stripe_customer_id", "stripe_subscription_id", "updated_at"]


@admin.register(StripeEvent)
class StripeEventAdmin(NoAddAdminMixin, NoChangeAdminMixin, admin.ModelAdmin):
    """The webhook events already applied, so that Stripe's retries are ignored."""

    list_display = ["id", "type", "received_at"]
    list_filter = ["type"]
    search_fields = ["id"]
