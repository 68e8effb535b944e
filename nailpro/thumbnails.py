"""What a grid of photo thumbnails (templates/gallery/photo_grid.html) writes of each photo,
made once for the page rather than by template tags on every photo: the client card, the
gallery and a visit show their photos through it."""

from .links import page_urls


def for_grid(photos):
    """Give each photo its `url`, `thumb_url`, `kind_label`, `alt` and thumbnail size as text
    (`thumb_w`, `thumb_h`: a template would format the numbers for the language)."""
    photos = list(photos)
    if not photos:
        return photos
    detail, thumbnail = page_urls("gallery:detail"), page_urls("gallery:thumbnail")
    kinds = dict(type(photos[0]).Kind.choices)  # translated once, not on every photo
    for photo in photos:
        photo.url = detail(photo.pk)
        photo.thumb_url = thumbnail(photo.pk)
        photo.kind_label = kinds.get(photo.kind, photo.kind)
        photo.alt = photo.caption or photo.kind_label
        photo.thumb_w, photo.thumb_h = str(photo.thumb_width), str(photo.thumb_height)
    return photos
