"""The gallery's part of her data: her photos, with their files (registered in
GalleryConfig.ready())."""

from clients.models import ConsentEvent
from nailpro.privacy import PrivacyEntry

from .models import Photo


class GalleryPrivacy(PrivacyEntry):
    client_models = ["gallery.Photo"]

    def client_sections(self, client):
        return {
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
        for photo in Photo.objects.filter(client=client):
            photo.delete()  # one by one: each photo's files go too
