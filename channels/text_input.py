"""What a user typed, made safe to process: never crash on what a phone or a script sends."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum


class Problem(Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class CleanText:
    text: str
    problem: Problem | None = None


# Bidi overrides/isolates and other invisible format characters can disguise text; line
# breaks and tabs become spaces. Letters, marks, digits, punctuation, symbols stay.
def _keep(ch: str) -> bool:
    return unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean_text(raw: str, max_chars: int) -> CleanText:
    text = "".join(ch if _keep(ch) else (" " if ch in "\n\r\t" else "") for ch in raw)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if not text:
        return CleanText("", Problem.EMPTY)
    if len(text) > max_chars:
        return CleanText(text[:max_chars], Problem.TOO_LONG)
    return CleanText(text)


def decode_body(raw: bytes) -> str | None:
    """UTF-8 text of a request body, or None when it is not valid UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
