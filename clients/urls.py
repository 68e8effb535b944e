from django.urls import path

from .views import (
    categories,
    clients,
    consent_forms,
    consent_remote,
    gifts,
    health,
    nails,
    photos,
    picker,
    transfer,
)

app_name = "clients"

urlpatterns = [
    path("", clients.client_list, name="list"),
    path("new/", clients.client_new, name="new"),
    path("pick/", picker.client_pick, name="pick"),
    path("gifts/", gifts.gift_list, name="gifts"),
    path("export/", transfer.client_export, name="export"),
    path("export/<uuid:listexport_id>/", transfer.list_export, name="list_export"),
    path(
        "export/<uuid:listexport_id>/download/",
        transfer.list_export_download,
        name="list_export_download",
    ),
    path("import/", transfer.client_import, name="import"),
    path("import/sample.csv", transfer.client_import_sample, name="import_sample"),
    path(
        "import/<uuid:clientimport_id>/",
        transfer.client_import_mapping,
        name="import_mapping",
    ),
    path(
        "import/<uuid:clientimport_id>/progress/",
        transfer.client_import_progress,
        name="import_progress",
    ),
    path(
        "import/<uuid:clientimport_id>/report/",
        transfer.client_import_report,
        name="import_report",
    ),
    path("categories/", categories.category_list, name="categories"),
    path("categories/<uuid:category_id>/", categories.category_edit, name="category_edit"),
    path(
        "categories/<uuid:category_id>/delete/",
        categories.category_delete,
        name="category_delete",
    ),
    path("<uuid:client_id>/", clients.client_detail, name="detail"),
    *[
        path(
            f"<uuid:client_id>/{section}/",
            clients.client_section,
            {"section": section},
            name=section,
        )
        for section in clients.SECTIONS
    ],
    path("<uuid:client_id>/delete/", clients.client_delete_view, name="delete"),
    path("<uuid:client_id>/erase/", clients.client_erase_view, name="erase"),
    path("<uuid:client_id>/photo/", photos.photo, name="photo"),
    path("<uuid:client_id>/photo/upload/", photos.photo_upload, name="photo_upload"),
    path("<uuid:client_id>/photo/remove/", clients.client_photo_remove, name="photo_remove"),
    path("<uuid:client_id>/consents/new/", health.consent_new, name="consent_new"),
    path("<uuid:client_id>/consent-form/", consent_forms.consent_sign, name="consent_sign"),
    path("<uuid:client_id>/consent-form/send/", consent_remote.consent_send, name="consent_send"),
    path("<uuid:client_id>/consent-form/print/", consent_forms.consent_blank, name="consent_blank"),
    path("<uuid:client_id>/consent-form/paper/", consent_forms.consent_paper, name="consent_paper"),
    path(
        "<uuid:client_id>/consent-forms/<uuid:signedconsent_id>/",
        consent_forms.consent_signed,
        name="consent_signed",
    ),
    path(
        "<uuid:client_id>/consent-forms/<uuid:signedconsent_id>/signature/",
        consent_forms.consent_signature,
        name="consent_signature",
    ),
    path("<uuid:client_id>/health/", health.health_edit, name="health"),
    path("<uuid:client_id>/nails/", nails.nail_edit, name="nail"),
    path("<uuid:client_id>/gifts/new/", gifts.gift_new, name="gift_new"),
    path("<uuid:client_id>/gifts/<uuid:gift_id>/delete/", gifts.gift_delete, name="gift_delete"),
]
