"""The catalogs of every language of the app are complete, compiled, and cover every string in
the code."""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"


def read_po(path):
    """Return {msgid: [msgstr, ...]} and the set of fuzzy msgids of a .po file; a msgid with a
    context is keyed as gettext keys it, "context\x04msgid"."""
    entries, fuzzy = {}, set()
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, current, is_fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                is_fuzzy = True
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            strings = [v for k, v in fields.items() if k.startswith("msgstr")]
            key = fields["msgid"]
            if "msgctxt" in fields:
                key = f"{fields['msgctxt']}\x04{key}"
            entries[key] = strings
            if is_fuzzy:
                fuzzy.add(key)
    return entries, fuzzy


LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_translates_every_string(language):
    """Every msgid translated, none fuzzy. The msgids are English: an empty English entry
    shows its msgid, which is the English text."""
    entries, fuzzy = read_po(LOCALE / language / "LC_MESSAGES/django.po")
    source = language == "en"
    untranslated = [msgid for msgid, strings in entries.items() if not all(strings) and not source]
    assert entries
    assert untranslated == []
    assert fuzzy == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_its_source(language):
    """The committed .mo is compiled from the committed .po: no gettext tools needed to run."""
    po, _ = read_po(LOCALE / language / "LC_MESSAGES/django.po")
    with (LOCALE / language / "LC_MESSAGES/django.mo").open("rb") as mo_file:
        catalog = gettext.GNUTranslations(mo_file)._catalog
    stale = [
        msgid
        for msgid, strings in po.items()
        if strings[0] and catalog.get(msgid, catalog.get((msgid.split("\x00")[0], 0))) is None
    ]
    assert stale == [], "run `make messages`"


def test_the_catalogs_cover_every_string_in_the_code(tmp_path):
    """No string of a template or of the code escapes translation, in any language."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed on this machine")
    copy = tmp_path / "nailpro"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "media", "staticfiles", "*.sqlite3"),
    )
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *[argument for code in LANGUAGES for argument in ("--locale", code)],
            "--ignore",
            "tests/*",
            "--no-obsolete",
        ],
        cwd=copy,
        env={
            "DJANGO_DEBUG": "1",
            "PATH": "/usr/bin:/bin",
            "FIELD_ENCRYPTION_KEYS": os.environ["FIELD_ENCRYPTION_KEYS"],
        },
        check=True,
        capture_output=True,
    )
    missing = {}
    for language in LANGUAGES:
        committed, _ = read_po(LOCALE / language / "LC_MESSAGES/django.po")
        extracted, _ = read_po(copy / "locale" / language / "LC_MESSAGES/django.po")
        missing[language] = sorted(set(extracted) - set(committed))
    assert missing == {language: [] for language in LANGUAGES}, "run `make messages`"
