"""Writes on a client card that touch several models or files."""

from django.db import transaction

from nailpro.files import delete_files_on_commit

from .models import Client, ConsentEvent, HealthProfile, NailState


@transaction.atomic
def consent_record(*, client, kind, given, method, date, user=None):
    """Add an event to the consent ledger; withdrawing health consent erases health data."""
    event = ConsentEvent(
        account=client.account,
        client=client,
        kind=kind,
        given=given,
        method=method,
        date=date,
        recorded_by=user,
    )
    event.full_clean()
    event.save()
    if kind == ConsentEvent.Kind.HEALTH and not given:
        health_erase(client=client)
    photos = getattr(client, "photos", None)  # the gallery, built on top of clients
    if kind == ConsentEvent.Kind.IMAGE_RIGHTS and not given and photos is not None:
        photos.update(in_portfolio=False)
    return event


def health_erase(*, client):
    """Erase all her health data: the health profile and the medical notes of her nails."""
    health = HealthProfile.objects.filter(client=client).first()
    if health is not None:
        health.erase()
    NailState.objects.filter(client=client, condition__in=NailState.MEDICAL_CONDITIONS).update(
        condition=""
    )


def client_set_photo(*, client, processed):
    """Store a processed photo and its thumbnail, replacing (and deleting) the previous ones."""
    old_files = [f.name for f in (client.photo, client.photo_thumbnail) if f]
    client.photo.save(f"photo.{processed.extension}", processed.image, save=False)
    client.photo_thumbnail.save(f"thumb.{processed.extension}", processed.thumbnail, save=False)
    client.save(update_fields=["photo", "photo_thumbnail", "updated_at"])
    delete_files_on_commit(client.photo.storage, old_files)


def client_remove_photo(*, client):
    old_files = [f.name for f in (client.photo, client.photo_thumbnail) if f]
    client.photo = client.photo_thumbnail = ""
    client.save(update_fields=["photo", "photo_thumbnail", "updated_at"])
    delete_files_on_commit(Client._meta.get_field("photo").storage, old_files)


def client_delete(*, client):
    """Delete a client, everything that hangs on her, and her stored files."""
    names = [f.name for f in (client.photo, client.photo_thumbnail) if f]
    storage = Client._meta.get_field("photo").storage
    with transaction.atomic():
        client.delete()
        delete_files_on_commit(storage, names)


ERASED_NAME = "—"


@transaction.atomic
def client_erase(*, client):
    """Erase a client (GDPR Art. 17) while keeping the anonymised accounting lines that French
    bookkeeping requires: each visit's date, services, amount and payment method stay, tied
    to a nameless record; everything personal goes, her files included."""
    names = [f.name for f in (client.photo, client.photo_thumbnail) if f]
    storage = Client._meta.get_field("photo").storage
    for relation in (
        "photos",
        "appointments",
        "reactions",
        "gifts",
        "consent_events",
        "nails",
        "access_logs",
    ):
        manager = getattr(client, relation, None)  # some live in apps built on top of clients
        if manager is not None:
            for item in manager.all():
                item.delete()  # one by one, so that each photo's files are removed too
    HealthProfile.objects.filter(client=client).delete()
    visits = getattr(client, "visits", None)
    if visits is not None:
        visits.update(technique_notes="", chart_snapshot={}, allergy_warning="")
        for visit in visits.all():
            visit.products.update(batch_number="")
    for field in Client._meta.concrete_fields:
        if field.name in ("id", "account", "created_at", "updated_at"):
            continue
        if field.null:
            setattr(client, field.attname, None)
        elif field.get_internal_type() == "BooleanField":
            setattr(client, field.attname, False)
        elif field.has_default():
            setattr(client, field.attname, field.get_default())
        else:
            setattr(client, field.attname, "")
    client.first_name = ERASED_NAME
    client.save()
    delete_files_on_commit(storage, names)
