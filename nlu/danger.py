"""Danger phrases (bot/lexicons/emergency/<language>.yml) matched on folded text.

No Rasa imports: the gateway uses the same lexicon when Rasa cannot answer."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Dict, List, Optional, Pattern

import yaml

from nlu.text import fold

LEXICON = Path(__file__).resolve().parent.parent / "bot" / "lexicons" / "emergency"


# Indic letters and vowel signs: Python's \w misses the signs, so add the whole blocks.
_WORD = r"[\w\u0900-\u0dff]"


def _unspaced(phrase: str) -> bool:
    """Chinese, Japanese, Thai: written without spaces, so matched anywhere."""
    return any(
        unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI"))
        for ch in phrase
    )


def _hangul(phrase: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("HANGUL") for ch in phrase)


def _arabic_script(phrase: str) -> bool:
    return unicodedata.name(phrase[0], "").startswith("ARABIC")


# "and" / "so" are written joined to the next word in Arabic ("وهاز جنوي", "فضربني"): a
# phrase in Arabic script also matches with one of them in front.
_ARABIC_PREFIX = "[\u0648\u0641]?"


def compile_lexicon(data: Dict[str, Dict[str, List[str]]]) -> Dict[str, Pattern[str]]:
    """One regular expression per danger kind, over all languages: whole words, except in
    scripts written without spaces (自杀 inside 我想自杀了)."""
    phrases: Dict[str, List[str]] = {}
    for kinds in data.values():
        for kind, items in (kinds or {}).items():
            phrases.setdefault(kind, []).extend(fold(p) for p in items or [] if fold(p))
    patterns: Dict[str, Pattern[str]] = {}
    for kind, found in phrases.items():
        ordered = sorted(set(found), key=len, reverse=True)
        spaced = [
            re.escape(p)
            for p in ordered
            if not _unspaced(p) and not _hangul(p) and not _arabic_script(p)
        ]
        arabic = [re.escape(p) for p in ordered if _arabic_script(p)]
        # Korean: endings and particles attach after, and phones often drop the spaces
        # ("나죽고싶어"): matched anywhere, with or without the spaces.
        hangul = [r"\s*".join(re.escape(w) for w in p.split()) for p in ordered if _hangul(p)]
        unspaced = [re.escape(p) for p in ordered if _unspaced(p)]
        parts = []
        if spaced:
            parts.append(rf"(?<!{_WORD})(?:{'|'.join(spaced)})(?!{_WORD})")
        if arabic:
            parts.append(rf"(?<!{_WORD}){_ARABIC_PREFIX}(?:{'|'.join(arabic)})(?!{_WORD})")
        if hangul:
            parts.append(f"(?:{'|'.join(hangul)})")
        if unspaced:
            parts.append(f"(?:{'|'.join(unspaced)})")
        if parts:
            patterns[kind] = re.compile("|".join(parts))
    return patterns


def load_lexicon(path: Path = LEXICON) -> Dict[str, Pattern[str]]:
    """A lexicon file, or a folder of them (one per language)."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    data: Dict[str, Dict[str, List[str]]] = {}
    for file in files:
        data.update(yaml.safe_load(file.read_text(encoding="utf-8")) or {})
    return compile_lexicon(data)


def match_danger(patterns: Dict[str, Pattern[str]], text: str) -> Optional[str]:
    """The kind of danger a message names (suicide, violence, fire, stroke...), if any."""
    folded = fold(text)
    for kind, pattern in patterns.items():
        if pattern.search(folded):
            return kind
    return None
