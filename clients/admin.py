"""Staff views of client records. Health data never appears here (rule 12 in ARCHITECTURE.md)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nailpro.admin_mixins import (
    NoAddAdminMixin,
    NoChangeAdminMixin,
    NoDeleteAdminMixin,
    ReadOnlyAdminMixin,
)

from .models import (
    AccessLog,
    Category,
    Client,
    ClientImport,
    ConsentEvent,
    ConsentLink,
    ConsentText,
    Gift,
    HealthProfile,
    NailState,
    SignedConsent,
)
from .services import client_delete


class StaffReadsLogged:
    """Opening a record that belongs to a client is written in her access log (rule 12 of
    ARCHITECTURE.md); the admin says whose record it is with `client_of`."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            AccessLog.record(
                client=self.client_of(obj),
                user=request.user,
                action=AccessLog.Action.STAFF_VIEWED,
                where=request.path,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "position"]
    list_select_related = ["account"]
    search_fields = ["name", "account__name"]


class ConsentEventInline(NoAddAdminMixin, admin.TabularInline):
    model = ConsentEvent
    fields = ["kind", "given", "method", "date", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Client)
class ClientAdmin(StaffReadsLogged, admin.ModelAdmin):
    list_display = ["display_name", "account", "phone", "email", "category", "created_at"]
    list_select_related = ["account", "category"]
    list_filter = ["blacklisted", "source", "language", "created_at"]
    search_fields = [
        "search_name",
        "phone_digits",
        "email",
        "account__name",
        "account__users__email",
    ]
    date_hierarchy = "created_at"
    readonly_fields = ["id", "account", "has_photo", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # The account is chosen when staff add a client, and fixed afterwards.
        if obj is None:
            return [name for name in self.readonly_fields if name != "account"]
        return self.readonly_fields

    raw_id_fields = ["account", "referred_by", "category"]
    inlines = [ConsentEventInline]
    fieldsets = [
        (None, {"fields": ["id", "account", "created_at", "updated_at"]}),
        (
            _("Identity"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "patronymic",
                    "language",
                    "phone",
                    "phone2",
                    "email",
                    "birth_date",
                    "birthday_day",
                    "birthday_month",
                    "gender",
                    # Read-only: an upload here would bypass the image pipeline (rule 5).
                    "has_photo",
                ]
            },
        ),
        (_("Address"), {"fields": ["street", "postal_code", "city", "access_notes"]}),
        (_("Preferences"), {"fields": ["nail_system", "nail_shape", "notes"]}),
        (
            _("Relationship"),
            {
                "fields": [
                    "category",
                    "source",
                    "referred_by",
                    "loyalty_card_number",
                    "loyalty_card_expiry",
                    "blacklisted",
                    "blacklist_reason",
                ]
            },
        ),
    ]

    @admin.display(description=_("photo"), boolean=True)
    def has_photo(self, client):
        # Never a link: her photo is served only to her technician.
        return bool(client.photo)

    def client_of(self, client):
        return client

    def delete_model(self, request, obj):
        client_delete(client=obj)

    def delete_queryset(self, request, queryset):
        for client in queryset:
            client_delete(client=client)


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Her consent answers as recorded. Deleting one would bring an older one back into force."""

    list_display = ["client", "kind", "given", "method", "date", "recorded_at", "account"]
    list_select_related = ["client", "account"]
    list_filter = ["kind", "given", "method"]
    search_fields = ["client__search_name", "account__name"]
    readonly_fields = [field.name for field in ConsentEvent._meta.fields]


@admin.register(ConsentText)
class ConsentTextAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    """The consent form's wording. Saving a change makes a new version: signed forms keep
    pointing at the text they were signed on, so no version is ever deleted."""

    list_display = ["__str__", "language", "version", "title", "created_at"]
    list_filter = ["language"]
    search_fields = ["title", "body"]
    fields = ["language", "version", "title", "body", *ConsentText.STATEMENT_FIELDS, "created_at"]
    readonly_fields = ["version", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A new version stays in its text's language.
        return [*self.readonly_fields, "language"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            new = ConsentText.objects.get(pk=obj.pk).revise(
                **{name: getattr(obj, name) for name in form.changed_data}
            )
            obj.pk, obj.version, obj.created_at = new.pk, new.version, new.created_at
            obj._state.adding = False
            return
        obj.version = None
        obj.save()


@admin.register(SignedConsent)
class SignedConsentAdmin(StaffReadsLogged, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which form she signed, when and how. Never her signature: it stays with the technician.
    The proof of her answers goes only with her (client deletion or erasure)."""

    list_display = ["client", "method", "text", "signed_on", "signed_at", "account"]
    list_select_related = ["client", "text", "account"]
    list_filter = ["method", "text__language", "signed_on"]
    search_fields = ["client__search_name", "account__name", "digest"]
    date_hierarchy = "signed_on"
    fields = [
        "client",
        "account",
        "text",
        "method",
        "choices",
        "signed_on",
        "signed_at",
        "recorded_by",
        "has_signature",
        "digest",
        "integrity",
    ]
    readonly_fields = fields

    @admin.display(description=_("signature"), boolean=True)
    def has_signature(self, signed):
        return bool(signed.signature)

    @admin.display(description=_("integrity verified"), boolean=True)
    def integrity(self, signed):
        return signed.integrity_verified()

    def client_of(self, signed):
        return signed.client


@admin.register(ConsentLink)
class ConsentLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Whether a form link was sent, used or left to expire (its secret is not stored)."""

    list_display = ["client", "account", "language", "created_at", "expires_at", "used_at"]
    list_select_related = ["client", "account"]
    list_filter = ["language"]
    search_fields = ["client__search_name", "account__name"]
    fields = ["client", "account", "language", "created_at", "expires_at", "used_at", "signed"]
    readonly_fields = fields


@admin.register(HealthProfile)
class HealthProfileAdmin(NoAddAdminMixin, NoChangeAdminMixin, admin.ModelAdmin):
    """Only that a profile exists and when it changed: its content stays with the technician."""

    list_display = ["client", "account", "updated_at"]
    list_select_related = ["client", "account"]
    search_fields = ["client__search_name", "account__name"]
    fields = ["client", "account", "updated_at"]
    readonly_fields = fields


@admin.register(NailState)
class NailStateAdmin(NoAddAdminMixin, admin.ModelAdmin):
    """Which nails are noted, not how they are: conditions can be health data."""

    list_display = ["client", "finger", "updated_at"]
    list_select_related = ["client"]
    list_filter = ["finger"]
    search_fields = ["client__search_name"]
    fields = ["client", "finger", "length", "updated_at"]
    readonly_fields = fields


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ["description", "client", "occasion", "given_on", "value", "account"]
    list_select_related = ["client", "account"]
    list_filter = ["occasion", "given_on"]
    search_fields = ["description", "client__search_name", "account__name"]
    raw_id_fields = ["client"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "action", "client", "user", "account", "where"]
    list_select_related = ["client", "user", "account"]
    list_filter = ["action", "at"]
    search_fields = ["client__search_name", "user__email", "account__name"]
    readonly_fields = ["account", "client", "user", "action", "where", "at"]


@admin.register(ClientImport)
class ClientImportAdmin(NoAddAdminMixin, admin.ModelAdmin):
    """Support sees how an import went, not the uploaded file's contents."""

    list_display = ["original_name", "account", "status", "total", "created", "created_at"]
    list_select_related = ["account"]
    list_filter = ["status", "created_at"]
    search_fields = ["original_name", "account__name", "account__users__email"]
    fields = [
        "account",
        "original_name",
        "status",
        "total",
        "done",
        "created",
        "skipped",
        "left_out",
        "created_by",
        "created_at",
        "finished_at",
        "next_row",
        "heartbeat_at",
        "attempts",
    ]
    readonly_fields = fields
