"""Demo photos for `manage.py seed_demo`: before/after pictures drawn with Pillow for a few
visits, and a portfolio of after photos from clients who gave their image rights."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from catalog.models import Service
from clients.models import ConsentEvent
from clients.services import consent_record
from nailpro.images import process_image
from visits.models import Visit

from .models import BookingRequest, Photo, Portfolio
from .services import photo_add

SKIN = [(241, 194, 167), (224, 172, 138), (198, 134, 99), (141, 85, 54)]
POLISH = [(176, 40, 90), (214, 120, 150), (232, 200, 190), (120, 20, 40), (60, 60, 140)]


def hand(skin, nails, seed):
    """Draw five fingertips seen from above, their nails painted `nails` (None: bare)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (600, 600), (250, 244, 240))
    draw = ImageDraw.Draw(image)
    for finger in range(5):
        x = 40 + finger * 110
        top = 90 + abs(2 - finger) * 45
        draw.rounded_rectangle([x, top, x + 90, 620], radius=45, fill=skin)
        nail = nails or (236, 214, 205)
        draw.rounded_rectangle([x + 18, top + 14, x + 72, top + 110], radius=26, fill=nail)
        if nails and rng.random() < 0.4:  # a little nail art
            draw.ellipse([x + 36, top + 50, x + 54, top + 68], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return SimpleUploadedFile(f"demo-{seed}.jpg", buffer.getvalue())


def seed(account, **options):
    """Photos for the eight latest visits and a portfolio, once."""
    if Photo.objects.filter(account=account).exists():
        return
    visits = list(Visit.objects.filter(account=account).select_related("client")[:8])
    for index, visit in enumerate(visits):
        skin = SKIN[index % len(SKIN)]
        colour = POLISH[index % len(POLISH)]
        photo_add(
            client=visit.client,
            visit=visit,
            kind=Photo.Kind.BEFORE,
            processed=process_image(hand(skin, None, index)),
        )
        after = photo_add(
            client=visit.client,
            visit=visit,
            kind=Photo.Kind.AFTER,
            processed=process_image(hand(skin, colour, index)),
            caption=["Nude rosé", "Framboise brillante", "Baby boomer", "Bordeaux mat"][index % 4],
            tags=[["nude"], ["glitter"], ["baby_boomer"], ["matte"]][index % 4],
        )
        if index % 2 == 0:
            consent_record(
                client=visit.client,
                kind=ConsentEvent.Kind.IMAGE_RIGHTS,
                given=True,
                method=ConsentEvent.Method.IN_APP,
                date=timezone.localdate(),
            )
            after.in_portfolio = True
            after.save(update_fields=["in_portfolio"])
    Portfolio.objects.get_or_create(
        account=account,
        defaults={
            "slug": _free_slug(slugify(account.name)[:50] or "portfolio"),
            "enabled": True,
            "title": account.name,
            "introduction": "Prothésiste ongulaire à domicile. Pose gel, semi-permanent, nail art.",
            "area": "Lyon 1er–9e, Villeurbanne, Caluire-et-Cuire, 69100, 69300",
            "phone": "+33612345678",
            "whatsapp": True,
            "instagram": "lea.ongles.lyon",
        },
    )
    gel = Service.objects.filter(account=account, public=True).first()
    BookingRequest.objects.get_or_create(
        account=account,
        name="Inès Moreau",
        defaults={
            "phone": "+33611223344",
            "services": [{"id": str(gel.pk), "name": gel.name}] if gel else [],
            "postal_code": "69003",
            "preferred_times": "Mardi ou jeudi après 18 h",
            "message": "Bonjour, une première pose gel à domicile, possible ?",
            "language": "fr",
        },
    )


def _free_slug(slug):
    taken = set(Portfolio.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    number, candidate = 1, slug
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
