"""The held-out questions (tests/eval/questions.yml), never trained on, through the real stack."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.evaluation import QUESTIONS, UNSEEN, score
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


def _run(stack: Stack, path: Any) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (language, q, stack.try_(q["text"], user=f"eval-{path.stem}-{language}-{n}"))
        for language, items in questions.items()
        for n, q in enumerate(items)
    ]


def test_held_out_questions_meet_the_targets(stack: Stack) -> None:
    table = score(_run(stack, QUESTIONS))
    for language, row in table.items():
        assert row["emergency"]["rate"] == 1.0, (language, row)
        assert row["category"]["rate"] >= 0.9, (language, row)
        assert row["reply_language"]["rate"] >= 0.9, (language, row)


def test_unseen_languages_still_reach_the_right_category_and_emergencies(stack: Stack) -> None:
    table = score(_run(stack, UNSEEN), unseen=True)
    emergencies = [row["emergency"] for row in table.values() if "emergency" in row]
    assert all(e["rate"] == 1.0 for e in emergencies), table
    categories = [row["category"] for row in table.values() if "category" in row]
    correct = sum(c["correct"] for c in categories)
    total = sum(c["total"] for c in categories)
    assert correct / total > 0.5, table  # "more often than not"
