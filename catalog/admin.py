from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Allergen, Product, Service


@admin.register(Allergen)
class AllergenAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "code", "family", "is_active", "order"]
    list_display_links = ["name_fr"]
    list_editable = ["is_active", "order"]
    list_filter = ["family", "is_active"]
    search_fields = ["name_fr", "name_en", "code"]
    ordering = ["order", "name_fr"]
    fieldsets = [
        (None, {"fields": ["code", "family", "order", "is_active"]}),
        (_("French"), {"fields": ["name_fr", "description_fr"]}),
        (_("English"), {"fields": ["name_en", "description_en"]}),
    ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "account", "duration", "price", "archived", "created_at"]
    list_select_related = ["account"]
    list_filter = ["archived", "created_at"]
    search_fields = ["name", "account__name", "account__users__email"]
    raw_id_fields = ["account"]
    readonly_fields = ["id", "created_at"]
    fields = [
        "id",
        "account",
        "name",
        "category",
        "duration",
        "price",
        "colour",
        "archived",
        "created_at",
    ]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["brand", "name", "shade", "category", "account", "archived", "created_at"]
    list_display_links = ["brand", "name"]
    list_select_related = ["account"]
    list_filter = ["category", "archived", "allergens"]
    # search_text is folded: "etoile" finds "Ongle Étoile" as the technician's search does.
    search_fields = ["search_text", "brand", "name", "account__name", "account__users__email"]
    raw_id_fields = ["account"]
    readonly_fields = ["id", "created_at"]
    fields = [
        "id",
        "account",
        "brand",
        "name",
        "category",
        "shade",
        "allergens",
        "notes",
        "archived",
        "created_at",
    ]
    filter_horizontal = ["allergens"]
