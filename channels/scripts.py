"""Languages told apart by their writing system, before any statistics.

A few letters settle it: Gurmukhi is Punjabi, Hangul is Korean, kana is Japanese, Han
characters alone are Chinese. Within a shared script, letters that only one language uses
decide (Ukrainian і ї є ґ; Persian پ چ ژ گ; Urdu ے ٹ ڈ ڑ). What stays ambiguous returns
None and the statistical detectors take over.
"""

from __future__ import annotations

import unicodedata

_UNIQUE_SCRIPT = {
    "GURMUKHI": "pa",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "THAI": "th",
    "ETHIOPIC": "am",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "TAMIL": "ta",
    "BENGALI": "bn",
    "GUJARATI": "gu",
    "KHMER": "km",
}
_URDU_ONLY = set("ےٹڈڑںھۓ")
_PERSIAN_OR_URDU = set("پچژگکی")
_ARABIC_ONLY = set("ةىيك")
_UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
_RUSSIAN_ONLY = set("ыэъёЫЭЪЁ")


def _script(ch: str) -> str | None:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    if name.startswith("CJK UNIFIED IDEOGRAPH") or name.startswith("CJK COMPATIBILITY IDEOGRAPH"):
        return "HAN"
    return name.split(" ")[0]


def script_language(text: str) -> str | None:
    """The language a text's letters alone identify, if they do."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            if script:
                counts[script] = counts.get(script, 0) + 1
    if len(counts) > 1:
        counts.pop("LATIN", None)  # English words mixed in ("SIN ਨੰਬਰ") do not decide
    if not counts:
        return None
    main = max(counts, key=lambda s: counts[s])
    if main in _UNIQUE_SCRIPT:
        return _UNIQUE_SCRIPT[main]
    if main == "HAN":
        return "ja" if counts.get("HIRAGANA") or counts.get("KATAKANA") else "zh"
    letters = set(text)
    if main == "ARABIC":
        if letters & _URDU_ONLY:
            return "ur"
        if letters & _PERSIAN_OR_URDU and not letters & _ARABIC_ONLY:
            return "fa"
        if letters & _ARABIC_ONLY and not letters & _PERSIAN_OR_URDU:
            return "ar"
        return None
    if main == "CYRILLIC":
        if letters & _UKRAINIAN_ONLY:
            return "uk"
        if letters & _RUSSIAN_ONLY:
            return "ru"
        return None
    if main == "DEVANAGARI":
        return "hi"
    return None
