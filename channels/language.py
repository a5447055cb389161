"""Which language a conversation is in: explicit choice > confident detection > hint > last."""

from __future__ import annotations

from dataclasses import dataclass

import pycld2

from bot.languages import language_named

# Fewer letters than this and a detector guesses ("ok", "SIN?", "1"): never flip on it.
MIN_LETTERS = 12
MIN_WORDS = 2


@dataclass(frozen=True)
class Decision:
    code: str
    source: str  # explicit | named | detected | hint | remembered | default
    is_choice: bool = False  # remember as the user's preference


def detect(text: str, supported: tuple[str, ...]) -> str | None:
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS or len(text.split()) < MIN_WORDS:
        return None
    try:
        reliable, _, details = pycld2.detect(text, bestEffort=False)
    except pycld2.error:
        return None
    if not reliable:
        return None
    code = str(details[0][1]).split("-")[0]
    return code if code in supported else None


def decide(
    text: str,
    *,
    supported: tuple[str, ...],
    requested: str | None,
    preference: str | None,
    last: str | None,
    hint: str | None = None,
    default: str = "en",
) -> Decision:
    if requested and requested in supported:
        return Decision(requested, "explicit", is_choice=True)
    if len(text.split()) <= 3:
        named = language_named(text)
        if named in supported:
            return Decision(named, "named", is_choice=True)
    if preference in supported:
        assert preference is not None
        return Decision(preference, "remembered")
    detected = detect(text, supported)
    if detected:
        return Decision(detected, "detected")
    hinted = (hint or "").split("-")[0].lower()
    if hinted in supported:
        return Decision(hinted, "hint")
    if last in supported:
        assert last is not None
        return Decision(last, "remembered")
    return Decision(default, "default")
