"""Staff views of appointments, to answer a support request (“my 10:00 disappeared”)."""

from django.contrib import admin

from nailpro.admin_mixins import NoAddAdminMixin

from .models import Appointment, AppointmentService, ReplyLink, RescheduleRequest


class AppointmentServiceInline(admin.TabularInline):
    model = AppointmentService
    fields = ["name", "duration", "price", "service"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Appointment)
class AppointmentAdmin(NoAddAdminMixin, admin.ModelAdmin):
    list_display = ["start", "client", "account", "status", "place", "reminder_sent_at"]
    list_select_related = ["client", "account"]
    list_filter = ["status", "place", "start"]
    search_fields = ["client__search_name", "account__name", "account__users__email"]
    date_hierarchy = "start"
    fields = [
        "account",
        "client",
        "start",
        "duration",
        "status",
        "cancelled_by",
        "cancelled_at",
        "place",
        "visit",
        "reminder_sent_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [AppointmentServiceInline]


@admin.register(ReplyLink)
class ReplyLinkAdmin(NoAddAdminMixin, admin.ModelAdmin):
    """“My client says the link does not work”: when it was sent, answered, expires."""

    list_display = ["created_at", "appointment", "account", "expires_at", "used_at"]
    list_select_related = ["appointment__client", "account"]
    list_filter = ["used_at", "created_at"]
    search_fields = ["account__name", "account__users__email"]
    fields = ["account", "appointment", "created_at", "expires_at", "used_at"]
    readonly_fields = fields


@admin.register(RescheduleRequest)
class RescheduleRequestAdmin(NoAddAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "appointment", "account", "dismissed_at"]
    list_select_related = ["appointment__client", "account"]
    list_filter = ["dismissed_at", "created_at"]
    search_fields = ["account__name", "account__users__email"]
    # Her message is hers and the technician's: staff see that a request exists, not its words.
    fields = ["account", "appointment", "client", "created_at", "dismissed_at"]
    readonly_fields = fields
