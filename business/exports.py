"""A client's data, exported for her (GDPR Art. 15 and 20): everything her card shows, as JSON
with a documented schema (clients_export_schema.json), her photos, and a readable summary.

It reads from every app, as the dashboard does; no app reads from it.
"""

import io
import json
import zipfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from agenda.models import Appointment
from clients.models import AccessLog, ConsentEvent, HealthProfile, NailState, SignedConsent
from gallery.models import Photo
from visits.models import Reaction, Visit

SCHEMA = Path(__file__).with_name("client_export_schema.json")
SCHEMA_VERSION = 1


def _date(value):
    return value.isoformat() if value else None


def _signed_forms(client):
    return SignedConsent.objects.filter(client=client).select_related("text")


def client_data(client):
    """Everything about her, as plain JSON-ready data."""
    health = HealthProfile.objects.filter(client=client).prefetch_related("allergens").first()
    visits = Visit.objects.filter(client=client).for_history()
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(),
        "identity": {
            "first_name": client.first_name,
            "last_name": client.last_name,
            "phone": str(client.phone or ""),
            "second_phone": str(client.phone2 or ""),
            "email": client.email,
            "birth_date": _date(client.birth_date),
            "gender": client.gender,
        },
        "address": {
            "street": client.street,
            "postal_code": client.postal_code,
            "city": client.city,
            "access_notes": client.access_notes,
        },
        "preferences": {
            "nail_system": client.nail_system,
            "nail_shape": client.nail_shape,
            "notes": client.notes,
        },
        "relationship": {
            "category": client.category.name if client.category else None,
            "source": client.source,
            "loyalty_card_number": client.loyalty_card_number,
            "loyalty_card_expiry": _date(client.loyalty_card_expiry),
            "blacklisted": client.blacklisted,
            "blacklist_reason": client.blacklist_reason,
            "client_since": client.created_at.isoformat(),
        },
        "consents": [
            {
                "kind": event.kind,
                "given": event.given,
                "method": event.method,
                "date": _date(event.date),
                "recorded_at": event.recorded_at.isoformat(),
                "form": str(event.form_id) if event.form_id else None,
            }
            for event in ConsentEvent.objects.filter(client=client)
        ],
        "consent_forms": [
            {
                "id": str(signed.pk),
                "method": signed.method,
                "signed_on": _date(signed.signed_on),
                "recorded_at": signed.signed_at.isoformat(),
                "text": signed.text.canonical(),
                "choices": signed.choices,
                "signature_file": f"consents/{signed.pk}.png" if signed.signature else None,
                "sha256": signed.digest,
                "integrity_verified": signed.integrity_verified(),
            }
            for signed in _signed_forms(client)
        ],
        "health": None
        if health is None
        else {
            "allergens": [allergen.code for allergen in health.allergens.all()],
            "allergy_notes": health.allergy_notes,
            "pathologies": health.pathologies,
            "pathology_notes": health.pathology_notes,
            "medications": health.medications,
            "health_notes": health.health_notes,
        },
        "hand_chart": {
            nail.finger: {
                "length": nail.length,
                "condition": nail.condition,
                "remarks": nail.remarks,
            }
            for nail in NailState.objects.filter(client=client)
        },
        "visits": [
            {
                "number": visit.number,
                "started_at": visit.started_at.isoformat(),
                "duration_minutes": visit.duration,
                "services": [{"name": s.name, "price": str(s.price)} for s in visit.services.all()],
                "products": [
                    {"product": str(use.product), "batch_number": use.batch_number}
                    for use in visit.products.all()
                ],
                "total": str(visit.total),
                "payment_method": visit.payment_method,
                "paid": visit.paid,
                "technique_notes": visit.technique_notes,
                "hand_chart": visit.chart_snapshot,
            }
            for visit in visits
        ],
        "appointments": [
            {
                "start": appointment.start.isoformat(),
                "duration_minutes": appointment.duration,
                "status": appointment.status,
                "cancelled_by": appointment.cancelled_by,
                "place": appointment.place,
                "address": appointment.address,
                "services": [
                    {"name": s.name, "duration_minutes": s.duration, "price": str(s.price)}
                    for s in appointment.services.all()
                ],
                "notes": appointment.notes,
            }
            for appointment in Appointment.objects.filter(client=client)
            .select_related("account")
            .prefetch_related("services")
        ],
        "reactions": [
            {
                "date": _date(reaction.date),
                "symptoms": reaction.symptoms,
                "suspected_products": [str(p) for p in reaction.suspected_products.all()],
            }
            for reaction in Reaction.objects.filter(client=client).prefetch_related(
                "suspected_products"
            )
        ],
        "gifts": [
            {
                "occasion": gift.occasion,
                "description": gift.description,
                "date": _date(gift.given_on),
                "value": str(gift.value) if gift.value is not None else None,
            }
            for gift in client.gifts.all()
        ],
        "photos": [
            {
                "file": f"photos/{photo.pk}.webp",
                "kind": photo.kind,
                "caption": photo.caption,
                "tags": photo.tag_list,
                "added": photo.created_at.isoformat(),
            }
            for photo in Photo.objects.filter(client=client)
        ],
    }


def client_export(client, user):
    """Build her ZIP (data.json, schema.json, summary.html, photos/, consents/) and log it."""
    data = client_data(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("schema.json", SCHEMA.read_text(encoding="utf-8"))
        archive.writestr(
            "summary.html",
            render_to_string("clients/export_summary.html", {"client": client, "data": data}),
        )
        for photo in Photo.objects.filter(client=client):
            with photo.image.open("rb") as image:
                archive.writestr(f"photos/{photo.pk}.webp", image.read())
        if client.photo:
            with client.photo.open("rb") as image:
                archive.writestr("photos/portrait.webp", image.read())
        for signed in _signed_forms(client).exclude(signature=""):
            with signed.signature.open("rb") as image:
                archive.writestr(f"consents/{signed.pk}.png", image.read())
    AccessLog.record(client=client, user=user, action=AccessLog.Action.EXPORTED, where="export")
    return buffer.getvalue()
