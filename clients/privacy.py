"""The client card's part of her data: who she is, her consents and signed forms, her health,
her hand chart, her gifts, and the access log (registered in ClientsConfig.ready())."""

from nailpro.files import delete_files_on_commit
from nailpro.privacy import PrivacyEntry

from .models import (
    AccessLog,
    Client,
    ConsentEvent,
    ConsentLink,
    Gift,
    HealthProfile,
    ListExport,
    NailState,
    SignedConsent,
    month_day_text,
)


def _month_day(client):
    """Her birthday as "--MM-DD" when only the day and month are known, else None."""
    if client.birth_date or not client.birthday:
        return None
    return month_day_text(client.birthday)


def _date(value):
    return value.isoformat() if value else None


def signed_forms(client):
    return SignedConsent.objects.filter(client=client).select_related("text")


def _forget_list_exports(account_id, **only):
    """Delete the account's built client lists (clients.list_export), files included."""
    exports = ListExport._base_manager.filter(account_id=account_id, **only)
    names = [name for name in exports.values_list("file", flat=True) if name]
    exports.delete()
    delete_files_on_commit(ListExport._meta.get_field("file").storage, names)


class ClientsPrivacy(PrivacyEntry):
    client_models = [
        "clients.Client",  # referred_by: the client who sent her
        "clients.ConsentEvent",
        "clients.SignedConsent",
        "clients.HealthProfile",
        "clients.NailState",
        "clients.Gift",
        "clients.AccessLog",
        "clients.ConsentLink",  # the links sent to her to sign the form: no data of hers
    ]

    def client_sections(self, client):
        health = HealthProfile.objects.filter(client=client).first()
        return {
            "identity": {
                "first_name": client.first_name,
                "last_name": client.last_name,
                "patronymic": client.patronymic,
                "language": client.language,
                "phone": str(client.phone or ""),
                "second_phone": str(client.phone2 or ""),
                "email": client.email,
                "reminders_by": client.reminder_channel,
                "birth_date": _date(client.birth_date),
                "birthday": _month_day(client),
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
                for signed in signed_forms(client)
            ],
            "health": None
            if health is None
            else {
                "allergens": [allergen.code for allergen in health.allergen_list()],
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
            "gifts": [
                {
                    "occasion": gift.occasion,
                    "description": gift.description,
                    "date": _date(gift.given_on),
                    "value": str(gift.value) if gift.value is not None else None,
                }
                for gift in client.gifts.all()
            ],
        }

    def client_files(self, client):
        if client.photo:
            yield "photos/portrait.webp", client.photo
        for signed in signed_forms(client).exclude(signature=""):
            yield f"consents/{signed.pk}.png", signed.signature

    def health_data_shown(self, request, clients):
        """Record, in one write, that a page showed the health data of these clients."""
        entries = [
            AccessLog(
                account_id=client.account_id,
                client=client,
                user=request.user,
                action=AccessLog.Action.HEALTH_VIEWED,
                where=request.path[:200],
            )
            for client in clients
        ]
        if len(entries) == 1:  # one client's page: one INSERT, no transaction around it
            entries[0].save(force_insert=True)
        else:
            AccessLog.objects.bulk_create(entries)

    def erase_client(self, client):
        _forget_list_exports(client.account_id)  # built lists hold her: built again on demand
        # One by one, so each signature's file goes too; the ledger before the forms it names.
        for model in (Gift, ConsentLink, ConsentEvent, SignedConsent, NailState, AccessLog):
            for item in model.objects.filter(client=client):
                item.delete()
        HealthProfile.objects.filter(client=client).delete()
        # Her identity is blanked by clients.services.client_erase, once every app is done.

    def erase_client_health(self, client):
        _forget_list_exports(client.account_id, with_health=True)
        health = HealthProfile.objects.filter(client=client).first()
        if health is not None:
            health.erase()
        # The conditions are encrypted: the medical ones are found in Python.
        for nail in NailState.objects.filter(client=client):
            if nail.condition in NailState.MEDICAL_CONDITIONS:
                nail.condition = ""
                nail.save(update_fields=["condition", "updated_at"])

    def account_models(self):
        # A built client list inside the account's export would only repeat its clients.
        return [model for model in super().account_models() if model is not ListExport]

    def erase_account(self, account):
        # Clients first: what hangs on them (visits, photos…) goes with them, before the
        # catalog rows that their visits point to with PROTECT.
        Client.objects.filter(account=account).delete()
