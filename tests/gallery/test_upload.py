"""Uploading photos: crafted files accepted or refused, nothing left behind, nothing leaked."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image

from gallery.models import Photo
from tests.factories import ClientFactory, PhotoFactory, VisitFactory, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé")


def stored(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def upload(http, client, *files, **fields):
    data = {"client": client.pk, "kind": "after", **fields}
    data["photos"] = [SimpleUploadedFile(name, content) for name, content in files]
    return http.post("/gallery/upload/", data)


def jpeg_with_gps_and_rotation():
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    image.paste((30, 30, 200), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010E] = "SECRET-DESCRIPTION"
    gps = exif.get_ifd(0x8825)
    gps[2] = (48.0, 51.0, 29.0)
    gps[1] = "N"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header claims a huge size (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


def saved_image(media_root):
    photo_files = [p for p in stored(media_root) if p.stat().st_size]
    return [Image.open(p) for p in photo_files]


def test_a_jpeg_loses_its_gps_and_is_turned_upright(alice_client, zoe, media_root):
    response = upload(alice_client, zoe, ("IMG_0001.jpg", jpeg_with_gps_and_rotation()))
    assert response.status_code == 302
    with scopes_disabled():
        photo = Photo.objects.get()
    assert (photo.width, photo.height) == (20, 40)
    raw = open(media_root / photo.image.name, "rb").read()  # noqa: SIM115
    assert b"SECRET-DESCRIPTION" not in raw
    assert Image.open(io.BytesIO(raw)).getexif() == {}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("iphone.heic", None),
        ("transparent.png", "png-alpha"),
        ("script.png", "png-script"),
        ("../../x.jpg", "jpeg"),
    ],
)
def test_accepted_formats_are_stored_clean_under_generated_names(
    alice_client, zoe, media_root, name, content
):
    if content is None:
        import pillow_heif

        buffer = io.BytesIO()
        pillow_heif.from_pillow(Image.new("RGB", (64, 48), (90, 20, 60))).save(buffer, quality=80)
        data = buffer.getvalue()
    elif content == "png-alpha":
        buffer = io.BytesIO()
        Image.new("RGBA", (30, 30), (255, 0, 0, 0)).save(buffer, format="PNG")
        data = buffer.getvalue()
    elif content == "png-script":
        data = image_bytes("PNG") + b"<script>alert(document.cookie)</script>"
    else:
        data = image_bytes("JPEG")
    assert upload(alice_client, zoe, (name, data)).status_code == 302
    files = stored(media_root)
    assert len(files) == 2
    for path in files:
        assert path.suffix == ".webp"
        assert b"<script" not in path.read_bytes()
        assert ".." not in str(path.relative_to(media_root))
        assert "x.jpg" not in path.name


def tiff():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="TIFF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.jpg", tiff()),
        ("layers.jpg", b"8BPS\x00\x01" + b"\x00" * 40),
        ("vector.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"),
        ("invoice.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("big.jpg", b"\xff\xd8\xff" + b"0" * (16 * 1024 * 1024)),
        ("bomb.png", png_declaring(30000, 30000)),
        ("empty.jpg", b""),
        ("cut.jpg", image_bytes("JPEG", size=(300, 300))[:400]),
        ("anim.gif", image_bytes("GIF")),
    ],
)
def test_refused_files_are_explained_and_leave_nothing(alice_client, zoe, media_root, name, data):
    response = upload(alice_client, zoe, (name, data), caption="gardée")
    assert response.status_code == 200
    assert response.context["form"].errors["photos"]
    assert 'value="gardée"' in response.content.decode()
    assert stored(media_root) == []
    with scopes_disabled():
        assert not Photo.objects.exists()


def test_one_bad_file_among_several_saves_none_and_names_it(alice_client, zoe, media_root):
    response = upload(
        alice_client, zoe, ("good.jpg", image_bytes("JPEG")), ("bad.jpg", b"not an image")
    )
    assert "bad.jpg" in response.content.decode()
    assert stored(media_root) == []


def test_several_photos_at_once_for_a_visit(alice_client, zoe, media_root):
    with scopes_disabled():
        visit = VisitFactory(client=zoe)
    response = upload(
        alice_client,
        zoe,
        ("1.jpg", image_bytes("JPEG")),
        ("2.png", image_bytes("PNG")),
        visit=visit.pk,
        kind="before",
        tags=["chrome", "french"],
    )
    assert response.headers["Location"] == f"/visits/{visit.pk}/"
    with scopes_disabled():
        photos = list(Photo.objects.all())
    assert len(photos) == 2
    assert all(
        p.visit == visit and p.kind == "before" and p.tag_list == ["chrome", "french"]
        for p in photos
    )


def test_a_visit_of_another_client_is_refused(alice, alice_client, zoe):
    with scopes_disabled():
        other_visit = VisitFactory(client=ClientFactory(account=alice.account))
    response = upload(alice_client, zoe, ("1.jpg", image_bytes("JPEG")), visit=other_visit.pk)
    assert response.context["form"].errors["visit"]


def test_another_account_s_client_cannot_receive_photos(alice_client, bob, media_root):
    with scopes_disabled():
        stranger = ClientFactory(account=bob.account)
    response = upload(alice_client, stranger, ("1.jpg", image_bytes("JPEG")))
    assert response.context["form"].errors["client"]
    assert stored(media_root) == []


def test_images_are_served_privately(alice_client, client, bob, zoe):
    with scopes_disabled():
        photo = PhotoFactory(client=zoe)
    response = alice_client.get(f"/gallery/{photo.pk}/image/")
    assert response["Content-Type"] == "image/webp"
    assert "private" in response["Cache-Control"]
    client.force_login(bob)
    assert client.get(f"/gallery/{photo.pk}/image/").status_code == 404
    assert client.get(f"/gallery/{photo.pk}/thumbnail/").status_code == 404


@pytest.mark.parametrize("what", ["photo", "visit", "client"])
def test_deleting_a_photo_a_visit_or_a_client_deletes_the_files(
    alice_client, zoe, media_root, django_capture_on_commit_callbacks, what
):
    with scopes_disabled():
        visit = VisitFactory(client=zoe)
        photo = PhotoFactory(client=zoe, visit=visit)
    assert len(stored(media_root)) == 2
    url = {
        "photo": f"/gallery/{photo.pk}/delete/",
        "visit": f"/visits/{visit.pk}/delete/",
        "client": f"/clients/{zoe.pk}/delete/",
    }[what]
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(url).status_code == 302
    assert stored(media_root) == []


def test_the_gallery_filters_by_client_kind_and_tag(alice, alice_client, zoe):
    with scopes_disabled():
        other = ClientFactory(account=alice.account)
        PhotoFactory(client=zoe, kind="before", tags=["chrome"])
        PhotoFactory(client=zoe, kind="after", tags=["french"])
        PhotoFactory(client=other, kind="inspiration")

    def count(**params):
        return len(alice_client.get("/gallery/", params).context["page"].object_list)

    assert count() == 3
    assert count(client=zoe.pk) == 2
    assert count(kind="before") == 1
    assert count(tag="french") == 1
    assert count(tag="ombre") == 0
    page = alice_client.get("/gallery/").content.decode()
    assert page.count('loading="lazy"') == 3


def test_the_visit_page_shows_before_and_after_side_by_side(alice_client, zoe):
    with scopes_disabled():
        visit = VisitFactory(client=zoe)
        before = PhotoFactory(client=zoe, visit=visit, kind="before")
        after = PhotoFactory(client=zoe, visit=visit, kind="after")
    response = alice_client.get(f"/visits/{visit.pk}/")
    assert (response.context["before"], response.context["after"]) == (before, after)
    assert 'class="compare"' in response.content.decode()
    card = alice_client.get(f"/clients/{zoe.pk}/").content.decode()
    assert f"/gallery/{after.pk}/thumbnail/" in card


def test_private_images_are_kept_by_no_cache(alice_client, zoe):
    """On a shared phone, her photos must not outlive her logout in the browser's cache."""
    with scopes_disabled():
        photo = PhotoFactory(client=zoe)
    for url in (f"/gallery/{photo.pk}/thumbnail/", f"/gallery/{photo.pk}/image/"):
        assert set(alice_client.get(url)["Cache-Control"].split(", ")) == {"private", "no-store"}
