"""Text normalisation shared by the NLU components (no Rasa imports: unit-testable anywhere)."""

from __future__ import annotations

import re
import unicodedata

# Zero-width, bidi controls and other format characters carry no meaning for intent.
_FORMAT_CATEGORIES = {"Cf", "Cc", "Cs", "Co"}
_SPACES = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    return "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in _FORMAT_CATEGORIES
    )


def normalise_for_embedding(text: str) -> str:
    return _SPACES.sub(" ", strip_controls(unicodedata.normalize("NFC", text))).strip()


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: for matching phrases as people type them."""
    decomposed = unicodedata.normalize("NFKD", strip_controls(text).casefold())
    kept: list[str] = []
    base = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            # Accents on Latin letters are often left out on phones; in Indic and other
            # scripts the marks are vowels and must stay.
            if base and base < "\u0250":
                continue
        else:
            base = ch
        kept.append(ch)
    no_marks = unicodedata.normalize("NFC", "".join(kept))
    # Keep letters of every script and digits; everything else separates words.
    cleaned = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in no_marks)
    return _SPACES.sub(" ", cleaned).strip()
