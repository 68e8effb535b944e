"""Text as search compares it."""

import re
import unicodedata

# Letters whose mark makes another letter rather than an accent: Russian й is not и (while ё
# is written е in most texts, so it folds like an accent).
KEPT_LETTERS = {"й": "\ue000", "Й": "\ue000"}
RESTORED_LETTERS = {"\ue000": "й"}


def fold(text):
    """Fold case, accents and punctuation for search: 'N’Diaye Hélène' → 'ndiaye helene',
    'Алёна' → 'алена'. Sorting by the folded text is alphabetical in Latin and in Cyrillic."""
    text = "".join(KEPT_LETTERS.get(c, c) for c in unicodedata.normalize("NFC", text or ""))
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        RESTORED_LETTERS.get(c, c)
        for c in decomposed
        if c.isalnum() or c.isspace() or c in RESTORED_LETTERS
    )
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
