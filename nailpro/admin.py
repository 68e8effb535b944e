from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_mixins import NoAddAdminMixin, ReadOnlyAdminMixin
from .models import ReplayedRequest, SmsSent, Throttle, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "account", "is_active", "is_staff", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "account__name"]
    list_select_related = ["account"]
    autocomplete_fields = ["account"]
    fieldsets = [
        (None, {"fields": ["email", "password", "account"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "account", "password1", "password2"]}),
    ]


@admin.register(Throttle)
class ThrottleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key", "hits", "window_start", "expires_at"]
    ordering = ["-window_start"]


@admin.register(SmsSent)
class SmsSentAdmin(NoAddAdminMixin, admin.ModelAdmin):
    """What an account's SMS cost: one row per SMS, without number or text."""

    list_display = ["sent_at", "account", "segments", "provider_id"]
    list_select_related = ["account"]
    list_filter = ["sent_at"]
    search_fields = ["account__name", "provider_id"]
    date_hierarchy = "sent_at"
    fields = ["account", "sent_at", "segments", "provider_id"]
    readonly_fields = fields


@admin.register(ReplayedRequest)
class ReplayedRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "account", "path", "key"]
    search_fields = ["account__name", "key", "path"]
    list_select_related = ["account"]
    fields = ["account", "key", "path", "outcome", "created_at"]
    readonly_fields = fields
