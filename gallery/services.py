"""Adding and removing photos, files included."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from nailpro.files import delete_files_on_commit

from .models import Photo


def photo_add(*, client, processed, kind, visit=None, caption="", tags=()):
    """Store one processed photo (see nailpro.images) for a client, and a visit if given."""
    photo = Photo(
        account=client.account,
        client=client,
        visit=visit,
        kind=kind,
        caption=caption,
        width=processed.width,
        height=processed.height,
    )
    photo.set_tags(tags)
    photo.full_clean(exclude=["image", "thumbnail"])
    photo.image.save(f"photo.{processed.extension}", processed.image, save=False)
    photo.thumbnail.save(f"thumb.{processed.extension}", processed.thumbnail, save=False)
    try:
        photo.save()
    except Exception:
        # Files are written before the row: if the row fails, they must not stay behind.
        for stored in photo.stored_files():
            stored.storage.delete(stored.name)
        raise
    return photo


@receiver(post_delete, sender=Photo, dispatch_uid="gallery_delete_files")
def delete_files(sender, instance, **kwargs):
    """Delete a photo's files once its row is gone, however it went: photo, visit or client."""
    delete_files_on_commit(instance.image.storage, [f.name for f in instance.stored_files()])
