"""Text as search compares it."""

import re
import unicodedata


def fold(text):
    """Fold case, accents and punctuation for search: 'N’Diaye Hélène' → 'ndiaye helene'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(kept.casefold().split())


# C0 controls but tab, line feed and carriage return; DEL; C1 controls; the two non-characters
# XML refuses; lone surrogates. Excel's XML and CSV readers choke on these, and nobody types them:
# they come pasted from Word (vertical tab for a line break), a terminal (ESC) or a damaged file.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
PAGE_BREAKS = re.compile("[\x0b\x0c]")


def clean_text(text):
    """Strip the control characters that no form, spreadsheet or CSV reader should hold.

    Word's line break (vertical tab) and a form feed become a space so pasted words stay apart.
    """
    if not isinstance(text, str):
        return text
    return CONTROL_CHARACTERS.sub("", PAGE_BREAKS.sub(" ", text))
