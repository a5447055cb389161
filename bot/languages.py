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
    decimal: str = "."
    time: str = "{h}:{m:02d}"
    time_on_the_hour: str = "{h}:00"
    am_pm: tuple[str, str] = ("", "")

    def format_time(self, hhmm: str) -> str:
        """ "17:30" as readers of this language write it ("5:30 pm", "17 h 30")."""
        hours, _, minutes = hhmm.partition(":")
        h, m = int(hours) % 24, int(minutes or 0)
        pattern = self.time_on_the_hour if m == 0 else self.time
        ampm = self.am_pm[0] if h < 12 else self.am_pm[1]
        return pattern.format(h=h, h12=(h % 12) or 12, m=m, ampm=ampm).strip()

    def format_decimal(self, value: float, digits: int = 1) -> str:
        return f"{value:.{digits}f}".replace(".", self.decimal)


@cache
def supported_languages() -> dict[str, Language]:
    data = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8")) or {}
    return {
        code: Language(
            code=code,
            name=str(entry["name"]),
            dir=str(entry.get("dir", "ltr")),
            names=tuple(fold(str(n)) for n in entry.get("names") or []),
            decimal=str(entry.get("decimal", ".")),
            time=str(entry.get("time", "{h}:{m:02d}")),
            time_on_the_hour=str(entry.get("time_on_the_hour", "{h}:00")),
            am_pm=tuple(entry.get("am_pm") or ("", "")),
        )
        for code, entry in data.items()
    }


LOCALES_DIR = LANGUAGES_FILE.parent / "locales"
NLU_DIR = LANGUAGES_FILE.parent / "data" / "nlu"


def available_languages() -> tuple[str, ...]:
    """Languages the bot can hold a conversation in: described, with texts and examples."""
    return tuple(
        code
        for code in supported_languages()
        if (LOCALES_DIR / f"{code}.yml").exists() and (NLU_DIR / f"{code}.yml").exists()
    )


def language_named(text: str, *, exact: bool = True) -> str | None:
    """The code of the language a text names ("français", "in English"), if any.

    `exact`: the whole message is the name (what the gateway checks before any NLU, so
    that "hindi po", Tagalog for "no", never switches to Hindi). Otherwise one word of it
    may be (for a message the NLU already understood as a request to change language).
    """
    folded = fold(text)
    if not folded:
        return None
    words = set(folded.split())
    for code, language in supported_languages().items():
        for name in language.names:
            if name == folded:
                return code
            if not exact and " " not in name and len(name) > 2 and name in words:
                return code
            # Names in other scripts may carry particles or sit in unspaced text:
            # "请用中文", "한국어로 해주세요", "به انگلیسی بنویس".
            if not exact and len(name) >= 2 and not any(ch.isascii() for ch in name):
                if name in folded:
                    return code
    return None


def language(code: str) -> Language:
    """The language, or English's conventions for a code we do not know."""
    known = supported_languages()
    return known.get(code) or known["en"]


def direction(code: str) -> str:
    language = supported_languages().get(code)
    return language.dir if language else "ltr"
