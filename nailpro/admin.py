from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Account, User


class UserInline(admin.TabularInline):
    model = User
    fields = ["email", "is_active", "last_login", "date_joined"]
    readonly_fields = ["email", "last_login", "date_joined"]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_email", "language", "time_zone", "created_at"]
    list_filter = ["language", "created_at"]
    search_fields = ["name", "users__email"]
    readonly_fields = ["id", "created_at"]
    inlines = [UserInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("users")

    @admin.display(description=_("owner e-mail"))
    def owner_email(self, account):
        """Return the e-mail of the account's first user, who signed it up."""
        users = sorted(account.users.all(), key=lambda user: user.date_joined)
        return users[0].email if users else "—"


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
