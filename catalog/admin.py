from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Allergen


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
