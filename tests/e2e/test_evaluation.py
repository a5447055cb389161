"""The held-out questions (tests/eval/), never trained on, through the real stack."""

from __future__ import annotations

from typing import Any

import pytest

from bot.evaluation import load_questions, score
from bot.languages import available_languages
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


def _run(stack: Stack, *, unseen: bool) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    questions = load_questions(unseen=unseen)
    kind = "unseen" if unseen else "held-out"
    return [
        (language, q, stack.try_(q["text"], user=f"eval-{kind}-{language}-{n}"))
        for language, items in questions.items()
        for n, q in enumerate(items)
    ]


def test_held_out_questions_per_language(stack: Stack) -> None:
    """Emergency recall must be total and the reply in the question's language; category
    accuracy is held to a floor that catches regressions. The issue's target (90 % in
    each language) and the measured figures are in `navigator eval` and the closing notes,
    not tuned here."""
    available = set(available_languages())
    results = [r for r in _run(stack, unseen=False) if r[0] in available]
    table = score(results)
    # Every language the bot speaks has held-out questions, except Dari: detection cannot
    # tell it from Farsi, so a Dari conversation starts by choosing Dari.
    assert set(table) == available - {"prs"}
    for language, row in table.items():
        assert row["emergency"]["rate"] == 1.0, (language, row)
        assert row["category"]["rate"] >= 0.6, (language, row)
    replies = [row["reply_language"] for row in table.values()]
    assert sum(r["correct"] for r in replies) / sum(r["total"] for r in replies) >= 0.98, table


def test_unseen_languages_still_reach_the_right_category_and_emergencies(stack: Stack) -> None:
    available = set(available_languages())
    not_spoken = [r for r in _run(stack, unseen=False) if r[0] not in available]
    table = score(_run(stack, unseen=True) + not_spoken, unseen=True)
    emergencies = [row["emergency"] for row in table.values() if "emergency" in row]
    assert all(e["rate"] == 1.0 for e in emergencies), table
    categories = [row["category"] for row in table.values() if "category" in row]
    correct = sum(c["correct"] for c in categories)
    total = sum(c["total"] for c in categories)
    assert correct / total > 0.5, table  # "more often than not"
