import pytest
from django_scopes import scopes_disabled

from clients.models import Client, ConsentEvent, Gift
from tests.factories import ClientFactory, ConsentEventFactory, GiftFactory

pytestmark = pytest.mark.django_db


def test_the_confirmation_says_what_will_be_deleted(alice, alice_client):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé")
        GiftFactory.create_batch(2, client=zoe)
        ConsentEventFactory(client=zoe)
    response = alice_client.get(f"/clients/{zoe.pk}/delete/")
    assert response.context["client"] == zoe
    # visits, photos, appointments, gifts, consent records
    assert [count for _label, count in response.context["counts"]] == [0, 0, 0, 2, 1]
    assert "Zoé" in response.content.decode()
    with scopes_disabled():
        assert Client.objects.filter(pk=zoe.pk).exists()  # a GET deletes nothing


def test_deleting_removes_her_record_and_her_files(
    alice, alice_client, media_root, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, with_photo=True)
        GiftFactory(client=zoe)
        ConsentEventFactory(client=zoe)
    assert any(media_root.rglob("*.webp"))

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/clients/{zoe.pk}/delete/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/clients/"
    with scopes_disabled():
        assert not Client.objects.exists()
        assert not Gift.objects.exists()
        assert not ConsentEvent.objects.exists()
    assert not any(media_root.rglob("*.webp"))
