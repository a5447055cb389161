"""Text normalisation shared by the NLU components (no Rasa imports: unit-testable anywhere)."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

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


# Letters typed in several ways (keyboard, region, habit) that readers take as the same:
# Arabic-script hamza forms of alef, ta marbuta, alef maqsura, Persian/Arabic yeh and
# keheh; Latin letters with strokes that no decomposition removes (Vietnamese đ).
_LETTER_VARIANTS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ـ": None,
        "đ": "d",
        "ł": "l",
        "ø": "o",
    }
)
# Apostrophes join a word rather than split it: "can't" = "cant", "б'є" = "бʼє" = "бє".
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘ʼ`´", None))


def _drop_marks(base: str) -> bool:
    """Accents on Latin letters and Arabic vowel marks are optional; Indic marks are vowels."""
    return base < "\u0250" or "\u0600" <= base <= "\u06ff"


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: for matching phrases as people type them."""
    decomposed = (
        unicodedata.normalize("NFKD", strip_controls(text).casefold())
        .translate(_LETTER_VARIANTS)
        .translate(_APOSTROPHES)
    )
    kept: list[str] = []
    base = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            # Accents on Latin letters are often left out on phones; in Indic and other
            # scripts the marks are vowels and must stay.
            if base and _drop_marks(base):
                continue
        else:
            base = ch
        kept.append(ch)
    no_marks = unicodedata.normalize("NFC", "".join(kept))
    # Keep letters of every script and digits; everything else separates words.
    cleaned = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in no_marks)
    return _SPACES.sub(" ", cleaned).strip()


def script_name(ch: str) -> Optional[str]:
    """The Unicode script of a letter as its name begins ("ARABIC", "GURMUKHI"), HAN for
    Chinese characters."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    if name.startswith("CJK UNIFIED IDEOGRAPH") or name.startswith("CJK COMPATIBILITY IDEOGRAPH"):
        return "HAN"
    return name.split(" ")[0]


def main_script(text: str) -> Optional[str]:
    """The script of most of a text's letters; Latin only when it is the only one, since
    English words mixed in ("SIN ਨੰਬਰ") do not decide."""
    counts: dict[str, int] = {}
    for ch in unicodedata.normalize("NFC", text):
        if ch.isalpha():
            script = script_name(ch)
            if script:
                counts[script] = counts.get(script, 0) + 1
    if len(counts) > 1:
        counts.pop("LATIN", None)
    return max(counts, key=lambda s: counts[s]) if counts else None
