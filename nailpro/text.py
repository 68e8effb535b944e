"""Text as search compares it."""

import unicodedata


def fold(text):
    """Fold case, accents and punctuation for search: 'N’Diaye Hélène' → 'ndiaye helene'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(kept.casefold().split())
