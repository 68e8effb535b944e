"""Pages leave the app gzipped, with Django's BREACH padding; photos leave as they are."""

import gzip

from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import ClientFactory

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
FNAME = 0x08  # gzip header flag: a file name follows, where Django puts its random padding


def test_a_page_is_gzipped_with_random_padding(alice, alice_client):
    with scopes_disabled():
        ClientFactory.create_batch(5, account=alice.account)
    response = alice_client.get("/clients/", **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response.content[3] & FNAME
    html = gzip.decompress(response.content)
    assert html.startswith(b"<!doctype html>")
    assert int(response["Content-Length"]) == len(response.content) < len(html)


def test_without_accept_encoding_the_page_is_plain(alice_client):
    response = alice_client.get("/clients/")

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")


def test_a_photo_is_not_compressed_again(alice, alice_client):
    with scopes_disabled():
        client = ClientFactory(account=alice.account, with_photo=True)
    response = alice_client.get(reverse("clients:photo", args=[client.pk]), **GZIP)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert not response.has_header("Content-Encoding")


def test_the_anonymous_login_page_is_gzipped_too(client):
    response = client.get("/accounts/login/", **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b'name="csrfmiddlewaretoken"' in gzip.decompress(response.content)
