"""Issue 14: a spreadsheet is refused before it unfolds past the caps, in one request with
bounded time and memory; the mapping page reads a sample. The attack files are built for real:
zips whose members stream in, never held whole by the test either."""

import functools
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import Workbook

from clients.importing import PREVIEW_SAMPLE
from clients.models import ClientImport
from nailpro.tabular import MAX_CELL_CHARS, MAX_COLUMNS, TableError, read_table
from tests.bounds import measured
from tests.errors import error_codes

pytestmark = pytest.mark.django_db

MEMORY_BOUND_MB = 300
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"
STRINGS_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


@functools.cache
def openpyxl_parts():
    """The members of a real workbook written by openpyxl, sheet and strings aside."""
    workbook = Workbook()
    workbook.active.append(["Prénom", "Notes"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != SHEET}
    if STRINGS not in parts:  # openpyxl declares the shared strings only when it has some
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    parts.pop(STRINGS, None)
    return parts


def xlsx(sheet_chunks, strings_chunks=(STRINGS_START, b"</sst>"), compresslevel=6):
    """Return an .xlsx whose sheet and shared strings are written chunk by chunk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as out:
        for name, content in openpyxl_parts().items():
            out.writestr(name, content)
        for name, chunks in ((SHEET, sheet_chunks), (STRINGS, strings_chunks)):
            with out.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


def shared(*texts):
    return b"".join(b"<si><t>" + text.encode() + b"</t></si>" for text in texts)


def two_rows(second=b'<c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c>'):
    return [
        SHEET_START,
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
        b'<row r="2">' + second + b"</row>",
        SHEET_END,
    ]


def upload(http, data, name, label):
    with measured(f"{label} ({len(data) / 1024:,.0f} KB uploaded)") as cost:
        response = http.post("/clients/import/", {"file": SimpleUploadedFile(name, data)})
    with scopes_disabled():
        created = ClientImport.objects.exists()
    return response, cost, created


def assert_refused(response, cost, created, code):
    assert response.status_code == 200
    assert error_codes(response, "file") == [code]
    assert not created  # nothing of the file is kept, in rejected rows or elsewhere
    assert cost.added_rss_mb < MEMORY_BOUND_MB


def test_an_xlsx_of_100_kb_holding_a_100_mb_cell_is_refused_from_its_zip_directory(
    alice_client,
):
    chunk = b"x" * 1024 * 1024

    def strings():
        yield STRINGS_START + shared("Prénom", "Notes", "Zoé") + b"<si><t>"
        for _ in range(100):
            yield chunk
        yield b"</t></si></sst>"

    data = xlsx(two_rows(), strings())
    assert len(data) < 200 * 1024
    assert_refused(
        *upload(alice_client, data, "bombe.xlsx", "100 MB cell in a 100 KB .xlsx"),
        "too_large_unpacked",
    )


def test_a_cell_longer_than_the_cap_is_refused_and_never_stored(alice_client):
    long_text = "a" * (MAX_CELL_CHARS + 1)
    data = xlsx(two_rows(), [STRINGS_START, shared("Prénom", "Notes", "Zoé", long_text), b"</sst>"])
    assert_refused(*upload(alice_client, data, "long.xlsx", "a long cell"), "cell_too_long")
    rows = [["Prénom", "Notes"], ["Zoé", long_text]]
    text = "\r\n".join(",".join(row) for row in rows).encode()
    assert_refused(*upload(alice_client, text, "long.csv", "a long CSV cell"), "cell_too_long")


def test_2000_rows_of_16384_cells_are_refused_fast(alice_client):
    row = b"<c><v>1</v></c>" * 16_384

    def sheet():
        yield SHEET_START
        for number in range(1, 2001):
            yield b'<row r="%d">' % number + row + b"</row>"
        yield SHEET_END

    data = xlsx(sheet(), compresslevel=1)
    assert_refused(
        *upload(alice_client, data, "large.xlsx", "2,000 rows × 16,384 cells"),
        "too_large_unpacked",
    )


def test_a_sheet_of_16384_columns_within_the_size_caps_is_refused_at_its_first_line(
    alice_client,
):
    row = b"<c><v>1</v></c>" * 16_384
    sheet = [SHEET_START, *(b'<row r="%d">' % n + row + b"</row>" for n in (1, 2, 3)), SHEET_END]
    data = xlsx(sheet)
    assert_refused(
        *upload(alice_client, data, "wide.xlsx", "3 rows × 16,384 cells"), "too_many_columns"
    )
    line = ",".join(["1"] * 16_384).encode() + b"\r\n"
    data = line * (5 * 1024 * 1024 // len(line))
    assert_refused(
        *upload(alice_client, data, "wide.csv", "CSV of 16,384 columns, 5 MB"), "too_many_columns"
    )


def test_columns_past_the_cap_that_are_empty_are_dropped_not_refused():
    header = ["Prénom", *[""] * (MAX_COLUMNS + 50)]
    row = ["Zoé", *[""] * (MAX_COLUMNS + 50)]
    data = "\r\n".join(",".join(cells) for cells in (header, row)).encode()
    table = read_table(data, "a.csv")
    assert table.rows == [(2, ["Zoé", *[""] * (MAX_COLUMNS - 1)])]


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    ("where", "label"),
    [(STRINGS, "billion laughs in the shared strings"), (SHEET, "a DTD in the sheet")],
)
def test_an_xlsx_whose_xml_carries_a_dtd_is_refused_never_a_500(alice_client, where, label):
    strings = [STRINGS_START, shared("Prénom", "Notes", "Zoé", "x"), b"</sst>"]
    sheet = two_rows()
    if where == STRINGS:
        strings = [strings[0].replace(b"?>", b"?>" + LAUGHS), shared("a", "b", "&lol9;"), b"</sst>"]
    else:
        sheet[0] = sheet[0].replace(b"?>", b'?><!DOCTYPE worksheet SYSTEM "file:///etc/passwd">')
    data = xlsx(sheet, strings)
    assert_refused(*upload(alice_client, data, "dtd.xlsx", label), "xml_dtd")


def test_a_too_long_file_is_refused_with_its_code(alice_client, monkeypatch):
    monkeypatch.setattr("nailpro.tabular.MAX_ROWS", 20)
    data = "Prénom\r\n".encode() + b"".join(b"Cliente%d\r\n" % n for n in range(30))
    assert_refused(*upload(alice_client, data, "long.csv", "too many rows"), "too_many_rows")
    with pytest.raises(TableError) as refusal:
        read_table(data, "long.csv")
    assert refusal.value.code == "too_many_rows"


def test_the_mapping_page_of_99999_rows_checks_a_sample(alice_client, english):
    lines = [b"Prenom,Nom,Telephone"] + [b"Cliente%d,Martin,06%08d" % (n, n) for n in range(99_999)]
    data = b"\r\n".join(lines)
    with measured("upload of 99,999 rows"):
        response = alice_client.post(
            "/clients/import/", {"file": SimpleUploadedFile("grand.csv", data)}
        )
    assert response.status_code == 302
    with scopes_disabled():
        client_import = ClientImport.objects.get()
    assert client_import.total == 99_999
    with measured("mapping page of 99,999 rows") as cost:
        page = alice_client.get(f"/clients/import/{client_import.pk}/")
    assert page.status_code == 200
    assert page.context["checked"] == PREVIEW_SAMPLE
    assert page.context["complete"] is False
    assert sum(page.context["counts"][key] for key in ("ready", "duplicates", "errors")) == 20
    assert cost.added_rss_mb < MEMORY_BOUND_MB
