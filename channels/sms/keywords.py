"""SMS keywords (STOP, START, HELP, MORE) in every language, as whole messages.

Matching folds case, accents and spacing the way people type on a basic phone ("arret" =
"ARRÊT", "xem them" = "XEM THÊM"). English keywords are always on, whatever the
conversation's language; they are also the ones Twilio itself acts on (it blocks a number
after STOP and answers it), which is why the reply to an English STOP is left to Twilio.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nlu.text import fold

STOP, START, HELP, MORE = "stop", "start", "help", "more"
KINDS = (STOP, START, HELP, MORE)
ENGLISH = "en"
_BARE_NUMBER = re.compile(r"^\s*#?\s*(\d{1,2})\s*[.)]?\s*$")
_TRAILING = re.compile(r"[\s.!?¡¿。！？،؟]+$")


@dataclass(frozen=True)
class Keyword:
    kind: str  # stop | start | help | more
    languages: tuple[str, ...]  # the languages this word belongs to, English first

    @property
    def english(self) -> bool:
        return ENGLISH in self.languages

    def language(self, conversation_language: str | None) -> str:
        """The language to answer in: the conversation's when the word is one of its
        own (or English, which everyone may use), else the word's language."""
        if conversation_language and (conversation_language in self.languages or self.english):
            return conversation_language
        return self.languages[0]


def _key(text: str) -> str:
    return _TRAILING.sub("", fold(text)).replace(" ", "")


class Keywords:
    def __init__(self, table: Mapping[str, Mapping[str, Any]]) -> None:
        """`table`: {language: {kind: [words]}} as in `bot/locales/channels/<code>.yml`."""
        found: dict[str, dict[str, list[str]]] = {}
        for language in sorted(table, key=lambda code: code != ENGLISH):
            for kind in KINDS:
                for word in table[language].get(kind) or []:
                    langs = found.setdefault(_key(str(word)), {}).setdefault(kind, [])
                    if language not in langs:
                        langs.append(language)
        # A word that is a keyword of two kinds in two languages would be ambiguous;
        # the first kind in KINDS order wins (STOP before anything else: safe side).
        self._words: dict[str, Keyword] = {}
        for key, kinds in found.items():
            kind = next(k for k in KINDS if k in kinds)
            self._words[key] = Keyword(kind, tuple(kinds[kind]))

    @classmethod
    def load(cls) -> Keywords:
        from bot.locales_build import load_locale_data

        return cls(load_locale_data("sms_keywords"))

    def match(self, text: str) -> Keyword | None:
        key = _key(text)
        return self._words.get(key) if key else None


def bare_number(text: str) -> int | None:
    """ "2", " 2.", "#2" → 2: a choice from the previous answer's numbered lines."""
    found = _BARE_NUMBER.match(text)
    return int(found.group(1)) if found else None
