"""A file whose encoding cannot be told is not imported as garbage: she is asked which it is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from clients.importing import run_client_import
from clients.models import Client, ClientImport
from nailpro.tabular import looks_western

pytestmark = pytest.mark.django_db
JAPANESE = (
    "名前,姓,電話,メモ\r\n花子,山田,06 12 34 56 78,ジェルネイル\r\n美咲,佐藤,06 98 76 54 32,\r\n"
)


def post(http, data, **extra):
    return http.post("/clients/import/", {"file": SimpleUploadedFile("顧客.csv", data), **extra})


def test_a_shift_jis_file_asks_which_encoding_instead_of_importing_garbage(
    alice_client, alice, english
):
    data = JAPANESE.encode("shift_jis")

    response = post(alice_client, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.as_data()["file"][0].code == "encoding_unsure"
    with scopes_disabled():
        assert not ClientImport.objects.exists()
    offered = dict(form.fields["encoding"].widget.choices)
    assert "shift_jis" in offered
    assert "名前,姓,電話,メモ" in offered["shift_jis"]
    assert 'type="radio"' in response.content.decode()

    response = post(alice_client, data, encoding="shift_jis")

    assert response.status_code == 302
    with scopes_disabled():
        client_import = ClientImport.objects.get()
    assert client_import.headers == ["名前", "姓", "電話", "メモ"]
    post_mapping = {
        f"column_{i}": name for i, name in enumerate(["first_name", "last_name", "phone", "notes"])
    }
    alice_client.post(f"/clients/import/{client_import.pk}/", {**post_mapping, "start": ""})
    assert run_client_import.call(str(client_import.pk)) is True
    with scopes_disabled():
        names = sorted((c.first_name, c.last_name, c.notes) for c in Client.objects.all())
    assert names == [("美咲", "佐藤", ""), ("花子", "山田", "ジェルネイル")]


def test_an_unknown_encoding_name_is_refused_with_a_code(alice_client):
    response = post(alice_client, JAPANESE.encode("shift_jis"), encoding="klingon")
    assert response.context["form"].errors.as_data()["encoding"][0].code == "invalid_choice"


@pytest.mark.parametrize(
    ("text", "encoding", "western"),
    [
        ("Prénom;Nom;Notes\nZoé;Martin;l’aime « très » pâle — œil\n", "cp1252", True),
        ("Vorname;Straße\nJürgen;Großstraße 5\n", "cp1252", True),
        ("Name;Phone\nAnna;0612345678\n", "ascii", True),
        (JAPANESE, "shift_jis", False),
        ("Имя;Фамилия\nИван;Петров\nОльга;Смирнова\n", "cp1251", False),
        ("Όνομα;Επώνυμο\nΕλένη;Παπαδοπούλου\n", "cp1253", False),
        ("Prénom;Nom\nZoé;Martin\n", "mac_roman", False),
    ],
)
def test_windows_1252_is_assumed_only_for_western_text(text, encoding, western):
    assert looks_western(text.encode(encoding)) is western


def test_a_latin_file_from_old_excel_still_imports_without_a_question(alice_client):
    data = "Prénom;Nom\r\nZoé;Müller\r\nHélène;Dupré\r\n".encode("cp1252")
    assert post(alice_client, data).status_code == 302
