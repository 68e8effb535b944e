"""The cast: Alice (a technician), Bob (another technician who must never see Alice's
data), and an anonymous visitor."""

import pytest
from django_scopes import scopes_disabled

from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded files of each test in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", account__name="Alice Nails")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", account__name="Bob Beauty")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def no_scopes():
    """Build and inspect data outside a request, as a management command would."""
    with scopes_disabled():
        yield
