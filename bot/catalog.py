"""The bot's wording: responses with one variation per language (from `bot/locales/`).

The English variation has no condition (Rasa's fallback); every other language has a
`language` slot condition. Actions and the gateway render text through this class so that
no user-facing sentence lives in Python.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.locales_build import LOCALES_DIR, load_locales, rasa_responses

FALLBACK_LANGUAGE = "en"


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _language_of(variation: Mapping[str, Any]) -> str | None:
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return str(condition.get("value"))
    return None


class Catalog:
    """Looks up a response's text and buttons in a language, falling back to English."""

    def __init__(self, responses: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        self._by_language: dict[str, dict[str | None, Mapping[str, Any]]] = {}
        for name, variations in responses.items():
            table: dict[str | None, Mapping[str, Any]] = {}
            for variation in variations or []:
                table.setdefault(_language_of(variation), variation)
            self._by_language[name] = table

    @classmethod
    def from_domain(cls, domain: Mapping[str, Any]) -> Catalog:
        return cls(domain.get("responses") or {})

    @classmethod
    def from_files(cls, directory: Path = LOCALES_DIR) -> Catalog:
        """The catalog straight from `bot/locales/` (what the domain is built from)."""
        return cls(rasa_responses(load_locales(directory)))

    def __contains__(self, name: str) -> bool:
        return name in self._by_language

    def languages(self, name: str) -> set[str]:
        table = self._by_language.get(name, {})
        return {lang or FALLBACK_LANGUAGE for lang in table}

    def variation(self, name: str, language: str) -> Mapping[str, Any]:
        table = self._by_language.get(name)
        if not table:
            raise KeyError(f"no response named {name!r}")
        found = table.get(language) or table.get(None) or next(iter(table.values()))
        return found

    def text(self, name: str, language: str, **values: Any) -> str:
        template = str(self.variation(name, language).get("text") or "")
        return string.Formatter().vformat(template, (), _Blank(values)).strip()

    def buttons(self, name: str, language: str) -> list[dict[str, str]]:
        return [
            {"title": str(b["title"]), "payload": str(b["payload"])}
            for b in self.variation(name, language).get("buttons") or []
        ]
