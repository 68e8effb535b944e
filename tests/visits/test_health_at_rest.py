"""Every piece of her health data is encrypted at rest while her consent holds, and none is
left behind, in clear or decryptable, anywhere in the database or the media folder once she
withdraws it."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from business.models import AccountExport
from business.tasks import account_export_build
from catalog.models import Allergen
from clients.models import ConsentEvent, HealthProfile, NailState
from tests.factories import ClientFactory, ConsentEventFactory, image_bytes
from tests.visits.conftest import visit_data
from visits.models import Reaction, Visit

pytestmark = pytest.mark.django_db

# Her health facts, each made unique so that finding one anywhere can only mean a leak.
TEXTS = {
    "allergy_notes": "Vernis parfumés Zanzibar",
    "pathology_notes": "Stries longitudinales Quokka",
    "medications": "Isotrétinoïne Xylophone",
    "health_notes": "Diabète de type 1 Wombat",
}
SYMPTOMS = "Eczéma péri-unguéal Narval, démangeaisons"
MEDICAL = [NailState.Condition.MYCOSIS_SUSPECTED, NailState.Condition.ONYCHOLYSIS]
FERNET_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-]+=*")


def sql_id(pk):
    return pk.hex if connection.vendor == "sqlite" else pk


def raw(table, column, where, pk):
    """Return a column of a row as the database holds it (raw SQL, no field conversion)."""
    with connection.cursor() as cursor:
        # Names from the test itself, never from input.
        query = f'SELECT "{column}" FROM "{table}" WHERE "{where}" = %s'  # noqa: S608
        cursor.execute(query, [sql_id(pk)])
        return [row[0] for row in cursor.fetchall()]


def as_text(value):
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def database_dump():
    """Every value of every table, read as text through a raw cursor."""
    values = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - the database's own names
            values += [as_text(value) for row in cursor.fetchall() for value in row]
    return tables, values


def media_dump(media_root):
    """Every file under the media folder as text, and each member of a ZIP too."""
    texts = []
    for path in Path(media_root).rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        texts.append(content.decode("utf-8", errors="replace"))
        if zipfile.is_zipfile(io.BytesIO(content)):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                texts += [
                    archive.read(name).decode("utf-8", errors="replace")
                    for name in archive.namelist()
                ]
    return texts


def decrypted(texts, keys):
    """Decrypt every Fernet token found in these texts with the app's keys."""
    fernet = MultiFernet([Fernet(key) for key in keys])
    plaintexts = []
    for text in texts:
        for token in FERNET_TOKEN.findall(text):
            try:
                plaintexts.append(fernet.decrypt(token.encode()).decode())
            except InvalidToken:
                continue
    return plaintexts


@pytest.fixture
def full_zoe(alice, alice_client, catalog, media_root):
    """Zoé with full health data, all entered through the app: profile, allergens, nails,
    a visit with her allergen (chart snapshot and allergy warning), a reaction, and a
    stored account export holding all of it."""
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé", last_name="Martin")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.HEALTH)
        hema = catalog["hema"]
        nickel = Allergen.objects.get(code="nickel")
    assert (
        alice_client.post(
            f"/clients/{zoe.pk}/health/",
            {**TEXTS, "allergens": [hema.pk, nickel.pk], "pathologies": ["onycholysis"]},
        ).status_code
        == 302
    )
    for finger, condition in [("left_thumb", MEDICAL[0]), ("right_index", MEDICAL[1])]:
        response = alice_client.post(
            f"/clients/{zoe.pk}/nails/?finger={finger}",
            {"finger": finger, "condition": condition, "length": "short", "remarks": "vu"},
        )
        assert response.status_code == 302
    data = visit_data(catalog, **{f"product_{catalog['gel'].pk}": "on"}, confirm_allergy="on")
    assert alice_client.post(f"/visits/new/{zoe.pk}/", data).status_code == 302
    response = alice_client.post(
        f"/visits/reactions/new/{zoe.pk}/",
        {
            "date": timezone.localdate().isoformat(),
            "symptoms": SYMPTOMS,
            "suspected_products": [catalog["gel"].pk],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        zoe.photo.save("portrait.png", ContentFile(image_bytes("PNG")))
        export = AccountExport.objects.create(account=alice.account, requested_by=alice)
        account_export_build.call(str(export.pk))
        export.refresh_from_db()
        visit = Visit.objects.get(client=zoe)
        health = HealthProfile.objects.get(client=zoe)
    assert export.status == AccountExport.Status.READY
    assert visit.allergy_warning and set(visit.chart_snapshot) == {"left_thumb", "right_index"}
    assert health.allergen_ids == sorted([hema.pk, nickel.pk])
    return zoe


def test_while_consent_holds_every_health_column_holds_only_ciphertext(full_zoe, settings):
    with scopes_disabled():
        health = HealthProfile.objects.get(client=full_zoe)
        nails = {nail.pk: nail for nail in NailState.objects.filter(client=full_zoe)}
        visit = Visit.objects.get(client=full_zoe)
        assert Reaction.objects.filter(client=full_zoe).count() == 1
    fernet = MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])

    def plain(stored):
        assert stored.startswith("fernet:"), stored
        return fernet.decrypt(stored.removeprefix("fernet:").encode()).decode()

    expected = {
        ("clients_healthprofile", "allergen_ids", "client_id"): [json.dumps(health.allergen_ids)],
        ("clients_healthprofile", "pathologies", "client_id"): [json.dumps(["onycholysis"])],
        **{("clients_healthprofile", name, "client_id"): [text] for name, text in TEXTS.items()},
        ("clients_nailstate", "condition", "client_id"): [n.condition for n in nails.values()],
        ("visits_visit", "allergy_warning", "client_id"): [visit.allergy_warning],
        ("visits_visit", "chart_snapshot", "client_id"): [visit.chart_snapshot],
        ("visits_reaction", "symptoms", "client_id"): [SYMPTOMS],
    }
    for (table, column, where), clear_values in expected.items():
        stored = raw(table, column, where, full_zoe.pk)
        assert len(stored) == len(clear_values), (table, column)
        for value in stored:
            assert not any(str(clear) in value for clear in clear_values if clear), column
        plains = sorted(plain(value) for value in stored)
        if column == "chart_snapshot":
            assert [json.loads(p) for p in plains] == clear_values
        else:
            assert plains == sorted(clear_values), (table, column)
    assert sorted(n.condition for n in nails.values()) == sorted(MEDICAL)
    # Which allergens she has is no longer a link table in clear.
    assert "clients_healthprofile_allergens" not in connection.introspection.table_names()


def test_after_withdrawal_nothing_of_her_health_is_left_in_the_database_or_the_files(
    full_zoe, alice_client, settings, media_root, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        visit = Visit.objects.get(client=full_zoe)
        health = HealthProfile.objects.get(client=full_zoe)
    warning, allergen_ids = visit.allergy_warning, list(health.allergen_ids)
    secrets = [*TEXTS.values(), SYMPTOMS, warning, *MEDICAL]
    # While her consent held, the stored account export carried her health data.
    assert any(SYMPTOMS in text for text in media_dump(media_root))

    today = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            f"/clients/{full_zoe.pk}/consents/new/",
            {"kind": "health", "given": "0", "method": "in_app", "date": today},
        )
    assert response.status_code == 302

    tables, values = database_dump()
    files = media_dump(media_root)
    assert len(tables) > 20 and values and files  # her portrait and signatures are still there
    everything = values + files
    for secret in secrets:
        assert not any(secret in text for text in everything), secret
    plaintexts = decrypted(everything, settings.FIELD_ENCRYPTION_KEYS)
    assert plaintexts  # what is not health data (lengths, remarks) is still there, encrypted
    for secret in secrets:
        assert not any(secret in text for text in plaintexts), secret
    for text in plaintexts:
        try:
            assert json.loads(text) != allergen_ids
        except ValueError:
            continue
    assert "clients_healthprofile_allergens" not in tables
    assert raw("clients_healthprofile", "allergen_ids", "client_id", full_zoe.pk) == [""]
    # Her card, her nails' lengths and her visit's accounting line stay.
    with scopes_disabled():
        visit.refresh_from_db()
        assert visit.total and visit.chart_snapshot["left_thumb"]["length"] == "short"
        assert not Reaction.objects.filter(client=full_zoe).exists()
        assert not AccountExport.objects.exists()


def test_rotating_the_key_re_encrypts_every_health_column(full_zoe, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    with scopes_disabled():
        before = {
            "visit": Visit.objects.values("chart_snapshot", "allergy_warning").get(),
            "nails": sorted(NailState.objects.values_list("condition", flat=True)),
            "allergens": HealthProfile.objects.get().allergen_ids,
        }

    call_command("reencrypt_health_data", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    with scopes_disabled():
        assert Visit.objects.values("chart_snapshot", "allergy_warning").get() == before["visit"]
        assert sorted(NailState.objects.values_list("condition", flat=True)) == before["nails"]
        assert HealthProfile.objects.get().allergen_ids == before["allergens"]
        assert Reaction.objects.get().symptoms == SYMPTOMS
    _tables, values = database_dump()
    tokens = [token for value in values for token in FERNET_TOKEN.findall(value)]
    assert len(tokens) >= 10
    old_only = Fernet(old_key.encode())
    for token in tokens:
        Fernet(new_key.encode()).decrypt(token.encode())  # every one reads with the new key
        with pytest.raises(InvalidToken):
            old_only.decrypt(token.encode())
