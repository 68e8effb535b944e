"""Records the app writes are read by staff in the admin, never written by them."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from clients.models import Client
from nailpro.models import User

pytestmark = pytest.mark.django_db

# (add, change, delete) a superuser is allowed, per model.
EXPECTED = {
    "clients.AccessLog": (False, False, False),
    "clients.ConsentEvent": (False, False, False),
    "clients.SignedConsent": (False, False, False),
    "clients.HealthProfile": (False, False, True),
    "visits.Reaction": (False, False, True),
    "billing.StripeEvent": (False, False, True),
    "billing.Subscription": (False, True, False),
    "clients.ConsentText": (True, True, False),
    "clients.NailState": (False, True, True),
    "clients.ClientImport": (False, True, True),
    "visits.Visit": (False, True, True),
    "agenda.Appointment": (False, True, True),
    "clients.Client": (True, True, True),
}


def test_it_lets_staff_write_only_what_the_app_does_not():
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("staff@example.com", "x")
    allowed = {
        model._meta.label: (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
        for model, model_admin in admin.site._registry.items()
        if model._meta.label in EXPECTED
    }
    assert allowed == EXPECTED


def test_it_refuses_adding_consent_answers_from_the_client_page():
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("staff@example.com", "x")
    inlines = admin.site._registry[Client].get_inline_instances(request)
    assert [inline.has_add_permission(request, None) for inline in inlines] == [False]


def test_no_admin_form_takes_an_upload_that_would_bypass_the_image_pipeline():
    """A file uploaded in the admin would keep its GPS tags and be served as sent (HTML too)."""
    from django import forms

    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("staff@example.com", "x")
    from django_scopes import scopes_disabled

    uploads = []
    with scopes_disabled():
        forms_made = [
            model_admin.get_form(request, obj)
            for model, model_admin in admin.site._registry.items()
            for obj in (None, model())
        ]
    for form in forms_made:
        uploads += [
            f"{form._meta.model._meta.label}.{name}"
            for name, field in form.base_fields.items()
            if isinstance(field, forms.FileField)
        ]
    assert uploads == []


def test_the_client_admin_shows_whether_she_has_a_photo_without_a_link(admin_client, alice):
    from django_scopes import scopes_disabled

    from tests.factories import ClientFactory

    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, with_photo=True)
        response = admin_client.get(f"/admin/clients/client/{zoe.pk}/change/")
    assert response.status_code == 200
    assert "photo" not in response.context["adminform"].form.fields
    assert zoe.photo.name not in response.content.decode()
