"""Staff views of visits. What is health data (allergy warnings, reactions' symptoms) stays out."""

from django.contrib import admin

from nailpro.admin_mixins import NoAddAdminMixin, NoChangeAdminMixin

from .models import Reaction, Visit, VisitProduct, VisitService


class VisitServiceInline(admin.TabularInline):
    model = VisitService
    fields = ["name", "price", "service"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class VisitProductInline(admin.TabularInline):
    model = VisitProduct
    fields = ["product", "batch_number"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Visit)
class VisitAdmin(NoAddAdminMixin, admin.ModelAdmin):
    list_display = ["number", "client", "account", "started_at", "total", "payment_method", "paid"]
    list_select_related = ["client", "account"]
    list_filter = ["payment_method", "paid", "started_at"]
    search_fields = ["client__search_name", "account__name", "number"]
    date_hierarchy = "started_at"
    fields = [
        "account",
        "client",
        "number",
        "started_at",
        "duration",
        "total",
        "payment_method",
        "paid",
    ]
    readonly_fields = fields
    inlines = [VisitServiceInline, VisitProductInline]


@admin.register(Reaction)
class ReactionAdmin(NoAddAdminMixin, NoChangeAdminMixin, admin.ModelAdmin):
    """That a reaction was recorded, and when: its content stays with the technician."""

    list_display = ["client", "account", "date"]
    list_select_related = ["client", "account"]
    search_fields = ["client__search_name", "account__name"]
    fields = ["client", "account", "date"]
    readonly_fields = fields
