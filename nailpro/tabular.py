"""Spreadsheets in and out: CSV and XLSX written safely for Excel, and read forgivingly.

Written files neutralise formula injection: a text cell starting with = + - @ (or a tab or
carriage return) gets a leading apostrophe, so Excel or LibreOffice shows it as text instead
of running it. Read files are decoded whatever the tool that wrote them (UTF-8 with or
without BOM, else Windows-1252/Latin-1), their separator sniffed, their empty lines skipped.

Reading is bounded before anything unfolds: a file that would grow past the caps
below is refused with a coded `TableError` before openpyxl or the csv module hold it. An .xlsx
is a zip: its members' declared sizes and compression ratios are checked from the zip's
directory, and its XML is scanned for a DTD (`<!DOCTYPE`, `<!ENTITY`: entity bombs, external
entities) before openpyxl, which itself parses through defusedxml, opens it in read-only
(streaming) mode. Rows, columns and cell lengths are counted while reading, so a refusal comes
at the first line past a cap, not after the whole file is in memory.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from defusedxml import DefusedXmlException
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import clean_text

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A 5 MB .xlsx is compressed: cap what it may unfold into (5 MB of CSV is ~50,000 clients).
MAX_ROWS = 100_000
# Outlook's contact export has 92 columns, Google's about 60: 200 leaves room, 16,384 does not.
MAX_COLUMNS = 200
# A long note fits (a printed page is ~3,000 characters); a 100 MB "cell" does not.
MAX_CELL_CHARS = 10_000
# What the zip of an .xlsx may unfold into, all members together. A real 5 MB .xlsx of 100,000
# clients unpacks to ~50 MB; 64 MB stays well inside a web worker's memory.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Spreadsheet XML compresses 5 to 20 times; a member 100 times smaller than its content is a
# bomb (one 100 MB cell zips 1,000 times). Members under 1 MB are let be whatever their ratio.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024
MAX_ZIP_MEMBERS = 1_000
XML_SCAN_CHUNK = 1024 * 1024
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = [",", ";", "\t"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(ValueError):
    """The file is not a table we can read; the message says why, for her; `code` says it for
    code (tests, logs), as a ValidationError's code does."""

    def __init__(self, message, code="unreadable"):
        super().__init__(message)
        self.code = code


class EncodingUnsure(TableError):
    """Neither UTF-8 nor a Western text: `samples` shows her first line in each encoding."""

    def __init__(self, data):
        super().__init__(
            _(
                "We cannot tell how the letters of this file are written. Choose the line that "
                "reads right below, then choose the file again."
            ),
            "encoding_unsure",
        )
        self.samples = encoding_samples(data)


# What a file from another tool may be written in, when it is not UTF-8.
ENCODINGS = [
    ("utf-8", gettext_lazy("UTF-8 (most tools today)")),
    ("cp1252", gettext_lazy("Windows-1252 (Western Europe, older Excel)")),
    ("mac_roman", gettext_lazy("Mac Roman (older Mac)")),
    ("cp1250", gettext_lazy("Windows-1250 (Central Europe)")),
    ("cp1251", gettext_lazy("Windows-1251 (Cyrillic)")),
    ("cp1253", gettext_lazy("Windows-1253 (Greek)")),
    ("cp1254", gettext_lazy("Windows-1254 (Turkish)")),
    ("cp1256", gettext_lazy("Windows-1256 (Arabic)")),
    ("shift_jis", gettext_lazy("Shift-JIS (Japanese)")),
    ("euc_jp", gettext_lazy("EUC-JP (Japanese)")),
    ("gb18030", gettext_lazy("GB18030 (Chinese, simplified)")),
    ("big5", gettext_lazy("Big5 (Chinese, traditional)")),
    ("euc_kr", gettext_lazy("EUC-KR (Korean)")),
]
# cp1252's bytes 0x80-0x9F that Western text holds: € … ‘ ’ “ ” • – — ™ Œ œ. The others are
# lead bytes of Japanese and Chinese encodings.
WESTERN_C1 = frozenset(b"\x80\x85\x8c\x91\x92\x93\x94\x95\x96\x97\x99\x9c")


def looks_western(data):
    """Whether 8-bit bytes read as Windows-1252 are plausibly Western text, not a guess.

    In Western text a few accented letters sit among plain ones; in Cyrillic, Greek or
    Japanese read as Windows-1252, most letters are 8-bit, or the bytes are lead bytes.
    """
    high = [byte for byte in data if byte >= 0x80]
    if not high:
        return True
    rare = sum(1 for byte in high if byte <= 0x9F and byte not in WESTERN_C1)
    letters = sum(1 for byte in data if 65 <= byte <= 90 or 97 <= byte <= 122)
    return rare <= len(high) * 0.1 and len(high) <= (letters + len(high)) * 0.25


def encoding_samples(data, length=60):
    """Return [(encoding, its label, the first line read in it)] for each that reads it."""
    first = next((line for line in data.splitlines() if line.strip()), b"")[:400]
    samples = []
    for encoding, label in ENCODINGS:
        try:
            text = first.decode(encoding)
        except UnicodeDecodeError:
            continue
        samples.append((encoding, label, text[:length]))
    return samples


def transcode(data, encoding):
    """Return a CSV's bytes, read in the encoding she chose, as UTF-8 (an .xlsx as it is)."""
    if data.startswith(b"PK\x03\x04") or encoding not in dict(ENCODINGS):
        return data
    return data.decode(encoding, errors="replace").encode("utf-8")


def neutralise(value):
    """Return a text cell that no spreadsheet runs as a formula and every reader accepts."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)  # openpyxl refuses control characters; CSV readers choke on them
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(text):
    """Undo `neutralise` on a cell read back: "'=A1" is the text "=A1"."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


# Writing


def csv_text(value, *, decimal_comma):
    """Render one cell for a CSV: dates day first for Excel, decimals as the locale writes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text
    return neutralise(str(value))


def csv_response(filename, headers, rows, *, delimiter=","):
    """Answer with a CSV download, UTF-8 with a BOM so Excel reads accents right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(str(header)) for header in headers])
    decimal_comma = delimiter == ";"  # the French Excel convention goes with both
    for row in rows:
        writer.writerow([csv_text(value, decimal_comma=decimal_comma) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_cell(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)  # already in her time zone; Excel has none
    if isinstance(value, Decimal):
        return float(value)
    return neutralise(value)


def xlsx_response(filename, headers, rows, *, title):
    """Answer with an XLSX download: a bold, frozen header row and real date cells."""
    from openpyxl import Workbook  # ~18 MB: imported by the requests that write a sheet
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([neutralise(str(header)) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    for cells in sheet.iter_cols(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, min(len(str(header)) + 4, 40)
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(filename, headers, rows, *, file_format, title):
    """Answer in the format she chose: "xlsx", "csv" (commas) or "csv_semicolon"."""
    if file_format == "xlsx":
        return xlsx_response(filename, headers, rows, title=title)
    delimiter = ";" if file_format == "csv_semicolon" else ","
    return csv_response(filename, headers, rows, delimiter=delimiter)


def table_write(target, headers, rows, *, file_format, title):
    """Write a table into a binary file as `table_response` answers it, row by row: for the
    worker's long lists (clients.list_export). `rows` may be any iterable, even a generator;
    an .xlsx is written by openpyxl's write-only mode, so memory stays flat however long."""
    if file_format == "xlsx":
        _xlsx_write(target, headers, rows, title=title)
        return
    delimiter = ";" if file_format == "csv_semicolon" else ","
    decimal_comma = delimiter == ";"
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(str(header)) for header in headers])
    for row in rows:
        writer.writerow([csv_text(value, decimal_comma=decimal_comma) for value in row])
    text.detach()  # leave the target open for the caller


def _xlsx_write(target, headers, rows, *, title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, min(len(str(header)) + 4, 40)
        )
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            value = xlsx_cell(value)
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                is_time = isinstance(value, datetime.datetime)
                cell.number_format = "DD/MM/YYYY HH:MM" if is_time else "DD/MM/YYYY"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(target)


# Reading


@dataclass
class Table:
    headers: list
    rows: list  # [(line number in the file, [cells])], empty lines left out


def read_table(data, name="", *, limit=None):
    """Return the header and rows of a CSV or XLSX file, empty lines left out.

    Cells are text (stripped), except XLSX dates, kept as dates. With `limit`, only the first
    `limit` rows after the header are read (a preview): the caps then apply to what is read.
    Raise TableError with a message for her when the file is not a table or is past a cap.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is larger than 5 MB: split it in smaller files."), "too_large")
    if not data.strip():
        raise TableError(_("The file is empty."), "empty")
    if data.startswith(b"PK\x03\x04"):
        lines = _read_xlsx(data, limit)
    elif name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise TableError(
            _("This is not an Excel file we can read. Save it as .xlsx or CSV and try again."),
            "not_xlsx",
        )
    else:
        lines = _read_csv(data, limit)
    if len(lines) < 2:
        raise TableError(
            _("No table found: the file needs a header line, then one line per client."),
            "no_table",
        )
    (_number, headers), *rows = lines
    width = min(len(headers), MAX_COLUMNS)
    return Table(
        headers=[str(header) for header in headers[:width]],
        rows=[(number, (row + [""] * width)[:width]) for number, row in rows],
    )


def _too_many_rows():
    return TableError(
        _("The file has more than %(count)s lines: split it in smaller files.")
        % {"count": MAX_ROWS},
        "too_many_rows",
    )


class _Lines:
    """Collect the non-empty lines of a file, refusing the first one past a cap."""

    def __init__(self, limit):
        # The header line, then `limit` lines (None: all of them, up to MAX_ROWS).
        self.wanted = None if limit is None else limit + 1
        self.lines = []
        self.seen = 0

    @property
    def full(self):
        return self.wanted is not None and len(self.lines) >= self.wanted

    def add(self, number, cells):
        """Keep one line's cells (already converted); raise TableError past a cap."""
        # Empty lines count too: a sheet of a million empty rows is no client list either.
        self.seen += 1
        if self.seen > MAX_ROWS + 1:  # the header plus MAX_ROWS lines are allowed
            raise _too_many_rows()
        if not any(_cell_present(cell) for cell in cells):
            return
        if len(cells) > MAX_COLUMNS:
            if any(_cell_present(cell) for cell in cells[MAX_COLUMNS:]):
                raise TableError(
                    _(
                        "Line %(line)s has more than %(count)s columns: keep only the columns "
                        "of your clients' details and try again."
                    )
                    % {"line": number, "count": MAX_COLUMNS},
                    "too_many_columns",
                )
            cells = cells[:MAX_COLUMNS]
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise _cell_too_long(number, index)
        self.lines.append((number, cells))


def _cell_too_long(line, index):
    return TableError(
        _(
            "Line %(line)s, column %(column)s holds more than %(count)s characters: shorten it "
            "and try again."
        )
        % {"line": line, "column": _column_letter(index), "count": MAX_CELL_CHARS},
        "cell_too_long",
    )


def _column_letter(index):
    """Return the spreadsheet name of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_present(cell):
    return cell is not None and str(cell).strip() != ""


def _unreadable_xlsx():
    return TableError(
        _("This file cannot be read as a spreadsheet. Save it as .xlsx or CSV and try again."),
        "unreadable",
    )


def _too_big_unpacked():
    return TableError(
        _(
            "This Excel file unfolds into more than %(size)s MB: it holds more than a client "
            "list. Save only the sheet of your clients, or save it as CSV, and try again."
        )
        % {"size": MAX_UNPACKED_BYTES // 1024**2},
        "too_large_unpacked",
    )


def check_xlsx_zip(data):
    """Refuse, from the zip's directory and a scan of its XML, an .xlsx that would unfold past
    the caps or carries a DTD, before any parser opens it. Raise TableError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable_xlsx() from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise _unreadable_xlsx()
        # The declared sizes are what the zip's directory says; the scan below reads at most
        # that much per member (zipfile stops at the declared size and checks the CRC).
        if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
            raise _too_big_unpacked()
        for member in members:
            if member.file_size > RATIO_CHECKED_FROM and (
                member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
            ):
                raise _too_big_unpacked()
        for member in members:
            if member.filename.endswith((".xml", ".rels", ".vml")):
                _refuse_dtd(archive, member)


def _refuse_dtd(archive, member):
    """Read one XML member by chunks; refuse it if it declares a DTD or an entity."""
    keep = max(len(marker) for marker in DTD_MARKERS)
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(XML_SCAN_CHUNK):
                window = tail + chunk
                # XML in UTF-16 would hide the markers from a byte scan: no spreadsheet tool
                # writes it, so it is refused as well.
                if not tail and window.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise _dtd_refused()
                if any(marker in window.upper() for marker in DTD_MARKERS):
                    raise _dtd_refused()
                tail = window[-keep:]
    except TableError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise _unreadable_xlsx() from error


def _dtd_refused():
    return TableError(
        _(
            "This Excel file carries a document type declaration (DTD), which NailPro does not "
            "open for safety. Open it in Excel or LibreOffice, save it again as .xlsx or CSV, "
            "and try again."
        ),
        "xml_dtd",
    )


def _read_xlsx(data, limit=None):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx_zip(data)
    try:
        # Formulas are read as their text and never computed: "=HYPERLINK(…)" stays words.
        # read_only streams the sheet's XML through defusedxml (openpyxl uses it if installed).
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except DefusedXmlException as error:
        raise _dtd_refused() from error
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise _unreadable_xlsx() from error
    try:
        sheet = workbook.worksheets[0]
        # The sheet's declared dimension ("A1:XFD2000") would pad every row to its width:
        # forgotten, each row holds the cells it has.
        sheet.reset_dimensions()
        lines = _Lines(limit)
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            lines.add(number, [_xlsx_value(value) for value in row])
            if lines.full:
                break
        return lines.lines
    except TableError:
        raise
    except DefusedXmlException as error:
        raise _dtd_refused() from error
    except Exception as error:  # a damaged sheet inside a valid zip
        raise _unreadable_xlsx() from error
    finally:
        workbook.close()


def _xlsx_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed as a number: 612345678.0
    if isinstance(value, int | float | datetime.time):
        return str(value)
    return unneutralise(str(value).strip())


def decode(data):
    """Decode bytes from any tool: UTF-8 (with or without BOM), else Western Windows-1252.

    UTF-16 (Excel's "Unicode text") is turned to UTF-8 before, by its BOM. Raise EncodingUnsure
    rather than guess: Japanese or Cyrillic read as Windows-1252 would import as garbage.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if looks_western(data):
        for encoding in ("cp1252", "latin-1"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise EncodingUnsure(data)


def _looks_binary(data):
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return controls > len(sample) / 100


def sniff_separator(lines):
    """Return the separator that splits the first lines into the most, steady columns."""
    best, best_score = ",", 0
    for separator in SEPARATORS:
        widths = [len(row) for row in csv.reader(lines[:20], delimiter=separator) if row]
        if not widths or widths[0] < 2:
            continue
        steady = sum(1 for width in widths if width == widths[0])
        score = widths[0] * steady
        if score > best_score:
            best, best_score = separator, score
    return best


def _read_csv(data, limit=None):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16 with a BOM, tab-separated.
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if _looks_binary(data):
        raise TableError(
            _(
                "This file is not a table (CSV or Excel). Export your clients from the other "
                "tool as CSV or .xlsx and try again."
            ),
            "not_a_table",
        )
    text = decode(data)
    # The separator is sniffed on the first lines only: no need to split the whole file.
    head = text[: 64 * 1024].splitlines()[:20]
    lines = _Lines(limit)
    try:
        separator = sniff_separator([line for line in head if line.strip()])
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        for row in reader:
            # A cell past the cap is refused before it is stripped or copied: the csv module
            # itself stops at 128 KB (csv.field_size_limit), reported as a damaged file.
            for index, cell in enumerate(row):
                if len(cell) > MAX_CELL_CHARS:
                    raise _cell_too_long(reader.line_num, index)
            lines.add(reader.line_num, [unneutralise(cell.strip()) for cell in row])
            if lines.full:
                break
    except csv.Error as error:
        raise TableError(
            _("This CSV file is damaged: %(error)s") % {"error": error}, "damaged_csv"
        ) from error
    return lines.lines
