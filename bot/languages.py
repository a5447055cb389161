"""The conversation languages (data in `bot/languages.yml`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nlu.text import fold

LANGUAGES_FILE = Path(__file__).resolve().parent / "languages.yml"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    dir: str
    names: tuple[str, ...]


@cache
def supported_languages() -> dict[str, Language]:
    data = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8")) or {}
    return {
        code: Language(
            code=code,
            name=str(entry["name"]),
            dir=str(entry.get("dir", "ltr")),
            names=tuple(fold(str(n)) for n in entry.get("names") or []),
        )
        for code, entry in data.items()
    }


def language_named(text: str) -> str | None:
    """The code of the language a short text names ("français", "English please"), if any."""
    folded = fold(text)
    if not folded:
        return None
    words = set(folded.split())
    for code, language in supported_languages().items():
        for name in language.names:
            if name == folded or (" " not in name and len(name) > 2 and name in words):
                return code
    return None


def direction(code: str) -> str:
    language = supported_languages().get(code)
    return language.dir if language else "ltr"
