"""The held-out questions (tests/eval/), never trained on, through the real stack."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.evaluation import format_table, load_questions, newest_rounds, score
from bot.languages import available_languages
from tests.e2e.conftest import ROOT, Stack

pytestmark = pytest.mark.e2e


def _run(
    stack: Stack, *, unseen: bool, spoken: bool | None = None, newest: bool = False
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Every question through the stack; `spoken` keeps only the languages the bot speaks
    (True) or does not speak yet (False); `newest`: each language's two newest rounds and
    every emergency of the others."""
    questions = load_questions(unseen=unseen)
    if newest:
        recent = load_questions(files=newest_rounds(2))
        questions = {
            language: recent.get(language, [])
            + [q for q in items if q.get("emergency") and q not in recent.get(language, [])]
            for language, items in questions.items()
        }
    kind = "unseen" if unseen else "held-out"
    available = set(available_languages())
    jobs = [
        (language, n, q)
        for language, items in questions.items()
        if spoken is None or (language in available) == spoken
        for n, q in enumerate(items)
    ]

    def ask(job: tuple[str, int, dict[str, Any]]) -> tuple[str, dict[str, Any], dict[str, Any]]:
        language, n, q = job
        return language, q, stack.try_(q["text"], user=f"eval-{kind}-{language}-{n}")

    # Four users at a time, as `navigator eval` does: over a thousand questions.
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(ask, jobs))


def test_held_out_questions_per_language(stack: Stack) -> None:
    """Emergency recall must be total (every round's emergencies) and the reply in the
    question's language; category accuracy is held to a floor that catches regressions
    (each language's two newest rounds: all rounds take twenty minutes, `navigator eval`).
    The issue's target (90 % in each language) and the measured figures are in `navigator
    eval` and the closing notes, not tuned here."""
    available = set(available_languages())
    table = score(_run(stack, unseen=False, spoken=True, newest=True))
    # The accuracy report after the tests (scripts/eval-report.sh) prints this table rather
    # than asking the same questions again.
    report = ROOT / "var" / "eval" / "newest-rounds.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(format_table(table)) + "\n", encoding="utf-8")
    # Every language the bot speaks has held-out questions, except Dari: detection cannot
    # tell it from Farsi, so a Dari conversation starts by choosing Dari.
    assert set(table) == available - {"prs"}
    for language, row in table.items():
        assert row["emergency"]["rate"] == 1.0, (language, row)
        assert row["category"]["rate"] >= 0.6, (language, row)
    replies = [row["reply_language"] for row in table.values()]
    assert sum(r["correct"] for r in replies) / sum(r["total"] for r in replies) >= 0.98, table


def test_unseen_languages_still_reach_the_right_category_and_emergencies(stack: Stack) -> None:
    not_spoken = _run(stack, unseen=False, spoken=False)
    table = score(_run(stack, unseen=True) + not_spoken, unseen=True)
    emergencies = [row["emergency"] for row in table.values() if "emergency" in row]
    assert all(e["rate"] == 1.0 for e in emergencies), table
    categories = [row["category"] for row in table.values() if "category" in row]
    correct = sum(c["correct"] for c in categories)
    total = sum(c["total"] for c in categories)
    assert correct / total > 0.5, table  # "more often than not"
