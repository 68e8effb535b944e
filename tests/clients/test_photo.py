import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image

from nailpro.images import MAX_UPLOAD_BYTES
from tests.factories import ClientFactory, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé")


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def upload(client_http, zoe, name, data, content_type="image/jpeg"):
    photo = SimpleUploadedFile(name, data, content_type=content_type)
    return client_http.post(f"/clients/{zoe.pk}/photo/upload/", {"photo": photo})


def test_a_photo_is_stored_re_encoded_and_served_only_through_the_card(
    alice_client, zoe, media_root
):
    response = upload(alice_client, zoe, "me.jpg", image_bytes("JPEG", size=(3000, 2000)))
    assert response.status_code == 302

    served = alice_client.get(f"/clients/{zoe.pk}/photo/")
    assert served["Content-Type"] == "image/webp"
    assert set(served["Cache-Control"].split(", ")) == {"private", "no-store"}
    image = Image.open(_bytes(served))
    assert max(image.size) == 2048
    thumb = Image.open(_bytes(alice_client.get(f"/clients/{zoe.pk}/photo/", {"size": "thumb"})))
    assert max(thumb.size) == 400
    assert len(stored_files(media_root)) == 2


def _bytes(response):
    return io.BytesIO(b"".join(response.streaming_content))


def test_a_new_photo_replaces_the_old_files(
    alice_client, zoe, media_root, django_capture_on_commit_callbacks
):
    upload(alice_client, zoe, "one.png", image_bytes("PNG"))
    first = stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        upload(alice_client, zoe, "two.png", image_bytes("PNG", color=(10, 10, 10)))
    second = stored_files(media_root)
    assert len(second) == 2
    assert not set(first) & set(second)


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            "pas une photo acceptée",
        ),
        ("notes.jpg", b"just some text pretending", "image/jpeg", "pas une photo acceptée"),
        ("anim.gif", image_bytes("GIF"), "image/gif", "pas une photo acceptée"),
        ("huge.jpg", b"\xff\xd8" + b"0" * MAX_UPLOAD_BYTES, "image/jpeg", "15 Mo"),
    ],
)
def test_refused_files_leave_nothing_behind_and_say_why(
    alice_client, zoe, media_root, name, data, content_type, message
):
    response = upload(alice_client, zoe, name, data, content_type)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored_files(media_root) == []
    with scopes_disabled():
        zoe.refresh_from_db()
    assert not zoe.photo


def test_another_account_cannot_see_her_photo(bob, client, zoe):
    with scopes_disabled():
        with_photo = ClientFactory(account=zoe.account, with_photo=True)
    client.force_login(bob)
    assert client.get(f"/clients/{with_photo.pk}/photo/").status_code == 404


def test_the_photo_can_be_removed_with_its_files(
    alice_client, zoe, media_root, django_capture_on_commit_callbacks
):
    upload(alice_client, zoe, "me.png", image_bytes("PNG"))
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/clients/{zoe.pk}/photo/remove/")
    assert stored_files(media_root) == []
    assert alice_client.get(f"/clients/{zoe.pk}/photo/").status_code == 404


def test_removing_the_photo_asks_first(alice_client, zoe, media_root):
    upload(alice_client, zoe, "me.png", image_bytes("PNG"))
    assert (
        "Supprimer sa photo ?"
        in alice_client.get(f"/clients/{zoe.pk}/photo/remove/").content.decode()
    )
    assert len(stored_files(media_root)) == 2


def test_a_photo_file_lost_from_storage_is_not_found_not_an_error(alice_client, zoe, media_root):
    upload(alice_client, zoe, "me.png", image_bytes("PNG"))
    for path in stored_files(media_root):
        path.unlink()
    assert alice_client.get(f"/clients/{zoe.pk}/photo/").status_code == 404


def test_deleting_a_client_in_the_admin_deletes_her_files(
    client, zoe, media_root, django_capture_on_commit_callbacks
):
    from nailpro.models import User

    with scopes_disabled():
        with_photo = ClientFactory(account=zoe.account, with_photo=True)
    staff = User.objects.create_superuser("staff@nailpro.example", "staff-password-99")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/clients/client/{with_photo.pk}/delete/", {"post": "yes"})
    assert stored_files(media_root) == []
