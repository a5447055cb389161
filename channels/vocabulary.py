"""A language guess for short messages, learnt from the bot's own training examples.

pycld2 is excellent on sentences but says "unknown" (or Haitian Creole) for "bonjour" or
"je veux mourir". Words that newcomers actually write to this bot, counted per language
in `bot/data/nlu/<code>.yml`, settle most short messages: naive Bayes over known words.
Where no word is known ("psykholoh ukrainskoiu movoiu ye?", a spelling of its own), the
letters still tell: the same over character n-grams, for a first message only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import yaml

from nlu.char_ngrams import ngrams
from nlu.text import fold

NLU_DIR = Path(__file__).resolve().parent.parent / "bot" / "data" / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _examples(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts: list[str] = []
    for block in data.get("nlu") or []:
        examples = block.get("examples") or ""
        if isinstance(examples, str):
            for line in examples.splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ANNOTATION.sub(r"\1", line[2:]))
    return texts


# A word English examples never use counts as another language's only when that language's
# examples use it a few times: an English word that one code-mixed example happens to
# contain ("papers") does not make an English sentence Hindi.
MIN_BORROWING_SEEN = 3
# ...and they must be at least a quarter of the words.
BORROWED_SHARE = 4
# The n-gram guess must beat the runner-up by this much average log-likelihood per n-gram
# (measured over the held-out rounds 1-15: 8 first messages more in their language, none
# lost; with no margin, 8 of its 19 guesses were wrong).
LETTERS_MARGIN = 0.5
LETTERS_SMOOTHING = 0.1


class VocabularyDetector:
    def __init__(
        self, counts: dict[str, Counter[str]], letters: dict[str, Counter[str]] | None = None
    ) -> None:
        self._counts = counts
        self._totals = {lang: sum(c.values()) for lang, c in counts.items()}
        # How often each word occurs in all languages' examples; its keys are the vocabulary.
        self._seen: Counter[str] = Counter()
        for c in counts.values():
            self._seen.update(c)
        self._letters = letters or {}
        self._letter_totals = {lang: sum(c.values()) for lang, c in self._letters.items()}
        self._letter_vocabulary = set().union(*self._letters.values()) if self._letters else set()

    @classmethod
    def from_training_data(cls, directory: Path = NLU_DIR) -> VocabularyDetector:
        counts: dict[str, Counter[str]] = {}
        letters: dict[str, Counter[str]] = {}
        for path in sorted(directory.glob("*.yml")):
            texts = _examples(path)
            counts[path.stem] = Counter(w for text in texts for w in fold(text).split())
            letters[path.stem] = Counter(g for text in texts for g in ngrams(text))
        return cls(counts, letters)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._counts)

    def guess(
        self,
        text: str,
        *,
        min_known: int = 1,
        min_margin: float = 2.0,
        among: tuple[str, ...] | None = None,
    ) -> str | None:
        """The language whose examples explain the known words best, if clearly best;
        `among`: only these languages are candidates (those of the text's script)."""
        words = [w for w in fold(text).split() if w in self._seen and not w.isdigit()]
        if among is not None and len(among) == 1:
            # One candidate: it only has to know the words, there is no one to beat.
            counts = self._counts.get(among[0])
            known = [w for w in words if counts and counts[w]]
            return among[0] if counts and len(known) >= min_known else None
        return self._best(words, min_known, min_margin, among)

    def guess_borrowing(
        self, text: str, base: str, *, min_known: int = 2, min_margin: float = 2.0
    ) -> str | None:
        """The language of the words a `base`-language text does not explain, if they agree.

        Newcomers write their own language around English words ("free english classes
        kithe hundiyan abbotsford ch?"): a detector sees English, but the words English
        examples never use are the ones that tell.
        """
        known = self._counts.get(base)
        if known is None:
            return None
        every = [w for w in fold(text).split() if not w.isdigit()]
        words = [w for w in every if not known[w] and self._seen[w] >= MIN_BORROWING_SEEN]
        # Two words our English examples happen to lack ("be", a bridge's name) do not
        # make a long English sentence another language.
        if len(words) * BORROWED_SHARE < len(every):
            return None
        return self._best(words, min_known, min_margin)

    def _best(
        self,
        words: list[str],
        min_known: int,
        min_margin: float,
        among: tuple[str, ...] | None = None,
    ) -> str | None:
        candidates = {
            lang: counts for lang, counts in self._counts.items() if among is None or lang in among
        }
        if len(words) < min_known or len(candidates) < 2:
            return None
        size = len(self._seen)
        scores = {
            lang: sum(
                math.log((counts[w] + 0.5) / (self._totals[lang] + 0.5 * size)) for w in words
            )
            for lang, counts in candidates.items()
        }
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        best, second = ranked[0], ranked[1]
        return best[0] if best[1] - second[1] >= min_margin else None

    def guess_by_letters(
        self, text: str, among: tuple[str, ...], *, min_margin: float = LETTERS_MARGIN
    ) -> str | None:
        """The language whose examples' character n-grams explain the text best, if clearly
        best: for words no example contains ("ukrainskoiu", "chejoori")."""
        grams = [g for g in ngrams(text) if g in self._letter_vocabulary]
        candidates = [lang for lang in among if lang in self._letters]
        if not grams or len(candidates) < 2:
            return None
        size = len(self._letter_vocabulary)
        scores = sorted(
            (
                sum(
                    math.log(
                        (self._letters[lang][g] + LETTERS_SMOOTHING)
                        / (self._letter_totals[lang] + LETTERS_SMOOTHING * size)
                    )
                    for g in grams
                )
                / len(grams),
                lang,
            )
            for lang in candidates
        )
        (second, _), (best, language) = scores[-2], scores[-1]
        return language if best - second >= min_margin else None
