"""Writes on a client card that touch several models or files."""

from django.db import transaction

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
    _delete_files_on_commit(client.photo.storage, old_files)


def client_remove_photo(*, client):
    old_files = [f.name for f in (client.photo, client.photo_thumbnail) if f]
    client.photo = client.photo_thumbnail = ""
    client.save(update_fields=["photo", "photo_thumbnail", "updated_at"])
    _delete_files_on_commit(Client._meta.get_field("photo").storage, old_files)


def client_delete(*, client):
    """Delete a client, everything that hangs on her, and her stored files."""
    names = [f.name for f in (client.photo, client.photo_thumbnail) if f]
    storage = Client._meta.get_field("photo").storage
    with transaction.atomic():
        client.delete()
        _delete_files_on_commit(storage, names)


def _delete_files_on_commit(storage, names):
    def delete():
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)
