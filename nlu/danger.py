"""Danger phrases (bot/lexicons/emergency/<language>.yml) matched on folded text.

No Rasa imports: the gateway uses the same lexicon when Rasa cannot answer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Optional, Pattern

import yaml

from nlu.text import fold

LEXICON = Path(__file__).resolve().parent.parent / "bot" / "lexicons" / "emergency"


def compile_lexicon(data: Dict[str, Dict[str, List[str]]]) -> Dict[str, Pattern[str]]:
    """One regular expression per danger kind, over all languages."""
    phrases: Dict[str, List[str]] = {}
    for kinds in data.values():
        for kind, items in (kinds or {}).items():
            phrases.setdefault(kind, []).extend(fold(p) for p in items or [] if fold(p))
    return {
        kind: re.compile(
            r"(?<!\w)(?:"
            + "|".join(re.escape(p) for p in sorted(set(ps), key=len, reverse=True))
            + r")(?!\w)"
        )
        for kind, ps in phrases.items()
        if ps
    }


def load_lexicon(path: Path = LEXICON) -> Dict[str, Pattern[str]]:
    """A lexicon file, or a folder of them (one per language)."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    data: Dict[str, Dict[str, List[str]]] = {}
    for file in files:
        data.update(yaml.safe_load(file.read_text(encoding="utf-8")) or {})
    return compile_lexicon(data)


def match_danger(patterns: Dict[str, Pattern[str]], text: str) -> Optional[str]:
    """The kind of danger a message names (suicide, violence, overdose, medical), if any."""
    folded = fold(text)
    for kind, pattern in patterns.items():
        if pattern.search(folded):
            return kind
    return None
