"""The danger safety net against every training example, in every language."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from nlu.danger import load_lexicon, match_danger

NLU = Path(__file__).resolve().parents[2] / "bot" / "data" / "nlu"
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _examples() -> list[tuple[str, str, str]]:
    """(language, intent, text) of every training example."""
    rows = []
    for path in sorted(NLU.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- ") and block.get("intent"):
                    rows.append(
                        (path.stem, block["intent"], ANNOTATION.sub(r"\1", line.strip()[2:]))
                    )
    return rows


def test_no_ordinary_question_sets_off_the_emergency_answer() -> None:
    lexicon = load_lexicon()
    false_alarms = [
        (lang, text)
        for lang, intent, text in _examples()
        if intent != "emergency" and match_danger(lexicon, text)
    ]
    assert not false_alarms, false_alarms[:20]


def test_the_lexicon_alone_catches_most_emergency_examples_in_each_language() -> None:
    lexicon = load_lexicon()
    by_language: dict[str, list[bool]] = {}
    for lang, intent, text in _examples():
        if intent == "emergency":
            by_language.setdefault(lang, []).append(match_danger(lexicon, text) is not None)
    for lang, hits in by_language.items():
        # The intent classifier catches the rest; the lexicon is the net under it.
        assert sum(hits) / len(hits) >= 0.7, (lang, sum(hits), len(hits))


def test_and_or_so_joined_to_an_arabic_phrase_still_names_the_danger() -> None:
    lexicon = load_lexicon()
    # "my husband is drunk and holding a knife" (Moroccan), "and he hit me" (Levantine).
    assert match_danger(lexicon, "راجلي سكران وهاز جنوي دابا") == "violence"
    assert match_danger(lexicon, "جوزي فضربني قدام الولاد") == "violence"
    # Another letter joined in front is another word: no alarm.
    assert match_danger(lexicon, "بهاز جنوي") is None
