"""Check, clean and re-encode uploaded photos (client photos now, the gallery later).

`process_image()` is the only way an uploaded picture becomes something we store (ARCHITECTURE.md,
rule 5). Pillow identifies the content, never the file name or content type, and only JPEG, PNG,
WebP and HEIC/HEIF are opened. A byte cap and a pixel-count cap are checked before any pixel is
decoded. The EXIF orientation is applied, the colours are converted to sRGB, and the picture is
re-encoded as WebP (long edge at most `MAX_EDGE`) with a thumbnail (`THUMB_EDGE`). Nothing from
the original file survives but the pixels: no EXIF (GPS included), XMP, IPTC, comments or ICC
profile. Anything refused raises `ImageRejected`, a `ValidationError` with a translated message.

`check_batch()` bounds the work of one request before any photo is decoded: at most
`MAX_PHOTOS_PER_UPLOAD` photos, and at most `MAX_PIXELS_PER_REQUEST` pixels to decode in all,
read from each file's header (Pillow's `Image.open()` is lazy). A JPEG counts the pixels libjpeg
will really decode once draft() has scaled it down, so twenty phone photos pass while a hundred
7000×7000 PNGs (4.8 MB, five billion pixels) are refused in milliseconds.

`process_signature()` does the same for a signature drawn on the consent form: a PNG data URL,
opened by Pillow, capped, refused when blank, re-encoded.
"""

import base64
import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without Little CMS: colours are then left as they are.
    ImageCms = None

logger = logging.getLogger(__name__)


@cache
def _heif_opener():
    """HEIC support, registered on the first upload: pillow-heif weighs ~11 MB in memory, which
    every web worker would carry for pages that never see a picture."""
    import pillow_heif

    pillow_heif.register_heif_opener()


MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_EDGE = 2048
# One request's work: 250 million decoded pixels take ~5 s on one core, well inside gunicorn's
# timeout (gunicorn.conf.py); twenty photos are more than one visit's before/after set.
MAX_PHOTOS_PER_UPLOAD = 20
MAX_PIXELS_PER_REQUEST = 250_000_000
THUMB_EDGE = 400
WEBP_QUALITY = 82

# Names of Pillow plugins, not file extensions: HEIC and HEIF files both report "HEIF" (through
# pillow-heif). AVIF is not accepted: pillow-heif's opener leaves it to Pillow's own AVIF plugin,
# which is not in this list.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")

NOT_A_PHOTO = _("This file is not a photo NailPro accepts. Send a JPEG, PNG, WebP or HEIC image.")
UNREADABLE = _(
    "This photo could not be read: the file is damaged or incomplete. Try sending it again."
)
TOO_LARGE = _("This photo is larger than %(limit)s MB. Send a smaller one.")
TOO_MANY_PIXELS = _("This photo has more than %(limit)s million pixels. Send a smaller one.")

TOO_MANY_PHOTOS = _("%(limit)s photos at most at once: send the others in a second upload.")
TOO_MANY_PIXELS_AT_ONCE = _(
    "These photos are too large to add all at once (more than %(limit)s million pixels): send "
    "them in several smaller uploads."
)

_SRGB = ImageCms.createProfile("sRGB") if ImageCms else None


class ImageRejected(ValidationError):
    """An upload refused as a photo, with a message for the person who sent it."""

    def __init__(self, message, code, params=None):
        super().__init__(message, code=code, params=params)


@dataclass(frozen=True)
class ProcessedImage:
    """A photo ready to store: the re-encoded image, its thumbnail and the image's size."""

    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    format: str = "WEBP"
    extension: str = "webp"


def process_image(uploaded_file) -> ProcessedImage:
    """Return the upload re-encoded as a metadata-free WebP photo and thumbnail."""
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ImageRejected(TOO_LARGE, "too_large", {"limit": MAX_UPLOAD_BYTES // 1024**2})
    image = _decode(uploaded_file)
    icc_profile = image.info.get("icc_profile")
    image = _working_mode(image)
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    image = _to_srgb(image, icc_profile)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        image=_encode(image, "image"),
        thumbnail=_encode(thumbnail, "thumbnail"),
        width=image.width,
        height=image.height,
    )


def check_batch(uploaded_files):
    """Refuse, before decoding anything, an upload past the per-request caps.

    Only headers are read. A file Pillow cannot identify counts for nothing here:
    process_image() refuses it on its own, with its name.
    """
    if len(uploaded_files) > MAX_PHOTOS_PER_UPLOAD:
        raise ImageRejected(TOO_MANY_PHOTOS, "too_many_photos", {"limit": MAX_PHOTOS_PER_UPLOAD})
    total = 0
    for uploaded_file in uploaded_files:
        total += _pixels_to_decode(uploaded_file)
        if total > MAX_PIXELS_PER_REQUEST:
            raise ImageRejected(
                TOO_MANY_PIXELS_AT_ONCE,
                "too_many_pixels_at_once",
                {"limit": MAX_PIXELS_PER_REQUEST // 1_000_000},
            )


def _pixels_to_decode(uploaded_file):
    """Return how many pixels decoding this file will produce, from its header alone."""
    if getattr(uploaded_file, "size", 0) > MAX_UPLOAD_BYTES:
        return 0  # refused by its own byte cap, undecoded
    try:
        with _open(uploaded_file) as probe:
            probe.draft(None, _fitted(probe.size, MAX_EDGE))  # a no-op but for JPEG
            width, height = probe.size
    except Exception:  # unreadable: process_image() says so, file by file
        return 0
    finally:
        uploaded_file.seek(0)
    return width * height


def _decode(uploaded_file):
    """Return the upload's pixels, upright, or raise ImageRejected."""
    with _refusing_bad_content(), _open(uploaded_file) as probe:
        width, height = probe.size
        probe.verify()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
    with _refusing_bad_content():
        # Animated WebP/PNG and HEIC files holding several pictures are reduced to the frame
        # Pillow opens on (a HEIC's primary picture): a record needs a still, and refusing them
        # would refuse some phones' ordinary photos.
        image = _open(uploaded_file)
        # libjpeg can decode at 1/2 to 1/8 scale: a 48 MP JPEG then never sits in memory at
        # full size when all we keep is 2048 px. Other formats ignore draft().
        image.draft(None, _fitted(image.size, MAX_EDGE))
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    return image


def _open(uploaded_file):
    _heif_opener()
    uploaded_file.seek(0)
    return Image.open(uploaded_file, formats=ACCEPTED_FORMATS)


@contextmanager
def _refusing_bad_content():
    """Turn whatever Pillow raises on a hostile or damaged file into an ImageRejected."""
    try:
        yield
    except Image.UnidentifiedImageError as error:
        raise ImageRejected(NOT_A_PHOTO, "unsupported_format") from error
    # Pillow's own bomb check fires above ~89 MP (an error above twice that): both are past our
    # cap. The warning only arrives here as an exception when warnings are errors; otherwise our
    # cap refuses the image right after. warnings.catch_warnings() is avoided: not thread-safe.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    # Pillow's parsers report bad input with whatever the failing line raises (OSError,
    # SyntaxError, ValueError, EOFError, struct.error, IndexError...), and no input may be a 500.
    except Exception as error:
        logger.info("Photo refused as unreadable", exc_info=True)
        raise ImageRejected(UNREADABLE, "corrupt") from error


def _too_many_pixels():
    return ImageRejected(TOO_MANY_PIXELS, "too_many_pixels", {"limit": MAX_PIXELS // 1_000_000})


def _fitted(size, edge):
    """Return size scaled down so that its long edge is at most edge (never up)."""
    width, height = size
    scale = min(1, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _working_mode(image):
    """Return the image in a mode that resizing, the ICC conversion and WebP all handle."""
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG: a plain convert() would clip everything above 255 to white.
        return image.point(lambda value: value / 256).convert("L")
    if image.mode in ("RGB", "RGBA", "L", "CMYK") and "transparency" not in image.info:
        # L and CMYK stay as they are until the ICC conversion, which needs their own channels.
        return image
    if image.has_transparency_data:
        return image.convert("RGBA")
    return image.convert("RGB")


def _to_srgb(image, icc_profile):
    """Return the image converted from its ICC profile to sRGB."""
    # The output carries no profile, so viewers read it as sRGB: an iPhone's Display P3 photo
    # would look dull if its colours were not converted first.
    if not icc_profile or ImageCms is None:
        return image
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A profile Little CMS cannot read, or one for another colour space than the pixels:
        # dropping it shifts the colours a little, refusing the photo would be worse.
        return image


def _encode(image, name):
    buffer = io.BytesIO()
    # Pillow's WebP encoder writes only the metadata passed to save(); emptying info keeps it so
    # should a release fall back to info, as the PNG encoder does.
    image.info = {}
    image.save(buffer, format="WEBP", quality=WEBP_QUALITY)
    return ContentFile(buffer.getvalue(), name=f"{name}.webp")


# Signatures drawn on the consent form's canvas: a PNG data URL, a few kilobytes in practice.
SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_BYTES = 1024 * 1024
SIGNATURE_MAX_EDGE = 2048
# One request's work: 250 million decoded pixels take ~5 s on one core, well inside gunicorn's
# timeout (gunicorn.conf.py); twenty photos are more than one visit's before/after set.
MAX_PHOTOS_PER_UPLOAD = 20
MAX_PIXELS_PER_REQUEST = 250_000_000
# Fewer inked pixels in each direction than this is a tap, not a signature.
SIGNATURE_MIN_EXTENT = 10

SIGNATURE_MISSING = _("The signature box is empty: sign in the box with a finger or the mouse.")
SIGNATURE_UNREADABLE = _("The signature could not be read. Clear the box and sign again.")
SIGNATURE_TOO_LARGE = _("The signature is too large. Clear the box and sign again.")


def process_signature(data_url) -> ContentFile:
    """Return a drawn signature (a PNG data URL) checked by Pillow and re-encoded as PNG.

    Raise ImageRejected when it is missing, blank, not a PNG or larger than the caps.
    """
    data_url = (data_url or "").strip()
    if not data_url:
        raise ImageRejected(SIGNATURE_MISSING, "missing")
    if not data_url.startswith(SIGNATURE_PREFIX):
        raise ImageRejected(SIGNATURE_UNREADABLE, "not_png")
    encoded = data_url.removeprefix(SIGNATURE_PREFIX)
    if len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise ImageRejected(SIGNATURE_TOO_LARGE, "too_large")
    try:
        raw = base64.b64decode(encoded, validate=True)
        with Image.open(io.BytesIO(raw), formats=["PNG"]) as probe:
            if max(probe.size) > SIGNATURE_MAX_EDGE:
                raise ImageRejected(SIGNATURE_TOO_LARGE, "too_large")
            probe.verify()
        image = Image.open(io.BytesIO(raw), formats=["PNG"])
        image.load()
        image = image.convert("RGBA")
    except ImageRejected:
        raise
    # Whatever a damaged or hostile file makes Pillow (or base64) raise, it is no 500.
    except Exception as error:
        logger.info("Signature refused as unreadable", exc_info=True)
        raise ImageRejected(SIGNATURE_UNREADABLE, "corrupt") from error
    if _is_blank(image):
        raise ImageRejected(SIGNATURE_MISSING, "blank")
    buffer = io.BytesIO()
    image.info = {}
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="signature.png")


def _is_blank(image):
    """Return whether an RGBA image holds no stroke: only transparent or near-white pixels."""
    on_white = Image.new("RGBA", image.size, "white")
    on_white.alpha_composite(image)
    ink = on_white.convert("L").point(lambda value: 255 if value < 200 else 0)
    box = ink.getbbox()
    if box is None:
        return True
    left, top, right, bottom = box
    return max(right - left, bottom - top) < SIGNATURE_MIN_EXTENT
