"""Writes on a client card that touch several models or files."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from nailpro import privacy
from nailpro.files import delete_files_on_commit
from nailpro.tokens import token_hash

from .models import Client, ConsentEvent, ConsentLink, SignedConsent

LINK_CLOSED = _("This link can no longer be used.")
# Used or expired links are kept this long (the technician sees "signed" / "expired" on the
# card), then deleted.
CONSENT_LINKS_KEPT = ConsentLink.LIFETIME * 2


@transaction.atomic
def consent_record(*, client, kind, given, method, date, user=None, form=None):
    """Add an event to the consent ledger; withdrawing health consent erases health data."""
    event = ConsentEvent(
        account=client.account,
        client=client,
        kind=kind,
        given=given,
        method=method,
        date=date,
        recorded_by=user,
        form=form,
    )
    event.full_clean()
    event.save()
    if kind == ConsentEvent.Kind.HEALTH and not given:
        health_erase(client=client)
    if not given:
        privacy.consent_withdrawn(client, kind)  # e.g. the gallery leaves her photos out
    return event


def consent_form_sign(*, client, text, choices, signature=None, signed_on=None, user=None):
    """Store her consent form and record each of its answers in the consent ledger.

    With a `signature` (a processed PNG, see nailpro.images.process_signature) she signed on
    the phone, today; without one, the technician records a paper form signed on `signed_on`.
    The form's language becomes her language.
    """
    form = SignedConsent(
        account=client.account,
        client=client,
        text=text,
        method=SignedConsent.Method.IN_APP if signature else SignedConsent.Method.PAPER,
        choices={kind: bool(choices[kind]) for kind in ConsentEvent.Kind.values},
        signed_on=timezone.localdate() if signature else signed_on,
        # Whole seconds: the time in the hash reads back the same from every database.
        signed_at=timezone.now().replace(microsecond=0),
        recorded_by=user,
    )
    if signature is not None:
        form.signature_sha256 = hashlib.sha256(signature.read()).hexdigest()
        signature.seek(0)
    form.digest = form.compute_digest()
    form.full_clean(exclude=["signature"])
    try:
        with transaction.atomic():
            if signature is not None:
                form.signature.save("signature.png", signature, save=False)
            form.save()
            for kind, given in form.choices.items():
                consent_record(
                    client=client,
                    kind=kind,
                    given=given,
                    method=form.method,
                    date=form.signed_on,
                    user=user,
                    form=form,
                )
            if client.language != text.language:
                # She read and signed it in this language: that is hers from now on.
                client.language = text.language
                client.save(update_fields=["language", "updated_at"])
    except Exception:
        # The file is written before the rows: if they fail, it must not stay behind.
        if form.signature:
            form.signature.storage.delete(form.signature.name)
        raise
    return form


@transaction.atomic
def consent_link_create(*, client, user=None, language=None):
    """Make the link she signs the form with on her own phone; return (link, secret token).

    The links sent to her before and not used are dropped: only the newest one works."""
    token = secrets.token_urlsafe(32)
    ConsentLink.objects.filter(client=client, used_at__isnull=True).delete()
    now = timezone.now()
    link = ConsentLink.objects.create(
        account=client.account,
        client=client,
        token_hash=token_hash(token),
        language=language or client.spoken_language,
        created_at=now,
        expires_at=now + ConsentLink.LIFETIME,
        created_by=user,
    )
    return link, token


def consent_link_open(token):
    """Return the open link behind `token`, or None (unknown, used or expired alike)."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():  # whoever holds the link is anonymous: no account scope yet
        link = (
            ConsentLink.objects.open()
            .select_related("client", "account")
            .filter(token_hash=token_hash(token))
            .first()
        )
    return link


def consent_link_sign(*, link, text, choices, signature):
    """Sign the form through her link, exactly as on the technician's phone, once."""
    with transaction.atomic():
        locked = ConsentLink.objects.select_for_update().filter(pk=link.pk).first()
        if locked is None or not locked.is_open():
            raise ValidationError(LINK_CLOSED, code="link_closed")
        signed = consent_form_sign(
            client=link.client,
            text=text,
            choices=choices,
            signature=signature,
            user=locked.created_by,
        )
        locked.used_at, locked.signed = timezone.now(), signed
        locked.save(update_fields=["used_at", "signed"])
    return signed


def consent_links_purge():
    """Delete the links used or expired for a while (a maintenance job)."""
    before = timezone.now() - CONSENT_LINKS_KEPT
    ConsentLink.objects.filter(expires_at__lte=before).delete()
    ConsentLink.objects.filter(used_at__lte=before).delete()


def health_erase(*, client):
    """Erase all her health data, wherever it landed: each app erases its own health facts
    (nailpro.privacy): here her health profile and the medical notes of her nails."""
    privacy.erase_client_health(client)


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
    # Each app erases its part, the apps built on top first (nailpro.privacy); then her card.
    privacy.erase_client(client)
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
