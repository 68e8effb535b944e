from django.contrib import admin

from .models import StripeEvent, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["account", "plan", "status", "current_period_end", "updated_at"]
    list_select_related = ["account"]
    list_filter = ["plan", "status"]
    search_fields = ["account__name", "account__users__email", "stripe_customer_id"]
    readonly_fields = ["account", "stripe_customer_id", "stripe_subscription_id", "updated_at"]

    def has_add_permission(self, request):
        return False  # created with each account

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "received_at"]
    list_filter = ["type"]
    search_fields = ["id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
