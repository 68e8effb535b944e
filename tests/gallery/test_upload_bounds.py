"""Issue 14: one upload request does bounded work. Photos are counted, and their pixels summed
from the files' headers, before any is decoded (nailpro.images.check_batch)."""

import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image

from gallery.models import Photo
from nailpro.images import MAX_PHOTOS_PER_UPLOAD, MAX_PIXELS_PER_REQUEST
from tests.bounds import measured
from tests.errors import error_codes
from tests.factories import ClientFactory, image_bytes

pytestmark = pytest.mark.django_db

MEMORY_BOUND_MB = 300


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé")


@functools.cache
def huge_png():
    """A real 7000×7000 PNG of one colour: 49 million pixels in ~48 KB."""
    image = Image.new("L", (7000, 7000), 200)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=9)
    return buffer.getvalue()


def post_photos(http, client, files, **fields):
    data = {"client": client.pk, "kind": "after", **fields}
    data["photos"] = [SimpleUploadedFile(name, content) for name, content in files]
    return http.post("/gallery/upload/", data)


def assert_refused_whole(response, code, media_root):
    assert response.status_code == 200
    assert error_codes(response, "photos") == [code]
    assert 'value="gardée"' in response.content.decode()  # what she typed is kept
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True
    with scopes_disabled():
        assert not Photo.objects.exists()


def test_a_hundred_photos_of_7000_by_7000_are_refused_before_decoding(
    alice_client, zoe, media_root
):
    data = huge_png()
    files = [(f"big{n}.png", data) for n in range(100)]
    print(f"\n[attack] 100 PNGs of 7000×7000: {len(data) * 100 / 1e6:.1f} MB in all")
    with measured("100 photos of 7000×7000 in one upload") as cost:
        response = post_photos(alice_client, zoe, files, caption="gardée")
    assert_refused_whole(response, "too_many_photos", media_root)
    assert cost.added_rss_mb < MEMORY_BOUND_MB


def test_six_photos_of_7000_by_7000_pass_the_count_but_not_the_pixels(
    alice_client, zoe, media_root
):
    files = [(f"big{n}.png", huge_png()) for n in range(6)]  # 294 million pixels
    assert MAX_PIXELS_PER_REQUEST < 6 * 7000 * 7000
    with measured("6 photos of 7000×7000 (294 MP) in one upload") as cost:
        response = post_photos(alice_client, zoe, files, caption="gardée")
    assert_refused_whole(response, "too_many_pixels_at_once", media_root)
    assert cost.added_rss_mb < MEMORY_BOUND_MB


def test_twenty_photos_at_once_are_welcome_one_more_is_refused(alice_client, zoe, media_root):
    small = image_bytes("JPEG", size=(64, 48))
    response = post_photos(
        alice_client,
        zoe,
        [(f"p{n}.jpg", small) for n in range(MAX_PHOTOS_PER_UPLOAD + 1)],
        caption="gardée",
    )
    assert_refused_whole(response, "too_many_photos", media_root)
    response = post_photos(
        alice_client, zoe, [(f"p{n}.jpg", small) for n in range(MAX_PHOTOS_PER_UPLOAD)]
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Photo.objects.count() == MAX_PHOTOS_PER_UPLOAD


def test_a_big_phone_jpeg_counts_the_pixels_it_decodes_at_reduced_scale(alice_client, zoe):
    """Six 48 MP phone JPEGs (288 MP in their headers) decode at 1/2 scale: they pass."""
    image = Image.new("RGB", (8000, 6000), (180, 90, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=60)
    del image
    files = [(f"iphone{n}.jpg", buffer.getvalue()) for n in range(6)]
    assert MAX_PIXELS_PER_REQUEST < 6 * 8000 * 6000
    with measured("6 phone JPEGs of 48 MP, accepted") as cost:
        response = post_photos(alice_client, zoe, files)
    assert response.status_code == 302
    with scopes_disabled():
        assert Photo.objects.count() == 6
    # No memory bound asserted: building the 48 MP picture above already raised this process's
    # resident set, which the figure printed includes. Decoding is at 1/2 scale (draft).
    assert cost.seconds >= 0


def test_a_file_that_is_not_a_photo_is_still_named_in_a_batch(alice_client, zoe):
    response = post_photos(
        alice_client, zoe, [("good.jpg", image_bytes("JPEG")), ("bad.jpg", b"not an image")]
    )
    assert error_codes(response, "photos") == ["unsupported_format"]
