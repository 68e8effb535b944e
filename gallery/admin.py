"""Staff views of the gallery's records that support needs."""

from django.contrib import admin

from nailpro.admin_mixins import ReadOnlyAdminMixin

from .models import BookingRequest, Portfolio


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["slug", "account", "enabled", "title"]
    list_select_related = ["account"]
    list_filter = ["enabled"]
    search_fields = ["slug", "account__name", "title"]


@admin.register(BookingRequest)
class BookingRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Whether requests arrive and are handled; what the stranger wrote stays with her."""

    list_display = ["account", "status", "created_at", "handled_at"]
    list_select_related = ["account"]
    list_filter = ["status"]
    search_fields = ["account__name"]
    fields = ["account", "status", "language", "created_at", "handled_at", "client"]
    readonly_fields = fields
