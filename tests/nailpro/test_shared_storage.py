"""Every file goes through STORAGES: with the files on an S3-compatible bucket, nothing lands on
the local disk, so two app servers and a worker on different machines share one bucket.

The bucket is moto's S3 server, started by the test on a local port: boto3 speaks real HTTP to
it, as it would to any S3-compatible service.
"""

import io
import uuid
import zipfile

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from moto.server import ThreadedMotoServer
from PIL import Image

from business.models import AccountExport
from business.tasks import account_export_build
from clients.importing import run_client_import
from clients.list_export import list_export_build
from clients.models import Client, ClientImport, ListExport, SignedConsent
from gallery.models import Photo
from nailpro.models import Account
from tests.clients.test_consent_form import sign
from tests.factories import PASSWORD, ClientFactory, VisitFactory, image_bytes, make_pro

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(settings, s3_endpoint, tmp_path, monkeypatch):
    """A fresh bucket as the default storage, and a local media folder that must stay empty."""
    # boto3 reads credentials from the environment before the storage options: keep the
    # machine's own out of the test.
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    name = f"nailpro-{uuid.uuid4().hex[:12]}"
    options = {
        "bucket_name": name,
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": "test-key",
        "secret_key": "test-secret",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    settings.MEDIA_ROOT = tmp_path / "local-media"

    class Bucket:
        def names(self):
            listed = s3.list_objects_v2(Bucket=name).get("Contents", [])
            return sorted(item["Key"] for item in listed)

    yield Bucket()
    assert not settings.MEDIA_ROOT.exists(), "a file was written to the local disk"


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def zoe(alice):
    with scopes_disabled():
        return ClientFactory(account=alice.account, first_name="Zoé", last_name="Faure")


def test_her_portrait_and_its_thumbnail_live_in_the_bucket(alice_client, zoe, bucket):
    photo = SimpleUploadedFile("zoe.jpg", image_bytes("JPEG", size=(800, 600)))
    response = alice_client.post(f"/clients/{zoe.pk}/photo/upload/", {"photo": photo})
    assert response.status_code == 302
    zoe.refresh_from_db()
    assert bucket.names() == sorted([zoe.photo.name, zoe.photo_thumbnail.name])
    served = alice_client.get(f"/clients/{zoe.pk}/photo/", {"size": "thumb"})
    assert Image.open(io.BytesIO(body(served))).format == "WEBP"


def test_gallery_photos_are_stored_served_and_deleted_in_the_bucket(
    alice_client, zoe, bucket, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        VisitFactory(client=zoe)
    upload = SimpleUploadedFile("after.png", image_bytes("PNG", size=(640, 480)))
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            "/gallery/upload/", {"client": zoe.pk, "kind": "after", "photos": [upload]}
        )
    assert response.status_code == 302
    with scopes_disabled():
        photo = Photo.objects.get()
    assert bucket.names() == sorted([photo.image.name, photo.thumbnail.name])
    image = alice_client.get(f"/gallery/{photo.pk}/image/")
    assert Image.open(io.BytesIO(body(image))).size == (640, 480)

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/gallery/{photo.pk}/delete/")
    assert bucket.names() == []


def test_a_signature_is_stored_in_the_bucket_and_its_hash_checks_out(alice_client, zoe, bucket):
    assert sign(alice_client, zoe).status_code == 302
    with scopes_disabled():
        signed = SignedConsent.objects.get(client=zoe)
    assert bucket.names() == [signed.signature.name]
    assert signed.integrity_verified()
    served = alice_client.get(f"/clients/{zoe.pk}/consent-forms/{signed.pk}/signature/")
    assert Image.open(io.BytesIO(body(served))).format == "PNG"


def test_an_import_uploaded_on_one_server_is_read_by_the_worker_from_the_bucket(
    alice_client, alice, bucket
):
    rows = "Prénom,Nom,Téléphone\r\nZoé,Faure,0612345678\r\nLéa,Morel,0698765432\r\n"
    upload = SimpleUploadedFile("clientes.csv", rows.encode())
    assert alice_client.post("/clients/import/", {"file": upload}).status_code == 302
    with scopes_disabled():
        client_import = ClientImport.objects.get()
    assert bucket.names() == [client_import.file.name]
    mapping = {f"column_{i}": name for i, name in enumerate(client_import.mapping)}
    alice_client.post(f"/clients/import/{client_import.pk}/", {**mapping, "start": ""})
    assert run_client_import.call(str(client_import.pk)) is True
    with scopes_disabled():
        assert Client.objects.filter(account=alice.account).count() == 2
        client_import.refresh_from_db()
    assert client_import.created == 2


def test_a_long_list_export_is_built_into_the_bucket_and_downloaded(
    alice_client, alice, bucket, settings
):
    settings.CLIENT_EXPORT_IMMEDIATE_MAX = 2
    make_pro(alice.account)
    with scopes_disabled():
        for n in range(5):
            ClientFactory(account=alice.account, first_name=f"Cliente{n}")
    page = alice_client.get("/clients/export/", {"format": "csv"})
    alice_client.post("/clients/export/", dict(page.context["hidden"]))
    with scopes_disabled():
        export = ListExport.objects.get()
    assert list_export_build.call(str(export.pk)) is True
    export.refresh_from_db()
    assert bucket.names() == [export.file.name]
    download = alice_client.get(f"/clients/export/{export.pk}/download/")
    assert body(download).decode("utf-8-sig").count("Cliente") == 5


def test_the_account_export_zips_files_read_from_the_bucket(alice_client, alice, zoe, bucket):
    photo = SimpleUploadedFile("zoe.jpg", image_bytes("JPEG", size=(300, 300)))
    alice_client.post(f"/clients/{zoe.pk}/photo/upload/", {"photo": photo})
    assert alice_client.post("/account/export/").status_code == 302
    with scopes_disabled():
        export = AccountExport.objects.get()
    account_export_build.call(str(export.pk))
    export.refresh_from_db()
    assert export.file.name in bucket.names()
    download = alice_client.get(f"/account/export/{export.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(body(download)))
    pictures = [name for name in archive.namelist() if name.endswith(".webp")]
    assert pictures, archive.namelist()


def test_deleting_the_account_empties_her_part_of_the_bucket(
    alice_client, alice, bob, zoe, bucket, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("zoe.jpg", image_bytes("JPEG", size=(300, 300)))
    alice_client.post(f"/clients/{zoe.pk}/photo/upload/", {"photo": photo})
    sign(alice_client, zoe)
    with scopes_disabled():
        bobs = ClientFactory(account=bob.account)
    bob_http = type(alice_client)()
    bob_http.force_login(bob)
    bob_http.post(
        f"/clients/{bobs.pk}/photo/upload/",
        {"photo": SimpleUploadedFile("b.jpg", image_bytes("JPEG", size=(200, 200)))},
    )
    bobs.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/account/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not Account.objects.filter(pk=alice.account_id).exists()
    assert bucket.names() == sorted([bobs.photo.name, bobs.photo_thumbnail.name])
