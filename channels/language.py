"""Which language a conversation is in: explicit choice > confident detection > hint > last."""

from __future__ import annotations

from dataclasses import dataclass

import pycld2

from bot.languages import language_named
from channels.scripts import SCRIPT_LANGUAGES, script_language
from channels.vocabulary import VocabularyDetector
from nlu.text import main_script

# Fewer letters than this and a detector guesses ("ok", "SIN?", "1"): never flip on it.
MIN_LETTERS = 12
MIN_WORDS = 2
# A first message this short is judged by our own examples when pycld2 calls it English.
SHORT_WORDS = 6


@dataclass(frozen=True)
class Decision:
    code: str
    source: str  # explicit | named | detected | hint | remembered | default
    is_choice: bool = False  # remember as the user's preference
    # What the message itself is written in, when known, even if the bot does not speak it.
    written_in: str | None = None


def _cld2(text: str, *, best_effort: bool) -> str | None:
    try:
        reliable, _, details = pycld2.detect(text, bestEffort=best_effort)
    except pycld2.error:
        return None
    return str(details[0][1]).split("-")[0] if reliable else None


def written_language(text: str) -> str | None:
    """The language a message is written in, supported or not, when clear enough."""
    by_script = script_language(text)
    if by_script is not None:
        return by_script
    if sum(ch.isalpha() for ch in text) >= MIN_LETTERS and len(text.split()) >= MIN_WORDS:
        # pycld2 is cautious with Cyrillic or Latin-script languages it sees rarely; its
        # best effort is good enough to offer a translation next to the answer.
        return _cld2(text, best_effort=False) or _cld2(text, best_effort=True)
    return None


def detect(
    text: str,
    supported: tuple[str, ...],
    vocabulary: VocabularyDetector | None = None,
    *,
    new_conversation: bool = False,
) -> str | None:
    """A confident guess of the message's language among the supported ones, else None.

    In a conversation that already has a language only clear sentences count, so that
    "ok", "SIN?" or "1" never flip it. A first message may be short ("bonjour"): then
    the bot's own vocabulary and pycld2's best effort decide.
    """
    by_script = script_language(text)
    if by_script is not None:
        return by_script if by_script in supported else None
    letters = sum(ch.isalpha() for ch in text)
    # Cyrillic or Arabic letters: only the languages written that way are candidates
    # (pycld2 calls short Ukrainian Russian or Serbian, and English words around it English;
    # Russian letters ы э ъ ё were told apart above).
    sentence = letters >= MIN_LETTERS and len(text.split()) >= MIN_WORDS
    sharing = tuple(c for c in SCRIPT_LANGUAGES.get(main_script(text) or "", ()) if c in supported)
    if sharing and vocabulary is not None:
        code = _cld2(text, best_effort=False) if sentence else None
        if code in sharing:
            return code
        guess = vocabulary.guess(text, among=sharing, min_known=1 if new_conversation else 3)
        if guess is None and new_conversation and letters >= 4:
            guess = _cld2(text, best_effort=True)
        return guess if guess in sharing else None
    if sentence:
        code = _cld2(text, best_effort=False)
        if code in supported:
            # Code-mixed messages ("gusto ko i-improve english ko para sa work") look
            # English to pycld2; the bot's own examples, which are code-mixed the same
            # way, know better when they clearly disagree.
            mixed = vocabulary.guess(text, min_known=2, min_margin=6.0) if vocabulary else None
            if mixed in supported and mixed != code:
                return mixed
            # A first message of a few words: pycld2 judges from English place names and
            # loanwords ("inscription garderie Burnaby" is English to it);
            # where our words and our letters both name another language, they decide.
            if vocabulary and new_conversation and len(text.split()) <= SHORT_WORDS:
                words = vocabulary.guess(text, min_known=1)
                if words in supported and words != code:
                    if vocabulary.guess_by_letters(text, supported) == words:
                        return words
            # Only English is borrowed from this way; a French text with two English words
            # stays French.
            borrowing = (
                vocabulary.guess_borrowing(text, "en") if vocabulary and code == "en" else None
            )
            return borrowing if borrowing in supported else code
    if vocabulary is not None:
        guess = vocabulary.guess(text, min_known=1 if new_conversation else 3)
        if guess in supported:
            return guess
    if new_conversation and letters >= 4:
        code = _cld2(text, best_effort=True)
        if code in supported:
            return code
        # A first message in a spelling of its own (romanised Ukrainian or Farsi, "Salut"):
        # the letters of our examples, rather than English by default.
        return vocabulary.guess_by_letters(text, supported) if vocabulary else None
    return None


def decide(
    text: str,
    *,
    supported: tuple[str, ...],
    requested: str | None,
    preference: str | None,
    last: str | None,
    hint: str | None = None,
    default: str = "en",
    vocabulary: VocabularyDetector | None = None,
) -> Decision:
    written = written_language(text)
    decision = _decide(text, supported, requested, preference, last, hint, default, vocabulary)
    if written and written != decision.code:
        return Decision(decision.code, decision.source, decision.is_choice, written)
    return decision


def _decide(
    text: str,
    supported: tuple[str, ...],
    requested: str | None,
    preference: str | None,
    last: str | None,
    hint: str | None,
    default: str,
    vocabulary: VocabularyDetector | None,
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
    detected = detect(text, supported, vocabulary, new_conversation=last is None)
    if detected:
        return Decision(detected, "detected")
    hinted = (hint or "").split("-")[0].lower()
    if hinted in supported:
        return Decision(hinted, "hint")
    if last in supported:
        assert last is not None
        return Decision(last, "remembered")
    return Decision(default, "default")
