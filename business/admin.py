"""Staff's view of whole businesses: the account (its plan, its clients) and its exports.

It reads billing and clients, so it lives in the top app; the core's User admin stays below."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from billing.models import Plan, Subscription
from clients.models import Client
from nailpro.models import Account, User

from .models import AccountExport


class UserInline(admin.TabularInline):
    model = User
    fields = ["email", "is_active", "last_login", "date_joined"]
    readonly_fields = ["email", "last_login", "date_joined"]
    extra = 0
    can_delete = False
    show_change_link = True


class PlanFilter(admin.SimpleListFilter):
    title = _("plan")
    parameter_name = "plan"

    def lookups(self, request, model_admin):
        return Plan.choices

    def queryset(self, request, queryset):
        return queryset.filter(plan=self.value()) if self.value() else queryset


class StatusFilter(PlanFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Subscription.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """Staff's view of a business: who owns it, its plan, how many clients it holds.

    The admin is staff-only and runs unscoped; it reads the plan and the client count from
    the apps below the top app, as the dashboard does."""

    list_display = ["name", "owner_email", "plan", "status", "client_count", "created_at"]
    list_filter = [PlanFilter, StatusFilter, "language", "created_at"]
    search_fields = ["name", "users__email"]
    readonly_fields = ["id", "created_at"]
    inlines = [UserInline]
    date_hierarchy = "created_at"
    actions = ["move_to_pro", "move_to_free"]

    def get_queryset(self, request):
        subscription = Subscription.objects.filter(account=OuterRef("pk"))
        clients = (
            Client.objects.filter(account=OuterRef("pk"))
            .order_by()
            .values("account")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related("users")
            .annotate(
                plan=Subquery(subscription.values("plan")[:1]),
                status=Subquery(subscription.values("status")[:1]),
                client_total=Coalesce(Subquery(clients), 0),
            )
        )

    @admin.display(description=_("plan"), ordering="plan")
    def plan(self, account):
        return Plan(account.plan).label if account.plan else "—"

    @admin.display(description=_("status"), ordering="status")
    def status(self, account):
        return Subscription.Status(account.status).label if account.status else "—"

    @admin.display(description=_("clients"), ordering="client_total")
    def client_count(self, account):
        return account.client_total

    @admin.action(description=_("Move the selected accounts to Pro"))
    def move_to_pro(self, request, queryset):
        self._move(request, queryset, Plan.PRO)

    @admin.action(description=_("Move the selected accounts to Free (nothing is deleted)"))
    def move_to_free(self, request, queryset):
        self._move(request, queryset, Plan.FREE)

    def _move(self, request, queryset, plan):
        moved = Subscription.objects.filter(account__in=queryset).update(
            plan=plan, status=Subscription.Status.ACTIVE
        )
        self.message_user(request, _("%(count)d accounts moved.") % {"count": moved})

    @admin.display(description=_("owner e-mail"))
    def owner_email(self, account):
        """Return the e-mail of the account's first user, who signed it up."""
        users = sorted(account.users.all(), key=lambda user: user.date_joined)
        return users[0].email if users else "—"


@admin.register(AccountExport)
class AccountExportAdmin(admin.ModelAdmin):
    """Staff see whether a technician's export was built, not its content."""

    list_display = ["account", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["account__name", "account__users__email"]
    list_select_related = ["account"]
    fields = [
        "account",
        "status",
        "progress",
        "created_at",
        "finished_at",
        "heartbeat_at",
        "attempts",
        "error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
