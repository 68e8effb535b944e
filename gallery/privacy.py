"""The gallery's part of her data: her photos, with their files, and the appointment requests
she sent from the public page (registered in GalleryConfig.ready())."""

from clients.models import ConsentEvent
from nailpro.privacy import PrivacyEntry

from .models import BookingRequest, Photo


class GalleryPrivacy(PrivacyEntry):
    client_models = ["gallery.Photo", "gallery.BookingRequest"]

    def client_sections(self, client):
        return {
            "appointment_requests": [
                {
                    "name": booking.name,
                    "phone": str(booking.phone),
                    "services": booking.service_names,
                    "postal_code": booking.postal_code,
                    "preferred_times": booking.preferred_times,
                    "message": booking.message,
                    "status": booking.status,
                    "received": booking.created_at.isoformat(),
                }
                for booking in BookingRequest.objects.filter(client=client)
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

    def client_files(self, client):
        for photo in Photo.objects.filter(client=client):
            yield f"photos/{photo.pk}.webp", photo.image

    def consent_withdrawn(self, client, kind):
        if kind == ConsentEvent.Kind.IMAGE_RIGHTS:
            Photo.objects.filter(client=client).update(in_portfolio=False)

    def erase_client(self, client):
        BookingRequest.objects.filter(client=client).delete()
        for photo in Photo.objects.filter(client=client):
            photo.delete()  # one by one: each photo's files go too
