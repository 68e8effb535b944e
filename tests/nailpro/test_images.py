"""Every input is built here with Pillow, so each test shows exactly what it sends."""

import io
import random
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from nailpro.images import (
    MAX_EDGE,
    MAX_UPLOAD_BYTES,
    THUMB_EDGE,
    ImageRejected,
    ProcessedImage,
    process_image,
)

RED, BLUE = (255, 0, 0), (0, 0, 255)
SECRET = "Alice's home, 12 rue des Lilas"


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def encode(image, format, **params):
    buffer = io.BytesIO()
    image.save(buffer, format=format, **params)
    return buffer.getvalue()


def two_colours(width=40, height=20):
    """Return an image red on its left half and blue on its right half."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def noise(size=(200, 200)):
    return Image.frombytes("RGB", size, random.Random(0).randbytes(size[0] * size[1] * 3))


def phone_exif(orientation=1):
    """Return EXIF as a phone writes it: orientation, camera and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "NailPhone"
    exif[ExifTags.Base.ImageDescription] = SECRET
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 21.0, 3.0),
    }
    return exif


def opened(content_file):
    content_file.seek(0)
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


def webp_chunks(content_file):
    """Return the four-letter names of the chunks in a WebP file."""
    content_file.seek(0)
    data = content_file.read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, position = [], 12
    while position < len(data):
        (size,) = struct.unpack("<I", data[position + 4 : position + 8])
        chunks.append(data[position : position + 4].decode("ascii"))
        position += 8 + size + size % 2
    return chunks


def assert_clean_webp(content_file):
    """Assert the file is a WebP carrying pixels only: no EXIF, XMP or ICC profile."""
    assert set(webp_chunks(content_file)) <= {"VP8 ", "VP8L", "VP8X", "ALPH"}
    image = opened(content_file)
    assert image.format == "WEBP"
    assert not image.getexif()
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    content_file.seek(0)
    assert SECRET.encode() not in content_file.read()


def colour_near(pixel, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


def png_declaring(width, height):
    """Return a tiny PNG whose header claims width x height pixels (a decompression bomb)."""
    data = bytearray(encode(Image.new("1", (1, 1)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(data[12:29]))
    return bytes(data)


def assert_rejected(data, code, **upload_args):
    with pytest.raises(ImageRejected) as caught:
        process_image(upload(data, **upload_args))
    assert caught.value.code == code
    return caught.value


def test_it_strips_gps_exif_xmp_and_comments_from_a_jpeg():
    source = encode(
        two_colours(),
        "JPEG",
        exif=phone_exif().tobytes(),
        xmp=f"<x:xmpmeta>{SECRET}</x:xmpmeta>".encode(),
        comment=SECRET.encode(),
    )
    original = Image.open(io.BytesIO(source))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"exif", "xmp", "comment"} <= set(original.info)

    processed = process_image(upload(source))

    assert isinstance(processed, ProcessedImage)
    assert (processed.format, processed.extension) == ("WEBP", "webp")
    assert_clean_webp(processed.image)
    assert_clean_webp(processed.thumbnail)


def test_it_applies_the_exif_orientation():
    """A 40x20 photo whose EXIF says "rotate 90° clockwise" comes out 20x40, left half on top."""
    source = encode(two_colours(), "JPEG", quality=95, exif=phone_exif(orientation=6).tobytes())

    processed = process_image(upload(source))

    image = opened(processed.image)
    assert (processed.width, processed.height) == image.size == (20, 40)
    assert colour_near(image.getpixel((10, 5)), RED)
    assert colour_near(image.getpixel((10, 35)), BLUE)
    assert opened(processed.thumbnail).size == (20, 40)


def test_it_keeps_the_transparency_of_a_png():
    source = Image.new("RGBA", (40, 20), (*RED, 255))
    source.paste((0, 0, 0, 0), (20, 0, 40, 20))

    processed = process_image(upload(encode(source, "PNG"), "nails.png", "image/png"))

    for content_file in (processed.image, processed.thumbnail):
        image = opened(content_file)
        assert image.mode == "RGBA"
        assert image.getpixel((5, 10))[3] == 255
        assert image.getpixel((35, 10))[3] == 0


def test_it_keeps_the_transparency_of_a_palette_png():
    source = Image.new("P", (40, 20), 1)
    source.putpalette([0, 0, 0, *RED])
    source.paste(0, (20, 0, 40, 20))

    processed = process_image(upload(encode(source, "PNG", transparency=0), "nails.png"))

    image = opened(processed.image)
    assert image.mode == "RGBA"
    assert colour_near(image.getpixel((5, 10)), (*RED, 255))
    assert image.getpixel((35, 10))[3] == 0


def test_it_scales_a_16_bit_greyscale_png_instead_of_clipping_it():
    source = Image.new("I;16", (20, 20), 32768)

    processed = process_image(upload(encode(source, "PNG"), "scan.png"))

    image = opened(processed.image)
    assert image.mode == "RGB"
    assert colour_near(image.getpixel((10, 10)), (128, 128, 128), tolerance=8)


def test_it_converts_a_cmyk_jpeg_to_rgb():
    processed = process_image(upload(encode(Image.new("CMYK", (30, 30), (0, 255, 255, 0)), "JPEG")))

    image = opened(processed.image)
    assert image.mode == "RGB"
    assert colour_near(image.getpixel((15, 15)), RED)


def test_it_converts_to_srgb_and_drops_the_icc_profile():
    icc_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = encode(two_colours(), "JPEG", quality=95, icc_profile=icc_profile)
    assert Image.open(io.BytesIO(source)).info["icc_profile"]

    processed = process_image(upload(source))

    assert_clean_webp(processed.image)
    assert colour_near(opened(processed.image).getpixel((5, 10)), RED)


def test_it_keeps_a_photo_whose_icc_profile_is_garbage():
    source = encode(two_colours(), "PNG", icc_profile=b"not a profile at all")

    processed = process_image(upload(source, "photo.png"))

    assert_clean_webp(processed.image)
    assert colour_near(opened(processed.image).getpixel((5, 10)), RED)


def test_it_re_encodes_a_webp():
    processed = process_image(upload(encode(two_colours(), "WEBP"), "nails.webp", "image/webp"))

    assert_clean_webp(processed.image)
    assert opened(processed.image).size == (40, 20)


def test_it_keeps_the_first_frame_of_an_animated_webp():
    frames = [Image.new("RGB", (40, 20), colour) for colour in (RED, BLUE)]
    source = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert Image.open(io.BytesIO(source)).n_frames == 2

    processed = process_image(upload(source, "nails.webp"))

    image = opened(processed.image)
    assert getattr(image, "n_frames", 1) == 1
    assert colour_near(image.getpixel((20, 10)), RED)


def test_it_keeps_the_first_frame_of_an_animated_png():
    frames = [Image.new("RGB", (40, 20), colour) for colour in (RED, BLUE)]
    source = encode(frames[0], "PNG", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(source)).n_frames == 2

    processed = process_image(upload(source, "nails.png"))

    assert colour_near(opened(processed.image).getpixel((20, 10)), RED)


def test_it_reads_a_heic_from_a_phone():
    source = encode(two_colours(), "HEIF", quality=90, exif=phone_exif().tobytes())
    assert Image.open(io.BytesIO(source)).format == "HEIF"

    processed = process_image(upload(source, "IMG_0001.HEIC", "image/heic"))

    assert_clean_webp(processed.image)
    image = opened(processed.image)
    assert image.size == (40, 20)
    assert colour_near(image.getpixel((5, 10)), RED)


def test_it_applies_the_orientation_of_a_heic():
    source = encode(two_colours(), "HEIF", quality=90, exif=phone_exif(orientation=6).tobytes())

    processed = process_image(upload(source, "IMG_0002.HEIC", "image/heic"))

    image = opened(processed.image)
    assert image.size == (20, 40)
    assert colour_near(image.getpixel((10, 5)), RED)
    assert colour_near(image.getpixel((10, 35)), BLUE)


@pytest.mark.parametrize("format", ["JPEG", "PNG"])
@pytest.mark.parametrize(
    ("size", "expected", "expected_thumbnail"),
    [
        ((5000, 3000), (MAX_EDGE, 1229), (THUMB_EDGE, 240)),
        ((3000, 5000), (1229, MAX_EDGE), (240, THUMB_EDGE)),
    ],
)
def test_it_caps_the_long_edge(format, size, expected, expected_thumbnail):
    source = encode(two_colours(*size), format)

    processed = process_image(upload(source, f"big.{format.lower()}"))

    assert (processed.width, processed.height) == expected
    assert opened(processed.image).size == expected
    assert opened(processed.thumbnail).size == expected_thumbnail


def test_it_never_enlarges_a_small_photo():
    processed = process_image(upload(encode(two_colours(100, 50), "JPEG")))

    assert (processed.width, processed.height) == (100, 50)
    assert opened(processed.thumbnail).size == (100, 50)


def test_it_trusts_the_content_not_the_name_or_content_type():
    source = encode(two_colours(), "JPEG")

    processed = process_image(upload(source, "drawing.svg", "image/svg+xml"))

    assert opened(processed.image).size == (40, 20)


def test_it_accepts_a_file_of_exactly_the_size_cap():
    source = encode(two_colours(), "JPEG")
    source += b"\0" * (MAX_UPLOAD_BYTES - len(source))

    processed = process_image(upload(source))

    assert opened(processed.image).size == (40, 20)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
            b'<script>alert("hi")</script><rect width="40" height="20"/></svg>',
            "photo.jpg",
            "image/jpeg",
        ),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "a.svg", "image/svg"),
        (encode(two_colours(), "GIF"), "nails.gif", "image/gif"),
        (
            encode(
                two_colours(),
                "GIF",
                save_all=True,
                append_images=[Image.new("RGB", (40, 20), BLUE)],
            ),
            "nails.gif",
            "image/gif",
        ),
        (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF",
            "photo.jpg",
            "image/jpeg",
        ),
        (encode(two_colours(), "PDF"), "scan.pdf", "application/pdf"),
        (encode(two_colours(), "AVIF"), "photo.avif", "image/avif"),
        (encode(two_colours(), "TIFF"), "photo.tiff", "image/tiff"),
        (encode(two_colours(), "BMP"), "photo.bmp", "image/bmp"),
        (b"Bonjour, ceci n'est pas une photo.", "photo.jpg", "image/jpeg"),
        (random.Random(1).randbytes(10_000), "photo.jpg", "image/jpeg"),
        (b"", "photo.jpg", "image/jpeg"),
    ],
    ids=[
        "svg",
        "svg-with-xml-declaration",
        "gif",
        "animated-gif",
        "minimal-pdf",
        "pillow-pdf",
        "avif",
        "tiff",
        "bmp",
        "text",
        "random-bytes",
        "empty",
    ],
)
def test_it_refuses_what_is_not_an_accepted_photo(data, name, content_type):
    error = assert_rejected(data, "unsupported_format", name=name, content_type=content_type)

    assert "JPEG, PNG, WebP ou HEIC" in error.messages[0]


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_it_refuses_a_truncated_photo(format):
    source = encode(noise(), format)

    assert_rejected(source[: len(source) // 2], "corrupt")


def test_it_refuses_a_file_over_the_size_cap():
    source = encode(two_colours(), "JPEG")
    source += b"\0" * (MAX_UPLOAD_BYTES + 1 - len(source))

    error = assert_rejected(source, "too_large")

    assert "15 Mo" in error.messages[0]


def test_it_refuses_a_png_with_too_many_pixels_before_decoding_them():
    """A real 8000x7000 1-bit PNG is a few kilobytes but 56 million pixels."""
    source = encode(Image.new("1", (8000, 7000)), "PNG", optimize=True)
    assert len(source) < 100_000

    error = assert_rejected(source, "too_many_pixels")

    assert "50 million" in error.messages[0]


def test_it_refuses_a_header_claiming_more_pixels_than_pillow_allows():
    """The header's 20000x20000 trips Pillow's own bomb check, which must not become a 500."""
    assert_rejected(png_declaring(20_000, 20_000), "too_many_pixels")


def test_it_refuses_a_header_pillow_warns_about():
    with pytest.warns(Image.DecompressionBombWarning):
        assert_rejected(png_declaring(10_000, 10_000), "too_many_pixels")


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_it_refuses_a_header_pillow_warns_about_when_warnings_are_errors():
    assert_rejected(png_declaring(10_000, 10_000), "too_many_pixels")


def test_it_refuses_a_header_claiming_pixels_the_file_does_not_hold():
    assert_rejected(png_declaring(2_000, 2_000), "corrupt")
