"""Languages told apart by their writing system, before any statistics.

A few letters settle it: Gurmukhi is Punjabi, Hangul is Korean, kana is Japanese, Han
characters alone are Chinese. Within a shared script, letters that only one language uses
decide (Ukrainian і ї є ґ; Persian پ چ ژ گ; Urdu ے ٹ ڈ ڑ; Vietnamese ơ ư ầ ộ). What stays
ambiguous returns None and the statistical detectors take over.
"""

from __future__ import annotations

import re
import unicodedata

from nlu.text import main_script, script_name

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
# Vietnamese: ơ, ư and the letters with a hook, a dot below or two marks ("gần", "được")
# are written in no other language the bot meets; ẹ and ọ are left out (Yoruba has them).
_VIETNAMESE_ONLY = (set("ơưƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}) - set("ẸẹỌọ")


# Arabizi: Arabic in Latin letters, with digits for the sounds Latin lacks (3 = ع, 7 = ح,
# 2 = ء, 5 = خ, 9 = ق/ص, 6 = ط, 8 = غ): "mar7aba", "ba3ref", "3ayez". Digits inside words
# are rare in other languages' texting except in codes (V5K 0A1), ordinals (3rd), times
# (7pm) and product names (mp3), which are excluded; two such words settle it.
_ARABIZI_WORD = re.compile(r"[a-z]+[235679][a-z]*|[235679][a-z]{2,}")
_NOT_ARABIZI = re.compile(
    r"\d+(st|nd|rd|th|am|pm|h|hr|hrs|min|km|kg|yo|yrs|x|g)|[a-z]\d[a-z]\d?[a-z]?\d?|.*\d\d.*"
)


def is_arabizi(text: str) -> bool:
    words = re.findall(r"[a-z0-9]+", text.lower())
    hits = [w for w in words if _ARABIZI_WORD.fullmatch(w) and not _NOT_ARABIZI.fullmatch(w)]
    return len(hits) >= 2


# The bot's languages by the script they are written in, where several languages share it
# and the letters alone cannot tell them apart ("фудбенк суррей", "دکتر خانواده").
SCRIPT_LANGUAGES = {
    "CYRILLIC": ("uk",),
    "ARABIC": ("ar", "fa", "prs"),
}


def script_language(text: str) -> str | None:
    """The language a text's letters alone identify, if they do."""
    text = unicodedata.normalize("NFC", text)  # some phones send "gần" as a + two marks
    main = main_script(text)
    if main is None:
        return None
    if main in _UNIQUE_SCRIPT:
        return _UNIQUE_SCRIPT[main]
    if main == "HAN":
        kana = any(script_name(ch) in ("HIRAGANA", "KATAKANA") for ch in text)
        return "ja" if kana else "zh"
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
    if main == "LATIN" and letters & _VIETNAMESE_ONLY:
        return "vi"
    if main == "LATIN" and is_arabizi(text):
        return "ar"
    return None
