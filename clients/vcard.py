"""Reading the contacts a phone exports (.vcf: vCard 2.1, 3.0, 4.0) as a table for the import.

Each card becomes one row of fixed columns, named by the import's field names, so the import
needs no column chosen by hand and goes through the same checks, preview, duplicate search and
report as a spreadsheet. The parsing itself is vobject's; this module only cuts the file into
cards (so one broken card is refused alone, on its own line) and leaves out the pictures
(PHOTO, LOGO, SOUND, KEY) before parsing, so their base64 is never decoded.
"""

import io
import re

from django.utils.translation import gettext as _

from nailpro.tabular import MAX_ROWS, MAX_UPLOAD_BYTES, Table, TableError, decode

# The columns of every card, as import field names; several values in one cell are joined
# with " ::: ", as Google Contacts writes them.
COLUMNS = [
    "first_name",
    "last_name",
    "middle_name",
    "phone",
    "phone2",
    "other_phone",
    "email",
    "other_email",
    "birth_date",
    "street",
    "postal_code",
    "city",
    "access_notes",
    "notes",
]
SEPARATOR = " ::: "
# Properties holding files (a contact's photo can be megabytes of base64): never parsed.
SKIPPED = {"PHOTO", "LOGO", "SOUND", "KEY"}
# Which phone comes first: the one she marked as preferred, then the mobile, then home.
PHONE_RANKS = {"pref": 0, "cell": 1, "mobile": 1, "iphone": 1, "home": 2, "main": 2, "voice": 3}
NOT_PHONES = {"fax", "pager"}
ADDRESS_RANKS = {"pref": 0, "home": 1}
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?([\w-]+)", re.ASCII)
_SPLIT = re.compile(r"(?<!\\);")
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "N": "\n"}


class RefusedCard(list):
    """The empty cells of a card that could not be read, with the reason, for the report."""

    def __init__(self, width, refusal):
        super().__init__([""] * width)
        self.refusal = refusal


def is_vcard(data, name=""):
    """Return whether an upload is a contacts file rather than a table."""
    if name.lower().endswith((".vcf", ".vcard")):
        return True
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return start.startswith(b"BEGIN:VCARD")


def read_vcards(data):
    """Return a Table of the cards in a .vcf file: one row per card, on the line it begins.

    Raise TableError when the file holds no card at all.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is larger than 5 MB: split it in smaller files."))
    rows = []
    for line, card in _cards(decode(data).splitlines()):
        if len(rows) >= MAX_ROWS:
            raise TableError(
                _("The file has more than %(count)s lines: split it in smaller files.")
                % {"count": MAX_ROWS}
            )
        rows.append((line, _row(line, card)))
    if not rows:
        raise TableError(
            _("No contact found in this file: export your contacts as a .vcf file and try again.")
        )
    return Table(headers=list(COLUMNS), rows=rows)


def _cards(lines):
    """Yield (line number of BEGIN, text of the card) with its pictures left out."""
    card, start, skipping = None, 0, False
    for number, line in enumerate(lines, start=1):
        if skipping:
            # A picture's base64 goes on in folded lines (vCard 2.1 ends it with a blank one).
            if line[:1] in (" ", "\t") or not line.strip():
                continue
            skipping = False
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if card is not None:  # a card never ended: refuse it, read the next
                yield start, None
            card, start = [line.strip()], number
            continue
        if card is None:
            continue
        if upper == "END:VCARD":
            card.append(line.strip())
            yield start, "\r\n".join(card) + "\r\n"
            card = None
            continue
        match = _PROPERTY.match(line)
        if match and line[:1] not in (" ", "\t") and match.group(1).upper() in SKIPPED:
            skipping = True
            continue
        card.append(line)
    if card is not None:
        yield start, None


def _row(start, text):
    """Return the cells of one card, or a refused row saying why it cannot be read."""
    if text is None:
        return RefusedCard(len(COLUMNS), _("This contact card is cut short (no END:VCARD)."))
    from vobject.base import getLogicalLines, textLineToContentLine  # imports only (~5 MB)

    contents = {}
    # vobject's own lines (unfolding, quoted-printable, charsets, parameters), not its card
    # objects: their text values keep only what comes before the first comma, and vCard 2.1
    # (Android) does not escape commas.
    for line, number in getLogicalLines(io.StringIO(text), allowQP=True):
        try:
            prop = textLineToContentLine(line, number)
        except Exception:  # vobject raises many kinds on a damaged line
            return RefusedCard(
                len(COLUMNS),
                _("This contact card cannot be read (line %(line)s of the file).")
                % {"line": start + number - 1},
            )
        contents.setdefault(prop.name.lower(), []).append(prop)
    cells = _cells(contents)
    return [cells.get(column, "") for column in COLUMNS]


def _cells(contents):
    cells = {}
    cells["first_name"], cells["last_name"], cells["middle_name"] = _name(contents)

    phones = _ranked(contents.get("tel", []), PHONE_RANKS, excluded=NOT_PHONES)
    phones = [_phone(tel.value) for tel in phones if _phone(tel.value)]
    cells["phone"] = phones[0] if phones else ""
    cells["phone2"] = phones[1] if len(phones) > 1 else ""
    cells["other_phone"] = SEPARATOR.join(phones[2:])

    emails = _ranked(contents.get("email", []), {"pref": 0})
    emails = [_text(email.value) for email in emails if _text(email.value)]
    cells["email"] = emails[0] if emails else ""
    cells["other_email"] = SEPARATOR.join(emails[1:])

    cells["birth_date"] = _birthday(contents.get("bday", []))

    addresses = _ranked(contents.get("adr", []), ADDRESS_RANKS)
    if addresses:
        parts = _parts(addresses[0].value, 7)  # box, extended, street, city, region, code, country
        cells["street"] = parts[2]
        cells["access_notes"] = parts[1]  # "extended address": building, floor, flat
        cells["city"] = parts[3]
        cells["postal_code"] = parts[5]

    notes = [_text(note.value) for note in contents.get("note", [])]
    cells["notes"] = "\n".join(note for note in notes if note)
    return cells


def _name(contents):
    """Return (given, family, additional) from N, else from FN cut at its first space (a phone
    in Russian keeps the patronymic as the additional name)."""
    for prop in contents.get("n", []):
        family, given, additional = _parts(prop.value, 3)
        if given or family:
            return given, family, additional
    for prop in contents.get("fn", []):
        given, _space, family = _text(prop.value).partition(" ")
        return given, family.strip(), ""
    return "", "", ""


def _ranked(props, ranks, excluded=()):
    """Return the properties best first by their TYPE (file order among equals)."""
    kept = []
    for index, prop in enumerate(props):
        types = _types(prop)
        if types & set(excluded):
            continue
        rank = min((ranks[kind] for kind in types if kind in ranks), default=len(ranks) + 5)
        if "PREF" in prop.params and "pref" not in types:  # vCard 4: PREF=1
            rank = 0
        kept.append((rank, index, prop))
    return [prop for _rank, _index, prop in sorted(kept, key=lambda item: item[:2])]


def _types(prop):
    """Return the lowercase TYPE values of a property: TYPE=a,b, type=a;type=b or 2.1's bare a."""
    values = list(prop.params.get("TYPE", [])) + list(prop.singletonparams)
    return {kind.strip().lower() for value in values for kind in str(value).split(",")}


def _phone(value):
    """Return a phone number as written, without vCard 4's "tel:" prefix."""
    text = _text(value)
    return text[4:].strip() if text.lower().startswith("tel:") else text


def _birthday(props):
    """Return BDAY as text the import reads; a year the iPhone marks as omitted is left out."""
    for prop in props:
        value = _text(prop.value)
        omitted = prop.params.get("X-APPLE-OMIT-YEAR", [""])[0]
        if omitted and value.startswith(omitted):
            value = "--" + value[len(omitted) :].lstrip("-")
        if value:
            return value
    return ""


def _parts(value, count):
    """Return `count` components of a structured value ("family;given;…" text)."""
    parts = [_text(part) for part in _SPLIT.split(str(value or ""))]
    return (parts + [""] * count)[:count]


def _text(value):
    """Return a raw property value as one stripped text, its escapes (\\n, \\,) undone."""
    return _ESCAPE.sub(
        lambda match: _UNESCAPED.get(match.group(1), match.group(1)), value or ""
    ).strip()
