"""The cast: Alice (a technician), Bob (another technician who must never see Alice's
data), and an anonymous visitor."""

from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django_scopes import scopes_disabled

from catalog.models import Allergen
from clients.models import ConsentText
from tests.factories import PASSWORD, UserFactory
from tests.fake_sms import fake_twilio  # noqa: F401 - the fake SMS provider, for every test


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded files of each test in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def reference_data(request):
    """Make sure the allergen list and consent texts shipped by data migrations are there.

    Transactional tests (the browser tests, the concurrency test) empty every table when
    they end, these included, so the tests after them load them again.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or (
        "live_server" in request.fixturenames or "transactional_db" in request.fixturenames
    )
    if not (marker or transactional or "db" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not Allergen.objects.exists():
        import_module("catalog.migrations.0002_common_allergens").add_allergens(apps, None)
    if ConsentText.objects.values("language").distinct().count() < len(settings.LANGUAGES):
        import_module("clients.migrations.0006_consent_texts").add_texts(apps, None)
        import_module("clients.migrations.0013_consent_texts_es_it_ru").add_texts(apps, None)


@pytest.fixture(autouse=True)
def restore_language(settings):
    """Requests activate the account's language for the thread: leave the default behind,
    so a test that follows reads what a fresh process would."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", account__name="Alice Nails")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", account__name="Bob Beauty")


@pytest.fixture
def english(alice):
    """Alice works in English: assertions read the msgids of the English interface."""
    alice.account.language = "en"
    alice.account.save()
    return alice


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
